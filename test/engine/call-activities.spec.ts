import request from 'supertest';
import { TestApp, createEngineTestApp } from '../support/app';
import { DAY, advance, deploy, fixture, history, instance, openTasks, runDue, setNow, start } from '../support/engine';

interface InstanceView {
  id: string;
  status: string;
  processKey: string;
  processVersion: number;
  businessKey: string | null;
  parentInstanceId: string | null;
  variables: Record<string, unknown>;
  waiting: { elementId: string }[];
}

describe('engine: call activities', () => {
  let t: TestApp;

  /** The child instances a parent started, as GET /api/process-instances lists them. */
  async function childrenOf(parentId: string): Promise<InstanceView[]> {
    const res = await request(t.http).get('/api/process-instances?processKey=callChild&limit=500').expect(200);
    return (res.body.items as InstanceView[]).filter((i) => i.parentInstanceId === parentId);
  }

  async function completeOnly(instanceId: string, variables: Record<string, unknown>) {
    const [task] = await openTasks(t, instanceId);
    await request(t.http).post(`/api/tasks/${task.id}/complete`).send({ variables }).expect(200);
  }

  beforeAll(async () => {
    t = await createEngineTestApp();
    setNow(t, '2026-12-01T09:00:00+08:00');
    await deploy(t, { 'call-child.bpmn': fixture('call-child.bpmn') }).expect(201);
    await deploy(t, {
      'call-parent-mapped.bpmn': fixture('call-parent-mapped.bpmn'),
      'call-parent-all.bpmn': fixture('call-parent-all.bpmn'),
      'call-parent-pinned.bpmn': fixture('call-parent-pinned.bpmn'),
    }).expect(201);
  });
  afterAll(() => t?.close());

  it('starts the child with camunda:in mappings, resumes the parent through a call-end job, and maps camunda:out back', async () => {
    const parent = await start(t, 'callParentMapped', { businessKey: 'APP-C1', variables: { applicant: '张三', members: 2, secret: '不传' } });
    // the call activity waits, and so does its boundary timer
    expect(parent.waiting.map((w) => w.elementId).sort()).toEqual(['CallActivity_HomeVisit', 'Timer_VisitDeadline']);
    const [child] = await childrenOf(parent.id);
    expect(child).toMatchObject({ status: 'running', businessKey: 'APP-C1', variables: { householder: '张三', headcount: 3 } });
    expect(child.variables).not.toHaveProperty('secret');
    const [visit] = await openTasks(t, child.id);
    expect(visit).toMatchObject({ elementId: 'UserTask_HomeVisit', candidateGroups: ['street'] });
    expect(await history(t, child.id)).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'called-by', data: { parentInstanceId: parent.id, elementId: 'CallActivity_HomeVisit' } })]));

    await completeOnly(child.id, { visitScore: 88, visitorNote: '住房困难属实' });
    expect((await instance(t, child.id)).status).toBe('completed');
    // the parent resumes in its own step, run by the job executor
    expect((await instance(t, parent.id)).waiting.map((w: { elementId: string }) => w.elementId)).toContain('CallActivity_HomeVisit');
    expect(await runDue(t)).toBe(1);
    const resumed = await instance(t, parent.id);
    expect(resumed.waiting.map((w: { elementId: string }) => w.elementId)).toEqual(['UserTask_Decide']);
    expect(resumed.variables).toEqual({ applicant: '张三', members: 2, secret: '不传', homeVisitScore: 88 });
    expect((await history(t, parent.id)).some((h) => h.type === 'call-ended' && h.elementId === 'CallActivity_HomeVisit')).toBe(true);
    // the boundary timer of the call activity went with it
    advance(t, 11 * DAY);
    expect(await runDue(t)).toBe(0);
    await completeOnly(parent.id, {});
    expect((await instance(t, parent.id)).status).toBe('completed');
  });

  it('without any camunda:in/out passes every variable in and every child variable out', async () => {
    const parent = await start(t, 'callParentAll', { businessKey: 'APP-C2', variables: { applicant: '李四', members: 4 } });
    const [child] = await childrenOf(parent.id);
    expect(child.variables).toEqual({ applicant: '李四', members: 4 });
    await completeOnly(child.id, { visitScore: 70 });
    expect(await runDue(t)).toBe(1);
    expect(await instance(t, parent.id)).toMatchObject({ status: 'completed', variables: { applicant: '李四', members: 4, visitScore: 70 } });
  });

  it('calls the latest child version by default and the pinned one with calledElementBinding="version"', async () => {
    const v2 = fixture('call-child.bpmn').replace('name="入户调查" camunda', 'name="入户调查（新）" camunda');
    const res = await deploy(t, { 'call-child.bpmn': v2 }).expect(201);
    expect(res.body.definitions[0]).toMatchObject({ key: 'callChild', version: 2 });

    const latest = await start(t, 'callParentAll', { businessKey: 'APP-C3' });
    const pinned = await start(t, 'callParentPinned', { businessKey: 'APP-C4' });
    const [latestChild] = await childrenOf(latest.id);
    const [pinnedChild] = await childrenOf(pinned.id);
    expect(latestChild.processVersion).toBe(2);
    expect((await openTasks(t, latestChild.id))[0].name).toBe('入户调查（新）');
    expect(pinnedChild.processVersion).toBe(1);
    expect((await openTasks(t, pinnedChild.id))[0].name).toBe('入户调查');
    await completeOnly(pinnedChild.id, {});
    expect(await runDue(t)).toBe(1);
    expect((await instance(t, pinned.id)).status).toBe('completed');
  });

  it('cancelling the parent cancels the child and its open tasks', async () => {
    const parent = await start(t, 'callParentMapped', { businessKey: 'APP-C5', variables: { applicant: '王五', members: 1 } });
    const [child] = await childrenOf(parent.id);
    const [visit] = await openTasks(t, child.id);
    const res = await request(t.http).post(`/api/process-instances/${parent.id}/cancel`).send({ reason: '申请人撤回申请' }).expect(200);
    expect(res.body).toMatchObject({ status: 'cancelled', endReason: '申请人撤回申请' });
    expect(await instance(t, child.id)).toMatchObject({ status: 'cancelled' });
    expect(await openTasks(t, child.id)).toHaveLength(0);
    expect((await request(t.http).get(`/api/tasks/${visit.id}`).expect(200)).body.status).toBe('cancelled');
    expect((await request(t.http).post(`/api/tasks/${visit.id}/complete`).send({}).expect(409)).body.code).toBe('TASK_NOT_OPEN');
    expect((await history(t, child.id)).some((h) => h.type === 'instance-cancelled')).toBe(true);
    // nothing is left to run for either
    advance(t, 30 * DAY);
    expect(await runDue(t)).toBe(0);
  });

  it('an interrupting boundary timer on the call activity cancels the child', async () => {
    const parent = await start(t, 'callParentMapped', { businessKey: 'APP-C6', variables: { applicant: '赵六', members: 3 } });
    const [child] = await childrenOf(parent.id);
    const [visit] = await openTasks(t, child.id);
    advance(t, 10 * DAY + 1000);
    expect(await runDue(t)).toBe(1);
    expect(await instance(t, parent.id)).toMatchObject({ status: 'completed' });
    expect((await history(t, parent.id)).some((h) => h.type === 'activity-left' && h.elementId === 'EndEvent_Late')).toBe(true);
    expect(await instance(t, child.id)).toMatchObject({ status: 'cancelled' });
    expect((await request(t.http).get(`/api/tasks/${visit.id}`).expect(200)).body.status).toBe('cancelled');
  });
});
