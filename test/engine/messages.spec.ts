import request from 'supertest';
import { TestApp, createEngineTestApp } from '../support/app';
import { DAY, advance, deploy, fixture, history, instance, openTasks, runDue, setNow, start } from '../support/engine';

describe('engine: message correlation (POST /api/messages)', () => {
  let t: TestApp;
  const send = (body: Record<string, unknown>) => request(t.http).post('/api/messages').send(body);
  const waitingIn = async (id: string) => ((await instance(t, id)).waiting as { elementId: string }[]).map((w) => w.elementId).sort();

  beforeAll(async () => {
    t = await createEngineTestApp();
    setNow(t, '2026-12-01T09:00:00+08:00');
    await deploy(t, {
      'msg-catch.bpmn': fixture('msg-catch.bpmn'),
      'msg-receive.bpmn': fixture('msg-receive.bpmn'),
      'msg-boundary.bpmn': fixture('msg-boundary.bpmn'),
      'msg-start.bpmn': fixture('msg-start.bpmn'),
      'msg-event-gateway.bpmn': fixture('msg-event-gateway.bpmn'),
    }).expect(201);
  });
  afterAll(() => t?.close());

  it('delivers a message to an intermediate catch event by business key; its variables become process variables', async () => {
    const inst = await start(t, 'msgCatch', { businessKey: 'APP-M1', variables: { applicant: '张三' } });
    expect(await waitingIn(inst.id)).toEqual(['Catch_Materials']);
    const res = await send({ name: 'materialsSupplied', businessKey: 'APP-M1', variables: { materialsCount: 3 } }).expect(200);
    expect(res.body).toEqual([{ resultType: 'Execution', processInstanceId: inst.id }]);
    const [task] = await openTasks(t, inst.id);
    expect(task).toMatchObject({ elementId: 'UserTask_Recheck', name: '复核材料' });
    expect((await instance(t, inst.id)).variables).toEqual({ applicant: '张三', materialsCount: 3 });
    const h = await history(t, inst.id);
    expect(h).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'message-correlated', data: { name: 'materialsSupplied' } })]));
    // the catch event no longer waits: the same message again finds nobody
    const again = await send({ name: 'materialsSupplied', businessKey: 'APP-M1' }).expect(404);
    expect(again.body.code).toBe('MESSAGE_NOT_CORRELATED');
    expect((await send({ name: 'materialsSupplied', processInstanceId: 'not-a-uuid' }).expect(400)).body.code).toBeDefined();
    expect((await send({ businessKey: 'APP-M1' }).expect(400)).body.code).toBeDefined();
  });

  it('answers 404 MESSAGE_NOT_CORRELATED when nothing waits for the message or the key does not match', async () => {
    const inst = await start(t, 'msgCatch', { businessKey: 'APP-M2' });
    const none = await send({ name: 'nobodyWaitsForThis' }).expect(404);
    expect(none.body).toMatchObject({ code: 'MESSAGE_NOT_CORRELATED', details: { name: 'nobodyWaitsForThis' } });
    expect((await send({ name: 'materialsSupplied', businessKey: 'APP-OTHER' }).expect(404)).body.code).toBe('MESSAGE_NOT_CORRELATED');
    expect(await waitingIn(inst.id)).toEqual(['Catch_Materials']);
  });

  it('delivers to a receive task by correlation key and by process instance id', async () => {
    const a = await start(t, 'msgReceive', { businessKey: 'RENT-1' });
    const b = await start(t, 'msgReceive', { businessKey: 'RENT-2' });
    expect(await waitingIn(a.id)).toEqual(['ReceiveTask_Rent']);
    await send({ name: 'rentPaid', correlationKey: 'RENT-1', variables: { amount: 620.5 } }).expect(200);
    expect(await instance(t, a.id)).toMatchObject({ status: 'completed', variables: { amount: 620.5 } });
    expect((await instance(t, b.id)).status).toBe('running');
    await send({ name: 'rentPaid', processInstanceId: b.id }).expect(200);
    expect((await instance(t, b.id)).status).toBe('completed');
  });

  it('an interrupting message boundary event on a user task cancels the task and takes its path', async () => {
    const inst = await start(t, 'msgBoundary', { businessKey: 'APP-W1' });
    const [task] = await openTasks(t, inst.id);
    expect(task.elementId).toBe('UserTask_StreetReview');
    await send({ name: 'applicationWithdrawn', businessKey: 'APP-W1', variables: { withdrawReason: '已另行租房' } }).expect(200);
    const done = await instance(t, inst.id);
    expect(done).toMatchObject({ status: 'completed', variables: { withdrawReason: '已另行租房' } });
    expect(await openTasks(t, inst.id)).toHaveLength(0);
    const h = await history(t, inst.id);
    expect(h.filter((e) => e.type === 'task-cancelled').map((e) => e.elementId)).toEqual(['UserTask_StreetReview']);
    expect(h.some((e) => e.type === 'activity-left' && e.elementId === 'EndEvent_Withdrawn')).toBe(true);
    const late = await request(t.http).post(`/api/tasks/${task.id}/complete`).send({}).expect(409);
    expect(late.body.code).toBe('TASK_NOT_OPEN');
  });

  it('a non-interrupting message boundary event opens a side task and leaves the user task open', async () => {
    const inst = await start(t, 'msgBoundary', { businessKey: 'APP-S1' });
    await send({ name: 'supplementNoted', businessKey: 'APP-S1', variables: { note: '补充了收入证明' } }).expect(200);
    const tasks = await openTasks(t, inst.id);
    expect(tasks.map((x) => x.elementId).sort()).toEqual(['UserTask_ReadSupplement', 'UserTask_StreetReview']);
    expect((await instance(t, inst.id)).variables).toEqual({ note: '补充了收入证明' });
    // the boundary stays armed while the review runs (as in Camunda): a second message is caught too;
    // bpmn-elements runs one execution of an activity at a time, so its side task opens when the first one ends
    await send({ name: 'supplementNoted', businessKey: 'APP-S1', variables: { note: '又补充了社保证明' } }).expect(200);
    expect((await instance(t, inst.id)).variables).toEqual({ note: '又补充了社保证明' });
    const first = (await openTasks(t, inst.id)).find((x) => x.elementId === 'UserTask_ReadSupplement')!;
    await request(t.http).post(`/api/tasks/${first.id}/complete`).send({}).expect(200);
    const again = await openTasks(t, inst.id);
    expect(again.map((x) => x.elementId).sort()).toEqual(['UserTask_ReadSupplement', 'UserTask_StreetReview']);
    expect(again.find((x) => x.elementId === 'UserTask_ReadSupplement')!.id).not.toBe(first.id);
    const review = tasks.find((x) => x.elementId === 'UserTask_StreetReview')!;
    await request(t.http).post(`/api/tasks/${review.id}/complete`).send({ variables: { approved: true } }).expect(200);
    // the review ended, so its boundary events stop listening; the side task is still open
    expect((await send({ name: 'applicationWithdrawn', businessKey: 'APP-S1' }).expect(404)).body.code).toBe('MESSAGE_NOT_CORRELATED');
    expect((await send({ name: 'supplementNoted', businessKey: 'APP-S1' }).expect(404)).body.code).toBe('MESSAGE_NOT_CORRELATED');
    const [side] = await openTasks(t, inst.id);
    expect(side.elementId).toBe('UserTask_ReadSupplement');
    await request(t.http).post(`/api/tasks/${side.id}/complete`).send({}).expect(200);
    expect((await instance(t, inst.id)).status).toBe('completed');
  });

  it('a message start event starts a new instance with the business key and the message variables', async () => {
    const res = await send({ name: 'applicationSubmitted', businessKey: 'APP-NEW-1', variables: { applicant: '李四', members: 3 } }).expect(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0].resultType).toBe('ProcessDefinition');
    const inst = await instance(t, res.body[0].processInstanceId);
    expect(inst).toMatchObject({ processKey: 'msgStart', businessKey: 'APP-NEW-1', status: 'running', variables: { applicant: '李四', members: 3 } });
    const [task] = await openTasks(t, inst.id);
    expect(task).toMatchObject({ elementId: 'UserTask_Accept', businessKey: 'APP-NEW-1' });
    const list = await request(t.http).get('/api/process-instances?processKey=msgStart').expect(200);
    expect(list.body.total).toBe(1);
  });

  it('refuses a message two instances wait for with 409 unless all is set; with all both receive it', async () => {
    const a = await start(t, 'msgCatch', { businessKey: 'APP-DUP' });
    const b = await start(t, 'msgCatch', { businessKey: 'APP-DUP' });
    const amb = await send({ name: 'materialsSupplied', businessKey: 'APP-DUP' }).expect(409);
    expect(amb.body.code).toBe('MESSAGE_CORRELATION_AMBIGUOUS');
    expect([...amb.body.details.processInstanceIds].sort()).toEqual([a.id, b.id].sort());
    // nothing moved
    expect(await waitingIn(a.id)).toEqual(['Catch_Materials']);
    expect(await waitingIn(b.id)).toEqual(['Catch_Materials']);
    const all = await send({ name: 'materialsSupplied', businessKey: 'APP-DUP', all: true, variables: { batch: true } }).expect(200);
    expect(all.body.map((r: { processInstanceId: string }) => r.processInstanceId).sort()).toEqual([a.id, b.id].sort());
    for (const id of [a.id, b.id]) {
      expect((await openTasks(t, id)).map((x) => x.elementId)).toEqual(['UserTask_Recheck']);
      expect((await instance(t, id)).variables).toEqual({ batch: true });
    }
  });

  it('event-based gateway: the message wins when it comes before the deadline', async () => {
    const inst = await start(t, 'msgEventGateway', { businessKey: 'HEAR-1' });
    expect(await waitingIn(inst.id)).toEqual(['Catch_Reply', 'Timer_ReplyDeadline']);
    advance(t, 2 * DAY);
    expect(await runDue(t)).toBe(0);
    await send({ name: 'hearingReply', businessKey: 'HEAR-1', variables: { reply: '同意' } }).expect(200);
    expect(await instance(t, inst.id)).toMatchObject({ status: 'completed', variables: { reply: '同意' } });
    // the losing timer is gone: nothing fires when its time comes
    advance(t, 10 * DAY);
    expect(await runDue(t)).toBe(0);
    const h = await history(t, inst.id);
    expect(h.some((e) => e.type === 'activity-left' && e.elementId === 'EndEvent_Replied')).toBe(true);
    expect(h.some((e) => e.type === 'timer-fired')).toBe(false);
  });

  it('event-based gateway: the timer wins when the clock passes first, and the message then finds nobody', async () => {
    const inst = await start(t, 'msgEventGateway', { businessKey: 'HEAR-2' });
    advance(t, 5 * DAY + 1000);
    expect(await runDue(t)).toBe(1);
    const done = await instance(t, inst.id);
    expect(done.status).toBe('completed');
    const h = await history(t, inst.id);
    expect(h.some((e) => e.type === 'timer-fired' && e.elementId === 'Timer_ReplyDeadline')).toBe(true);
    expect(h.some((e) => e.type === 'activity-left' && e.elementId === 'EndEvent_Expired')).toBe(true);
    expect((await send({ name: 'hearingReply', businessKey: 'HEAR-2' }).expect(404)).body.code).toBe('MESSAGE_NOT_CORRELATED');
  });

  it('event-based gateway: a message arriving after the deadline, before the executor ran, still loses to the timer', async () => {
    const inst = await start(t, 'msgEventGateway', { businessKey: 'HEAR-3' });
    advance(t, 5 * DAY + 1000);
    // the executor has not run yet: the overdue timer still comes first, and the message finds nobody
    expect((await send({ name: 'hearingReply', businessKey: 'HEAR-3', variables: { reply: '迟到的回复' } }).expect(404)).body.code).toBe('MESSAGE_NOT_CORRELATED');
    expect(await runDue(t)).toBe(1);
    const done = await instance(t, inst.id);
    expect(done.status).toBe('completed');
    expect(done.variables).toEqual({});
    const h = await history(t, inst.id);
    expect(h.some((e) => e.type === 'activity-left' && e.elementId === 'EndEvent_Expired')).toBe(true);
    // nothing claims the refused message was correlated
    expect(h.some((e) => e.type === 'message-correlated')).toBe(false);
  });
});
