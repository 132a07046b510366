import request from 'supertest';
import { ServiceHandlerRegistry } from '../../src/engine';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy, history, instance, openTasks, runDue, setNow, start } from '../support/engine';
import { loginAs } from '../support/identity';
import { BY_DIAGRAM, PAUSABLE, timerJobs } from './clock-diagrams';

/** 中止计时: a case's statutory clock stops while it waits for the applicant's 补正 and starts again with the working days it had left. */
const types = async (t: TestApp, id: string, type: string) => (await history(t, id)).filter((h) => h.type === type);
const pause = (t: TestApp, id: string, body: object) => request(t.http).post(`/api/process-instances/${id}/clock/pause`).send(body);
const resume = (t: TestApp, id: string, body: object = {}) => request(t.http).post(`/api/process-instances/${id}/clock/resume`).send(body);
const complete = (t: TestApp, taskId: string, variables: object = {}) => request(t.http).post(`/api/tasks/${taskId}/complete`).send({ variables }).expect(200);

// 15 working days from 2026-09-15 (Tuesday) in Chengdu 锦江区: 09-16, 17, 18, the make-up Sunday
// 09-20, 21 (day 5); 22, 23, 24, (中秋 25–27), 28, 29, 30, (国庆 10-01..07), 10-08, 09, the make-up
// Saturday 10-10, 10-12 (day 15). The deadline ends at 2026-10-12 24:00 Asia/Shanghai.
const DUE = '2026-10-12T15:59:59.999Z';

describe('pausable statutory clocks (中止计时)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createEngineTestApp();
    await deploy(t, { 'clock-pause.bpmn': PAUSABLE, 'clock-diagram.bpmn': BY_DIAGRAM }).expect(201);
  });
  afterAll(() => t?.close());

  it('keeps the 10 working days left when a 补正 stops the clock over 国庆, never fires while paused, and fires on the new last day', async () => {
    setNow(t, '2026-09-15T10:00:00+08:00');
    const inst = await start(t, 'clock_pause', { businessKey: 'APP-CLOCK-1', variables: { receivedOn: '2026-09-15', days: 15, regionCode: '510104' } });
    const review = (await openTasks(t, inst.id)).find((x) => x.elementId === 'UserTask_Review')!;
    expect(review.dueAt).toBe(DUE);
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_Deadline', dueAt: DUE }]);
    const running = (await instance(t, inst.id)).clock;
    expect(running).toMatchObject({ status: 'running', label: { 'zh-CN': '计时中', en: 'Running' }, pauses: [], currentPause: null });
    expect(running.deadlines).toEqual([
      { kind: 'timer', elementId: 'Timer_Deadline', name: '受理期限届满', executionId: expect.any(String), dueAt: DUE, paused: false, provisional: false },
      { kind: 'task', elementId: 'UserTask_Review', name: '受理审查', executionId: expect.any(String), taskId: review.id, dueAt: DUE, paused: false, provisional: false },
    ]);

    // day 5, the window caseworker issues the 一次性告知 and stops the clock
    setNow(t, '2026-09-21T16:00:00+08:00');
    const caseworker = await loginAs(t, 'jj_window');
    const paused = await pause(t, inst.id, { reason: '一次性告知：缺收入证明，等待申请人补正' }).set(caseworker).expect(200);
    expect(paused.body.clock).toMatchObject({
      status: 'paused',
      label: { 'zh-CN': '已中止计时', en: 'Paused' },
      pausedSince: '2026-09-21T08:00:00.000Z',
      currentPause: { status: 'paused', reason: '一次性告知：缺收入证明，等待申请人补正', pauseSource: 'api', regionCode: '510104', resumedAt: null },
    });
    const pausedBy = paused.body.clock.currentPause.pausedBy;
    expect(pausedBy).toBeTruthy();
    expect(pausedBy).not.toBe(inst.startedBy);
    expect(paused.body.clock.currentPause.items.map((i: { kind: string; dueBefore: string; remainingWorkingDays: number }) => [i.kind, i.dueBefore, i.remainingWorkingDays])).toEqual([
      ['timer', DUE, 10],
      ['task', DUE, 10],
    ]);
    expect(paused.body.clock.deadlines.map((d: { kind: string; dueAt: string | null; paused: boolean; remainingWorkingDays: number }) => [d.kind, d.dueAt, d.paused, d.remainingWorkingDays])).toEqual([
      ['timer', null, true, 10],
      ['task', null, true, 10],
    ]);
    // nothing can fire it: no job row, no due date on the task
    expect(await timerJobs(t, inst.id)).toEqual([]);
    expect((await openTasks(t, inst.id)).find((x) => x.id === review.id)!.dueAt).toBeNull();

    // the original deadline passes while paused: the executor finds nothing of it to run…
    setNow(t, '2026-10-13T09:00:00+08:00');
    await runDue(t);
    expect(await types(t, inst.id, 'timer-fired')).toEqual([]);
    // …and a later step of the instance recovers the engine state that still holds the old expiry: the timer stays put
    const materials = (await openTasks(t, inst.id)).find((x) => x.elementId === 'UserTask_Materials')!;
    await complete(t, materials.id);
    expect(await types(t, inst.id, 'timer-fired')).toEqual([]);
    expect((await openTasks(t, inst.id)).map((x) => x.elementId)).toEqual(['UserTask_Review']);
    expect(await timerJobs(t, inst.id)).toEqual([]);
    expect((await instance(t, inst.id)).clock.status).toBe('paused');

    // the materials are in on 10-14: 10 working days again from 10-15 → 15, 16, 19..23, 26, 27, 28
    setNow(t, '2026-10-14T10:30:00+08:00');
    const resumed = await resume(t, inst.id, { reason: '申请人已补正收入证明' }).set(await loginAs(t, 'jj_window')).expect(200);
    const NEW_DUE = '2026-10-28T15:59:59.999Z';
    expect(resumed.body.clock).toMatchObject({ status: 'running', currentPause: null, pausedSince: null });
    expect(resumed.body.clock.pauses).toEqual([
      expect.objectContaining({
        status: 'resumed',
        pausedBy,
        resumedBy: pausedBy,
        resumedAt: '2026-10-14T02:30:00.000Z',
        resumeReason: '申请人已补正收入证明',
        resumeSource: 'api',
        items: [expect.objectContaining({ kind: 'timer', dueAfter: NEW_DUE, provisional: false }), expect.objectContaining({ kind: 'task', dueAfter: NEW_DUE })],
      }),
    ]);
    expect(resumed.body.clock.deadlines.map((d: { kind: string; dueAt: string; paused: boolean }) => [d.kind, d.dueAt, d.paused])).toEqual([
      ['timer', NEW_DUE, false],
      ['task', NEW_DUE, false],
    ]);
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_Deadline', dueAt: NEW_DUE }]);
    expect((await openTasks(t, inst.id))[0].dueAt).toBe(NEW_DUE);

    // who, when and why, in the history
    const events = (await history(t, inst.id)) as unknown as { type: string; actor: string | null; data: { reason: string } }[];
    expect(events.filter((e) => e.type.startsWith('clock-')).map((e) => [e.type, e.actor, e.data.reason])).toEqual([
      ['clock-paused', pausedBy, '一次性告知：缺收入证明，等待申请人补正'],
      ['clock-resumed', pausedBy, '申请人已补正收入证明'],
    ]);

    // the new last day itself, late in the evening: not yet
    setNow(t, '2026-10-28T23:59:00+08:00');
    await runDue(t);
    expect(await types(t, inst.id, 'timer-fired')).toEqual([]);
    // the day after the new last day: the timer fires
    setNow(t, '2026-10-29T00:00:01+08:00');
    await runDue(t);
    expect((await types(t, inst.id, 'timer-fired')).map((h) => h.elementId)).toEqual(['Timer_Deadline']);
    const done = await instance(t, inst.id);
    expect(done.status).toBe('completed');
    expect(done.clock).toMatchObject({ status: 'running', deadlines: [] });
  });

  it('keeps the deadline when the clock is paused and resumed on the same day', async () => {
    setNow(t, '2026-09-15T10:00:00+08:00');
    const inst = await start(t, 'clock_pause', { variables: { receivedOn: '2026-09-15', days: 15 } });
    setNow(t, '2026-09-22T09:00:00+08:00');
    await pause(t, inst.id, { reason: '误操作', elementIds: ['Timer_Deadline'] }).expect(200);
    // only the named timer stopped; the task's due date runs on
    expect((await openTasks(t, inst.id)).find((x) => x.elementId === 'UserTask_Review')!.dueAt).toBe(DUE);
    setNow(t, '2026-09-22T17:00:00+08:00');
    const res = await resume(t, inst.id).expect(200);
    expect(res.body.clock.pauses[0]).toMatchObject({ status: 'resumed', resumeReason: null, items: [expect.objectContaining({ kind: 'timer', remainingWorkingDays: 9, dueAfter: DUE })] });
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_Deadline', dueAt: DUE }]);
  });

  it('pauses and resumes from the diagram (built-in service tasks "pause clock" and "resume clock")', async () => {
    setNow(t, '2026-09-15T10:00:00+08:00');
    const inst = await start(t, 'clock_diagram', { businessKey: 'APP-CLOCK-2', variables: { receivedOn: '2026-09-15', regionCode: '510104' } });
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_Acceptance', dueAt: DUE }]);
    setNow(t, '2026-09-21T15:00:00+08:00');
    await complete(t, (await openTasks(t, inst.id))[0].id, { complete: false });
    await runDue(t); // the pause clock job
    const paused = (await instance(t, inst.id)).clock;
    expect(paused).toMatchObject({
      status: 'paused',
      currentPause: { pausedBy: null, pauseSource: 'diagram', pauseElementId: 'ServiceTask_Pause', reason: '一次性告知补正材料，等待申请人补正' },
    });
    expect(paused.currentPause.items).toEqual([expect.objectContaining({ kind: 'timer', elementId: 'Timer_Acceptance', remainingWorkingDays: 10 })]);
    expect(await timerJobs(t, inst.id)).toEqual([]);
    expect((await openTasks(t, inst.id)).map((x) => x.elementId)).toEqual(['UserTask_Supplement']);

    // a retried call (same idempotency key, e.g. after a crash before the job was marked) pauses nothing twice
    const handler = t.app.get(ServiceHandlerRegistry).get('pause clock')!;
    const [pauseEvent] = (await types(t, inst.id, 'clock-paused')) as unknown as { data: { pauseId: string } }[];
    const [{ pause_key }] = await t.ds.query(`SELECT pause_key FROM engine_clock_pauses WHERE id = $1`, [pauseEvent.data.pauseId]);
    await handler({ processInstanceId: inst.id, processKey: 'clock_diagram', businessKey: null, elementId: 'ServiceTask_Pause', executionId: pause_key.split(':')[1], idempotencyKey: pause_key, attempt: 2, variables: {}, inputs: {} });
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM engine_clock_pauses WHERE instance_id = $1`, [inst.id])).toEqual([{ n: 1 }]);

    // past the original deadline while paused: nothing fires
    setNow(t, '2026-10-13T09:00:00+08:00');
    await runDue(t);
    expect(await types(t, inst.id, 'timer-fired')).toEqual([]);
    setNow(t, '2026-10-14T10:00:00+08:00');
    await complete(t, (await openTasks(t, inst.id))[0].id);
    await runDue(t); // the resume clock job
    const resumed = (await instance(t, inst.id)).clock;
    expect(resumed.status).toBe('running');
    expect(resumed.pauses[0]).toMatchObject({ status: 'resumed', resumedBy: null, resumeSource: 'diagram', resumeElementId: 'ServiceTask_Resume' });
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_Acceptance', dueAt: '2026-10-28T15:59:59.999Z' }]);
    expect((await openTasks(t, inst.id)).map((x) => x.elementId)).toEqual(['UserTask_Check']);
    setNow(t, '2026-10-29T08:00:00+08:00');
    await runDue(t);
    expect((await types(t, inst.id, 'timer-fired')).map((h) => h.elementId)).toEqual(['Timer_Acceptance']);
    expect((await instance(t, inst.id)).status).toBe('completed');
  });

  it('passes over a diagram resume when the clock is not paused, and records it', async () => {
    setNow(t, '2026-09-15T10:00:00+08:00');
    const inst = await start(t, 'clock_diagram', { variables: { receivedOn: '2026-09-15' } });
    await complete(t, (await openTasks(t, inst.id))[0].id, { complete: false });
    await runDue(t);
    // someone resumed through the API before the 补正 task was done
    await resume(t, inst.id, { reason: '窗口已收到材料' }).expect(200);
    await complete(t, (await openTasks(t, inst.id))[0].id);
    await runDue(t);
    expect((await types(t, inst.id, 'clock-resume-skipped')).map((h) => h.elementId)).toEqual(['ServiceTask_Resume']);
    expect((await openTasks(t, inst.id)).map((x) => x.elementId)).toEqual(['UserTask_Check']);
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM engine_incidents WHERE instance_id = $1`, [inst.id])).toEqual([{ n: 0 }]);
  });

  it('refuses bad input naming the field (400), a second pause or a resume of a running clock (409), and callers without a caseworker role (403)', async () => {
    setNow(t, '2026-09-15T10:00:00+08:00');
    const inst = await start(t, 'clock_pause', { variables: { receivedOn: '2026-09-15', days: 15 } });
    const fields = (res: request.Response) => (res.body.details.fields as { field: string }[]).map((f) => f.field);
    expect(fields(await pause(t, inst.id, {}).expect(400))).toEqual(['reason']);
    expect(fields(await pause(t, inst.id, { reason: '   ' }).expect(400))).toEqual(['reason']);
    expect(fields(await pause(t, inst.id, { reason: '补正', elementIds: 'Timer_Deadline' }).expect(400))).toContain('elementIds');
    const unknown = await pause(t, inst.id, { reason: '补正', elementIds: ['Timer_Deadline', 'Timer_Nope'] }).expect(400);
    expect(unknown.body).toMatchObject({ code: 'CLOCK_INVALID_INPUT' });
    expect(fields(unknown)).toEqual(['elementIds[1]']);
    // an element without a running deadline: nothing to pause
    expect((await pause(t, inst.id, { reason: '补正', elementIds: ['UserTask_Materials'] }).expect(409)).body.code).toBe('CLOCK_NOTHING_TO_PAUSE');
    expect((await resume(t, inst.id, {}).expect(409)).body.code).toBe('CLOCK_NOT_PAUSED');
    // nothing of that was half-written
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM engine_clock_pauses WHERE instance_id = $1`, [inst.id])).toEqual([{ n: 0 }]);
    expect(await timerJobs(t, inst.id)).toEqual([{ elementId: 'Timer_Deadline', dueAt: DUE }]);

    // street reviewers work on the case too; applicants and the audit administrator do not
    for (const user of ['applicant_zhang', 'audit_admin']) {
      const res = await pause(t, inst.id, { reason: '补正' }).set(await loginAs(t, user));
      expect([user, res.status]).toEqual([user, 403]);
    }
    await pause(t, inst.id, { reason: '补正' }).set({ 'x-test-anonymous': '1' }).expect(401);
    await pause(t, inst.id, { reason: '等待专家意见' }).set(await loginAs(t, 'jgy_street')).expect(200);
    const again = await pause(t, inst.id, { reason: '再次中止' }).expect(409);
    expect(again.body.code).toBe('CLOCK_ALREADY_PAUSED');
    await resume(t, inst.id, { reason: 'x'.repeat(1001) }).expect(400);
    await resume(t, inst.id, { reason: '专家意见已到' }).set(await loginAs(t, 'jgy_street')).expect(200);
    expect((await resume(t, inst.id).expect(409)).body.code).toBe('CLOCK_NOT_PAUSED');

    await request(t.http).post('/api/process-instances/6b0f3c1e-0000-4000-8000-000000000000/clock/pause').send({ reason: '补正' }).expect(404);
    await request(t.http).post(`/api/process-instances/${inst.id}/cancel`).send({ reason: '撤回' }).expect(200);
    expect((await pause(t, inst.id, { reason: '补正' }).expect(409)).body.code).toBe('PROCESS_INSTANCE_NOT_RUNNING');
  });

  it('ends an open pause with the instance when it is cancelled', async () => {
    setNow(t, '2026-09-15T10:00:00+08:00');
    const inst = await start(t, 'clock_pause', { variables: { receivedOn: '2026-09-15', days: 15 } });
    await pause(t, inst.id, { reason: '等待专家意见' }).expect(200);
    await request(t.http).post(`/api/process-instances/${inst.id}/cancel`).send({ reason: '申请人撤回' }).expect(200);
    const clock = (await instance(t, inst.id)).clock;
    expect(clock).toMatchObject({ status: 'running', currentPause: null, deadlines: [] });
    expect(clock.pauses).toEqual([expect.objectContaining({ status: 'ended', endedAt: '2026-09-15T02:00:00.000Z', resumedAt: null })]);
  });
});
