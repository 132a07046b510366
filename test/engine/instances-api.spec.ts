import request from 'supertest';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy, fixture, history, openTasks, setNow, start } from '../support/engine';

interface Listed {
  id: string;
  processKey: string;
  businessKey: string | null;
  status: string;
}

describe('engine: process instances API', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const list = async (query: string) => (await request(t.http).get(`/api/process-instances?${query}`).expect(200)).body as { items: Listed[]; total: number };
  const keys = (items: Listed[]) => items.map((i) => i.businessKey).sort();
  const startRaw = (key: string, body: unknown) => request(t.http).post(`/api/process-definitions/key/${key}/start`).send(body as object);
  const completeFirst = async (instanceId: string, variables: Record<string, unknown> = {}) => {
    const [task] = await openTasks(t, instanceId);
    return request(t.http).post(`/api/tasks/${task.id}/complete`).send({ variables });
  };

  beforeAll(async () => {
    t = await createEngineTestApp();
    await deploy(t, { 'api-review.bpmn': fixture('api-review.bpmn'), 'mig-other.bpmn': fixture('mig-other.bpmn'), 'msg-start.bpmn': fixture('msg-start.bpmn') }).expect(201);
    setNow(t, '2026-12-01T09:00:00+08:00');
    ids.a = (await start(t, 'apiReview', { businessKey: 'APP-A', variables: { applicant: '张三' } })).id;
    setNow(t, '2026-12-05T09:00:00+08:00');
    ids.b = (await start(t, 'apiReview', { businessKey: 'APP-B' })).id;
    expect((await completeFirst(ids.b)).status).toBe(200);
    expect((await completeFirst(ids.b)).status).toBe(200);
    setNow(t, '2026-12-10T09:00:00+08:00');
    ids.c = (await start(t, 'migOther', { businessKey: 'OTHER-C' })).id;
  });
  afterAll(() => t?.close());

  it('lists instances filtered by key, business key, status and start range, with paging and a total', async () => {
    expect((await list('processKey=apiReview')).total).toBe(2);
    expect(keys((await list('processKey=apiReview')).items)).toEqual(['APP-A', 'APP-B']);
    expect(keys((await list('businessKey=APP-B')).items)).toEqual(['APP-B']);
    expect(keys((await list('status=completed')).items)).toEqual(['APP-B']);
    expect(keys((await list('status=running&processKey=apiReview')).items)).toEqual(['APP-A']);
    expect(keys((await list('startedAfter=2026-12-03T00:00:00%2B08:00')).items)).toEqual(['APP-B', 'OTHER-C']);
    expect(keys((await list('startedBefore=2026-12-03T00:00:00%2B08:00')).items)).toEqual(['APP-A']);
    expect(keys((await list('startedAfter=2026-12-03T00:00:00Z&startedBefore=2026-12-07T00:00:00Z')).items)).toEqual(['APP-B']);
    // newest first; a page of one keeps the full total
    const page1 = await list('limit=1&offset=0');
    const page2 = await list('limit=1&offset=1');
    expect(page1).toMatchObject({ total: 3, items: [{ businessKey: 'OTHER-C' }] });
    expect(page2).toMatchObject({ total: 3, items: [{ businessKey: 'APP-B' }] });
    expect((await list('limit=10&offset=3')).items).toEqual([]);
  });

  it('refuses bad list filters with 400', async () => {
    for (const q of ['status=sleeping', 'limit=0', 'limit=abc', 'offset=-1', 'startedAfter=yesterday']) {
      const res = await request(t.http).get(`/api/process-instances?${q}`).expect(400);
      expect(res.body.code).toBeDefined();
    }
  });

  it('serves one instance with its variables, where it waits, and its version as an ETag that changes with each step', async () => {
    const first = await request(t.http).get(`/api/process-instances/${ids.a}`).expect(200);
    expect(first.body).toMatchObject({ id: ids.a, processKey: 'apiReview', processVersion: 1, businessKey: 'APP-A', status: 'running', variables: { applicant: '张三' }, incidents: [] });
    expect(first.body.waiting).toEqual([{ elementId: 'UserTask_StreetReview', executionId: expect.any(String), type: 'bpmn:UserTask' }]);
    expect(first.body).not.toHaveProperty('state');
    expect(first.headers.etag).toBe(`"${first.body.version}"`);

    expect((await completeFirst(ids.a, { streetOpinion: '同意' })).status).toBe(200);
    const second = await request(t.http).get(`/api/process-instances/${ids.a}`).expect(200);
    expect(second.headers.etag).not.toBe(first.headers.etag);
    expect(second.headers.etag).toBe(`"${second.body.version}"`);
    expect(second.body.version).toBeGreaterThan(first.body.version);
    expect(second.body.variables).toEqual({ applicant: '张三', streetOpinion: '同意' });
    expect(second.body.waiting.map((w: { elementId: string }) => w.elementId)).toEqual(['UserTask_DistrictReview']);
  });

  it('serves the history of an instance in order', async () => {
    const h = await history(t, ids.b);
    const types = h.map((e) => e.type);
    expect(types[0]).toBe('instance-started');
    expect(types[types.length - 1]).toBe('instance-ended');
    const tasks = h.filter((e) => e.type === 'task-created' || e.type === 'task-completed').map((e) => `${e.type}:${e.elementId}`);
    expect(tasks).toEqual([
      'task-created:UserTask_StreetReview',
      'task-completed:UserTask_StreetReview',
      'task-created:UserTask_DistrictReview',
      'task-completed:UserTask_DistrictReview',
    ]);
  });

  it('answers 404 with a JSON error for an unknown instance', async () => {
    for (const path of ['00000000-0000-4000-8000-000000000000', 'not-an-id', '00000000-0000-4000-8000-000000000000/history']) {
      const res = await request(t.http).get(`/api/process-instances/${path}`).expect(404);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toMatchObject({ code: 'PROCESS_INSTANCE_NOT_FOUND', message: expect.any(String) });
    }
    const cancel = await request(t.http).post('/api/process-instances/00000000-0000-4000-8000-000000000000/cancel').send({ reason: '测试' }).expect(404);
    expect(cancel.body.code).toBe('PROCESS_INSTANCE_NOT_FOUND');
  });

  it('cancels a running instance with a reason; cancelling it again or a completed one is 409', async () => {
    expect((await request(t.http).post(`/api/process-instances/${ids.c}/cancel`).send({}).expect(400)).body.code).toBeDefined();
    const res = await request(t.http).post(`/api/process-instances/${ids.c}/cancel`).send({ reason: '重复申请' }).expect(200);
    expect(res.body).toMatchObject({ status: 'cancelled', endReason: '重复申请', waiting: [] });
    expect(await openTasks(t, ids.c)).toEqual([]);
    expect((await history(t, ids.c)).some((h) => h.type === 'instance-cancelled')).toBe(true);
    const again = await request(t.http).post(`/api/process-instances/${ids.c}/cancel`).send({ reason: '再次' }).expect(409);
    expect(again.body).toMatchObject({ code: 'PROCESS_INSTANCE_NOT_RUNNING', details: { status: 'cancelled' } });
    const done = await request(t.http).post(`/api/process-instances/${ids.b}/cancel`).send({ reason: '已办结' }).expect(409);
    expect(done.body).toMatchObject({ code: 'PROCESS_INSTANCE_NOT_RUNNING', details: { status: 'completed' } });
  });

  it.each(['content', 'fields', 'properties', 'environment'])('refuses to start with the reserved variable name %s (400 naming the field)', async (name) => {
    const res = await startRaw('apiReview', { variables: { [name]: 'x' } }).expect(400);
    expect(res.body).toMatchObject({ code: 'VARIABLES_INVALID', details: { field: `variables.${name}` } });
    expect(res.body.message).toContain(name);
  });

  it('refuses variables over 256 KB with 413 VARIABLES_TOO_LARGE, at start and when a completion would grow them past it', async () => {
    const before = (await list('processKey=apiReview')).total;
    const big = 'x'.repeat(260 * 1024);
    const res = await startRaw('apiReview', { businessKey: 'APP-BIG', variables: { note: big } }).expect(413);
    expect(res.body).toMatchObject({ code: 'VARIABLES_TOO_LARGE', details: { limit: 256 * 1024 } });
    expect((await list('processKey=apiReview')).total).toBe(before);
    // a body far beyond any variable limit is refused by the HTTP edge itself
    expect((await startRaw('apiReview', { variables: { note: 'x'.repeat(2 * 1024 * 1024) } }).expect(413)).body.code).toBe('PAYLOAD_TOO_LARGE');

    const inst = await start(t, 'apiReview', { businessKey: 'APP-GROW', variables: { note: 'y'.repeat(200 * 1024) } });
    const grow = await completeFirst(inst.id, { more: 'z'.repeat(100 * 1024) });
    expect(grow.status).toBe(413);
    expect(grow.body.code).toBe('VARIABLES_TOO_LARGE');
    // nothing of the completion was kept
    expect((await openTasks(t, inst.id)).map((x) => x.elementId)).toEqual(['UserTask_StreetReview']);
  });

  it('starts a given definition by id, and answers 404 for an unknown id', async () => {
    const defs = await request(t.http).get('/api/process-definitions?key=apiReview').expect(200);
    const res = await request(t.http).post(`/api/process-definitions/${defs.body[0].id}/start`).send({ businessKey: 'APP-BYID' }).expect(201);
    expect(res.body).toMatchObject({ processKey: 'apiReview', processVersion: 1, businessKey: 'APP-BYID', status: 'running' });
    const unknown = await request(t.http).post('/api/process-definitions/00000000-0000-4000-8000-000000000000/start').send({}).expect(404);
    expect(unknown.body.code).toBe('PROCESS_DEFINITION_NOT_FOUND');
  });

  it('answers 404 for an unknown key and 409 for a process that only a message can start', async () => {
    const unknown = await startRaw('noSuchProcess', {}).expect(404);
    expect(unknown.body.code).toBe('PROCESS_DEFINITION_NOT_FOUND');
    const msgOnly = await startRaw('msgStart', { businessKey: 'APP-X' }).expect(409);
    expect(msgOnly.body).toMatchObject({ code: 'PROCESS_HAS_NO_NONE_START_EVENT', details: { key: 'msgStart' } });
    expect((await list('processKey=msgStart')).total).toBe(0);
  });
});
