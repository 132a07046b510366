import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy, fixture, history, openTasks, start } from '../support/engine';

const HOUR = 3600000;

describe('test clock endpoints with ANJU_TEST_CLOCK=1', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createEngineTestApp();
    await deploy(t, { 'timer-catch.bpmn': fixture('timer-catch.bpmn') }).expect(201);
  });
  afterAll(() => t?.close());

  it('POST /api/test/clock {now} pins the clock every component reads', async () => {
    const res = await request(t.http).post('/api/test/clock').send({ now: '2027-02-01T09:00:00+08:00' }).expect(200);
    expect(res.body).toEqual({ now: '2027-02-01T01:00:00.000Z' });
    const inst = await start(t, 'timer_catch');
    const view = (await request(t.http).get(`/api/process-instances/${inst.id}`).expect(200)).body;
    expect(view.startedAt).toBe('2027-02-01T01:00:00.000Z');
  });

  it('POST /api/test/clock {offsetMs} moves it, and POST /api/test/jobs/run-due fires what fell due', async () => {
    await request(t.http).post('/api/test/clock').send({ now: '2027-03-01T09:00:00+08:00' }).expect(200);
    // the first test's instance fell due a month ago
    expect((await request(t.http).post('/api/test/jobs/run-due').expect(200)).body).toEqual({ ran: 1 });
    const inst = await start(t, 'timer_catch');
    expect((await request(t.http).post('/api/test/jobs/run-due').expect(200)).body).toEqual({ ran: 0 });

    const moved = await request(t.http).post('/api/test/clock').send({ offsetMs: 2 * HOUR }).expect(200);
    expect(moved.body).toEqual({ now: '2027-03-01T03:00:00.000Z' });
    expect((await request(t.http).post('/api/test/jobs/run-due').expect(200)).body).toEqual({ ran: 1 });
    expect((await request(t.http).post('/api/test/jobs/run-due').expect(200)).body).toEqual({ ran: 0 });
    expect((await openTasks(t, inst.id)).map((x) => x.name)).toEqual(['核查']);
    expect((await history(t, inst.id)).filter((h) => h.type === 'timer-fired')).toHaveLength(1);
  });

  it('refuses a clock request with neither now nor offsetMs, or with a bad date', async () => {
    expect((await request(t.http).post('/api/test/clock').send({}).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await request(t.http).post('/api/test/clock').send({ now: 'next tuesday' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await request(t.http).post('/api/test/clock').send({ offsetMs: 1.5 }).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });
});

describe('test clock endpoints without the flag', () => {
  let t: TestApp;
  beforeAll(async () => {
    // outside test mode a server database needs real secrets; these are throw-away ones
    const key = () => randomBytes(32).toString('base64');
    t = await createEngineTestApp({ ANJU_TEST_CLOCK: '0', ANJU_JWT_SECRET: key(), ANJU_PII_KEYS: `k1:${key()}`, ANJU_BLIND_INDEX_KEY: key() });
  });
  afterAll(() => t?.close());

  it('POST /api/test/clock and /api/test/jobs/run-due do not exist', async () => {
    const clock = await request(t.http).post('/api/test/clock').send({ now: '2030-01-01T00:00:00Z' }).expect(404);
    expect(clock.body.code).toBe('ROUTE_NOT_FOUND');
    const run = await request(t.http).post('/api/test/jobs/run-due').expect(404);
    expect(run.body.code).toBe('ROUTE_NOT_FOUND');
  });
});
