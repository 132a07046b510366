import request from 'supertest';
import { TestApp, createEngineTestApp } from '../support/app';
import { DAY, advance, deploy, fixture, history, instance, openTasks, registerHandler, runDue, setNow, start } from '../support/engine';

describe('engine: deploy, start, user task, service task, timers', () => {
  let t: TestApp;
  const notified: string[] = [];
  beforeAll(async () => {
    t = await createEngineTestApp();
    setNow(t, '2026-12-01T09:00:00+08:00');
    registerHandler(t, 'sendReviewNotice', (ctx) => {
      notified.push(ctx.idempotencyKey);
      return { notifiedAt: 'now' };
    });
    await deploy(t, { 'review.bpmn': fixture('review.bpmn') }).expect(201);
  });
  afterAll(() => t?.close());

  it('deploys version 1, does not redeploy identical content, and makes version 2 on change', async () => {
    const again = await deploy(t, { 'review.bpmn': fixture('review.bpmn') }).expect(201);
    expect(again.body.definitions[0]).toMatchObject({ key: 'review', version: 1, created: false });
    const changed = fixture('review.bpmn').replace('name="审核"', 'name="审核（新）"');
    const v2 = await deploy(t, { 'review.bpmn': changed }).expect(201);
    expect(v2.body.definitions[0]).toMatchObject({ key: 'review', version: 2, created: true });
    const list = await request(t.http).get('/api/process-definitions?key=review').expect(200);
    expect(list.body.map((d: { version: number }) => d.version)).toEqual([2, 1]);
    const xml = await request(t.http).get(`/api/process-definitions/${v2.body.definitions[0].id}/xml`).expect(200);
    expect(xml.text).toContain('审核（新）');
  });

  it('runs start → user task → complete → service job → end, with history', async () => {
    const inst = await start(t, 'review', { businessKey: 'APP-1', variables: { applicant: '张三' } });
    expect(inst.status).toBe('running');
    const [task] = await openTasks(t, inst.id);
    expect(task).toMatchObject({ elementId: 'UserTask_Review', candidateGroups: ['reviewer'], priority: 70 });
    await request(t.http).post(`/api/tasks/${task.id}/complete`).send({ variables: { approved: true } }).expect(200);
    const again = await request(t.http).post(`/api/tasks/${task.id}/complete`).send({ variables: { approved: true } }).expect(409);
    expect(again.body.code).toBe('TASK_NOT_OPEN');
    expect((await instance(t, inst.id)).waiting.map((w: { elementId: string }) => w.elementId)).toEqual(['ServiceTask_Notify']);
    expect(await runDue(t)).toBeGreaterThanOrEqual(1);
    const done = await instance(t, inst.id);
    expect(done).toMatchObject({ status: 'completed', variables: { applicant: '张三', approved: true, notifiedAt: 'now' } });
    const job = (await history(t, inst.id)).find((h) => h.type === 'job-completed') as unknown as { executionId: string };
    // the handler ran once, keyed by (instance, execution) so a retry could be recognised
    expect(notified).toEqual([`${inst.id}:${job.executionId}`]);
    const types = (await history(t, inst.id)).map((h) => h.type);
    expect(types).toEqual(expect.arrayContaining(['instance-started', 'task-created', 'task-completed', 'job-created', 'job-completed', 'instance-ended']));
  });

  it('fires a non-interrupting reminder and later the interrupting deadline by moving the clock', async () => {
    const inst = await start(t, 'review', { businessKey: 'APP-2' });
    advance(t, 3 * DAY + 1000);
    expect(await runDue(t)).toBe(1);
    expect(await openTasks(t, inst.id)).toHaveLength(1);
    advance(t, 40 * DAY);
    expect(await runDue(t)).toBe(1);
    const late = await instance(t, inst.id);
    expect(late.status).toBe('completed');
    expect((await openTasks(t, inst.id))).toHaveLength(0);
    const fired = (await history(t, inst.id)).filter((h) => h.type === 'timer-fired').map((h) => h.elementId);
    expect(fired).toEqual(['Timer_Remind', 'Timer_Deadline']);
  });
});
