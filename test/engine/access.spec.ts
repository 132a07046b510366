import request from 'supertest';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy, fixture, openTasks, registerHandler, start } from '../support/engine';
import { loginAs } from '../support/identity';

describe('engine endpoints declare who may call them', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createEngineTestApp();
    registerHandler(t, 'sendReviewNotice', () => ({}));
    await deploy(t, { 'review.bpmn': fixture('review.bpmn') }).expect(201);
  });
  afterAll(() => t?.close());

  const anonymous = { 'x-test-anonymous': '1' };

  it('answers 401 to a caller without a token, on reads and on writes', async () => {
    for (const [method, path] of [
      ['get', '/api/process-definitions'],
      ['get', '/api/process-instances'],
      ['get', '/api/tasks'],
      ['get', '/api/incidents'],
      ['post', '/api/process-definitions/key/review/start'],
      ['post', '/api/messages'],
    ] as const) {
      const res = await request(t.http)[method](path).set(anonymous).send({});
      expect([path, res.status]).toEqual([path, 401]);
      expect(res.body.code).toBeDefined();
    }
  });

  it('lets only policy modelers deploy, and records who started and completed', async () => {
    const caseworker = await loginAs(t, 'jj_window');
    const refused = await request(t.http).post('/api/deployments').set(caseworker).attach('files', Buffer.from(fixture('review.bpmn')), 'review.bpmn');
    expect(refused.status).toBe(403);
    const started = await request(t.http).post('/api/process-definitions/key/review/start').set(caseworker).send({ businessKey: 'ACL-1' }).expect(201);
    const inst = started.body as { id: string; startedBy: string };
    expect(inst.startedBy).toBeTruthy();
    const [task] = await openTasks(t, inst.id);
    // the caseworker is no candidate of the task (group "reviewer"): starting it is not working on it
    expect((await request(t.http).post(`/api/tasks/${task.id}/complete`).set(caseworker).send({ variables: { approved: false } }).expect(403)).body.code).toBe('TASK_FORBIDDEN');
    // the modeler walks the diagram through (test environment): the completer is not the starter
    await request(t.http).post(`/api/tasks/${task.id}/complete`).send({ variables: { approved: false } }).expect(200);
    const done = await request(t.http).get(`/api/tasks/${task.id}`).expect(200);
    expect(done.body.completedBy).toBeTruthy();
    expect(done.body.completedBy).not.toBe(inst.startedBy);
  });

  it('keeps engine operations (incidents, cancel) from caseworkers', async () => {
    const caseworker = await loginAs(t, 'jj_window');
    await request(t.http).get('/api/incidents').set(caseworker).expect(403);
    const inst = await start(t, 'review', { businessKey: 'ACL-2' });
    await request(t.http).post(`/api/process-instances/${inst.id}/cancel`).set(caseworker).send({ reason: 'x' }).expect(403);
    await request(t.http).post(`/api/process-instances/${inst.id}/cancel`).send({ reason: '测试撤销' }).expect(200);
  });
});
