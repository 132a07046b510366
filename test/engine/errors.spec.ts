import request from 'supertest';
import { BpmnError } from '../../src/engine';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy, fixture, history, instance, openTasks, registerHandler, runDue, setNow, start } from '../support/engine';

describe('engine: BPMN errors and escalations', () => {
  let t: TestApp;
  const taskOf = async (instanceId: string, elementId: string) => (await openTasks(t, instanceId)).find((x) => x.elementId === elementId)!;

  beforeAll(async () => {
    t = await createEngineTestApp();
    setNow(t, '2026-12-01T09:00:00+08:00');
    // the income registry answers, cannot verify (a business outcome), or answers with a code nobody models
    registerHandler(t, 'checkIncome', (ctx) => {
      if (ctx.variables.registry === 'noRecord') throw new BpmnError('INCOME_UNVERIFIED', '社保系统无缴费记录', { unverifiedReason: 'noRecord' });
      if (ctx.variables.registry === 'odd') throw new BpmnError('REGISTRY_ODD_ANSWER');
      return { incomeVerified: true };
    });
    await deploy(t, {
      'err-service.bpmn': fixture('err-service.bpmn'),
      'err-user.bpmn': fixture('err-user.bpmn'),
      'err-escalation.bpmn': fixture('err-escalation.bpmn'),
    }).expect(201);
  });
  afterAll(() => t?.close());

  it('a handler throwing BpmnError(code) is caught by the boundary error event with that errorCode', async () => {
    const inst = await start(t, 'errService', { businessKey: 'APP-E1', variables: { registry: 'noRecord' } });
    expect(await runDue(t)).toBe(1);
    const [manual] = await openTasks(t, inst.id);
    expect(manual).toMatchObject({ elementId: 'UserTask_ManualIncomeCheck', name: '人工核验收入' });
    expect((await instance(t, inst.id)).variables).toEqual({ registry: 'noRecord', unverifiedReason: 'noRecord' });
    const h = await history(t, inst.id);
    expect(h).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'bpmn-error-thrown', elementId: 'ServiceTask_CheckIncome', data: { errorCode: 'INCOME_UNVERIFIED', message: '社保系统无缴费记录' } }),
      ]),
    );
    expect(h.some((e) => e.type === 'job-failed' || e.type === 'incident-raised')).toBe(false);
  });

  it('the same service task without an error completes on its normal path', async () => {
    const inst = await start(t, 'errService', { businessKey: 'APP-E2', variables: { registry: 'ok' } });
    expect(await runDue(t)).toBe(1);
    expect(await instance(t, inst.id)).toMatchObject({ status: 'completed', variables: { incomeVerified: true } });
  });

  it('a BpmnError with a code no boundary catches raises an incident at once (no retries: the diagram must change)', async () => {
    const inst = await start(t, 'errService', { businessKey: 'APP-E3', variables: { registry: 'odd' } });
    expect(await runDue(t)).toBe(1);
    const view = await instance(t, inst.id);
    expect(view.status).toBe('running');
    expect(view.waiting.map((w: { elementId: string }) => w.elementId)).toContain('ServiceTask_CheckIncome');
    const h = await history(t, inst.id);
    expect(h.some((e) => e.type === 'job-failed')).toBe(false);
    const raised = h.find((e) => e.type === 'incident-raised') as unknown as { data: { message: string } };
    expect(raised.data.message).toContain('REGISTRY_ODD_ANSWER');
    expect(raised.data.message).toContain('not caught');
    const incidents = await request(t.http).get('/api/incidents').expect(200);
    const mine = (incidents.body.items ?? incidents.body).filter((i: { processInstanceId?: string; instanceId?: string }) => (i.processInstanceId ?? i.instanceId) === inst.id);
    expect(mine).toHaveLength(1);
    // nothing is due any more: the job waits for an operator
    expect(await runDue(t)).toBe(0);
  });

  it('POST /api/tasks/{id}/bpmn-error on a user task with an error boundary routes to the boundary path', async () => {
    const inst = await start(t, 'errUser', { businessKey: 'APP-E4' });
    const review = await taskOf(inst.id, 'UserTask_StreetReview');
    const res = await request(t.http)
      .post(`/api/tasks/${review.id}/bpmn-error`)
      .send({ errorCode: 'MATERIALS_MISSING', message: '缺少户口簿', variables: { missing: ['户口簿'] } })
      .expect(200);
    expect(res.body).toEqual({ taskId: review.id, processInstanceId: inst.id });
    expect((await openTasks(t, inst.id)).map((x) => x.elementId)).toEqual(['UserTask_Supplement']);
    expect((await instance(t, inst.id)).variables).toEqual({ missing: ['户口簿'] });
    expect((await request(t.http).get(`/api/tasks/${review.id}`).expect(200)).body.status).toBe('completed');
    expect((await history(t, inst.id)).some((e) => e.type === 'task-bpmn-error' && e.elementId === 'UserTask_StreetReview')).toBe(true);
    // the task is closed: a second error or a completion is a conflict
    expect((await request(t.http).post(`/api/tasks/${review.id}/bpmn-error`).send({ errorCode: 'MATERIALS_MISSING' }).expect(409)).body.code).toBe('TASK_NOT_OPEN');
  });

  it('answers 422 BPMN_ERROR_NOT_CAUGHT when no boundary catches the code, and the task stays open', async () => {
    const inst = await start(t, 'errUser', { businessKey: 'APP-E5' });
    const review = await taskOf(inst.id, 'UserTask_StreetReview');
    const before = (await instance(t, inst.id)).version;
    // a code the boundary does not model
    const wrong = await request(t.http).post(`/api/tasks/${review.id}/bpmn-error`).send({ errorCode: 'NOT_MODELLED' }).expect(422);
    expect(wrong.body).toMatchObject({ code: 'BPMN_ERROR_NOT_CAUGHT', details: { taskId: review.id, errorCode: 'NOT_MODELLED' } });
    expect((await request(t.http).get(`/api/tasks/${review.id}`).expect(200)).body.status).toBe('open');
    expect((await instance(t, inst.id)).version).toBe(before);

    // a task with no error boundary at all
    await request(t.http).post(`/api/tasks/${review.id}/complete`).send({}).expect(200);
    const district = await taskOf(inst.id, 'UserTask_DistrictReview');
    const none = await request(t.http).post(`/api/tasks/${district.id}/bpmn-error`).send({ errorCode: 'MATERIALS_MISSING' }).expect(422);
    expect(none.body.code).toBe('BPMN_ERROR_NOT_CAUGHT');
    expect((await openTasks(t, inst.id)).map((x) => x.elementId)).toEqual(['UserTask_DistrictReview']);
    await request(t.http).post(`/api/tasks/${district.id}/complete`).send({}).expect(200);
    expect((await instance(t, inst.id)).status).toBe('completed');
  });

  it('refuses a bpmn-error without an errorCode (400) and an unknown task (404)', async () => {
    const inst = await start(t, 'errUser', { businessKey: 'APP-E6' });
    const review = await taskOf(inst.id, 'UserTask_StreetReview');
    await request(t.http).post(`/api/tasks/${review.id}/bpmn-error`).send({}).expect(400);
    const unknown = await request(t.http).post('/api/tasks/00000000-0000-4000-8000-000000000000/bpmn-error').send({ errorCode: 'X' }).expect(404);
    expect(unknown.body.code).toBe('TASK_NOT_FOUND');
  });

  it('an escalation thrown inside an embedded sub-process reaches a non-interrupting escalation boundary', async () => {
    const inst = await start(t, 'errEscalation', { businessKey: 'APP-E7' });
    const tasks = await openTasks(t, inst.id);
    // the sub-process goes on, and the supervisor is asked as well
    expect(tasks.map((x) => x.elementId).sort()).toEqual(['UserTask_SupervisorReview', 'UserTask_VerifyDocuments']);
    for (const task of tasks) await request(t.http).post(`/api/tasks/${task.id}/complete`).send({}).expect(200);
    expect((await instance(t, inst.id)).status).toBe('completed');
    const left = (await history(t, inst.id)).filter((e) => e.type === 'activity-left').map((e) => e.elementId);
    expect(left).toEqual(expect.arrayContaining(['Boundary_Complex', 'EndEvent_Supervised', 'EndEvent_1']));
  });
});
