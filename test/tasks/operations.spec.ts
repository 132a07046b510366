import request from 'supertest';
import { QueueWorld, STREET, auditOf, queueWorld, setNow, taskEvents, userId } from './tasks-support';

/**
 * Claim, unclaim, delegate/resolve, assign, complete, bpmn-error and comments, each with its
 * conflicts; every change is one transaction with a history event and an audit row.
 */
describe('task operations', () => {
  let w: QueueWorld;
  beforeAll(async () => {
    w = await queueWorld();
    setNow(w.t, '2026-09-30T10:00:00+08:00');
  });
  afterAll(() => w?.t.close());

  const post = async (user: string, path: string, body: object = {}) => request(w.t.http).post(path).set(await w.as(user)).send(body);

  it('claims for a candidate, again for the same user changes nothing, and refuses anyone else naming the holder', async () => {
    // offered to the street reviewers and, by name, to the window caseworker
    const task = await w.task({ ...STREET, users: ['jj_window'] });
    const first = await post('jgy_street', `/api/tasks/${task.id}/claim`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ assignee: 'jgy_street', claimedBy: await userId(w.t, 'jgy_street') });
    expect(first.body.claimedAt).toBeTruthy();

    const again = await post('jgy_street', `/api/tasks/${task.id}/claim`);
    expect(again.status).toBe(200);
    expect(again.body.claimedAt).toBe(first.body.claimedAt);

    const other = await post('jj_window', `/api/tasks/${task.id}/claim`);
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('TASK_ALREADY_CLAIMED');
    expect(other.body.message).toContain('jgy_street');
    expect(other.body.details).toMatchObject({ assignee: 'jgy_street' });

    expect((await taskEvents(w.t, task)).filter((e) => e.type === 'task-claimed')).toHaveLength(1);
    const audit = await auditOf(w.t, task.id);
    expect(audit.map((a) => [a.action, a.result, a.status, a.username])).toEqual([
      ['tasks.claim', 'success', 200, 'jgy_street'],
      ['tasks.claim', 'success', 200, 'jgy_street'],
      ['tasks.claim', 'failure', 409, 'jj_window'],
    ]);
  });

  it("lets the holder unclaim, refuses another candidate, and lets a supervisor release anyone's claim", async () => {
    const task = await w.task({ ...STREET, users: ['jj_window'] });
    await post('jgy_street', `/api/tasks/${task.id}/claim`).then((r) => expect(r.status).toBe(200));
    const refused = await post('jj_window', `/api/tasks/${task.id}/unclaim`);
    expect([refused.status, refused.body.code]).toEqual([409, 'TASK_ALREADY_CLAIMED']);

    expect((await post('jgy_street', `/api/tasks/${task.id}/unclaim`)).body.assignee).toBeNull();
    // nothing to release: still fine
    expect((await post('jgy_street', `/api/tasks/${task.id}/unclaim`)).status).toBe(200);

    expect((await post('jj_window', `/api/tasks/${task.id}/claim`)).body.assignee).toBe('jj_window');
    const released = await post('jj_county', `/api/tasks/${task.id}/unclaim`);
    expect([released.status, released.body.assignee]).toEqual([200, null]);
    expect((await taskEvents(w.t, task)).map((e) => e.type)).toEqual(['task-created', 'task-claimed', 'task-unclaimed', 'task-claimed', 'task-unclaimed']);
  });

  it('delegates to a user in scope, who resolves it back to the owner; checks the delegate', async () => {
    await w.as('jj_county');
    const task = await w.task(STREET);
    await post('jgy_street', `/api/tasks/${task.id}/claim`);
    const unknown = await post('jgy_street', `/api/tasks/${task.id}/delegate`, { assignee: 'nobody_here' });
    expect([unknown.status, unknown.body.code, unknown.body.details.fields[0].field]).toEqual([400, 'TASK_USER_UNKNOWN', 'assignee']);
    await w.as('applicant_zhang');
    expect((await post('jgy_street', `/api/tasks/${task.id}/delegate`, { assignee: 'applicant_zhang' })).status).toBe(400);
    await w.as('dy_window');
    const outside = await post('jgy_street', `/api/tasks/${task.id}/delegate`, { assignee: 'dy_window' });
    expect([outside.status, outside.body.code, outside.body.details.fields[0].field]).toEqual([422, 'TASK_USER_CANNOT_HOLD', 'assignee']);
    expect((await post('jgy_street', `/api/tasks/${task.id}/delegate`, {})).status).toBe(400);

    const delegated = await post('jgy_street', `/api/tasks/${task.id}/delegate`, { assignee: 'jj_county' });
    expect(delegated.body).toMatchObject({ assignee: 'jj_county', owner: 'jgy_street', delegationState: 'pending' });
    // the owner sees it still, but it is the delegate's now
    expect((await request(w.t.http).get(`/api/tasks/${task.id}`).set(await w.as('jgy_street'))).status).toBe(200);
    expect((await post('jgy_street', `/api/tasks/${task.id}/claim`)).body.code).toBe('TASK_ALREADY_CLAIMED');
    // a delegated task is resolved, not completed
    const early = await post('jj_county', `/api/tasks/${task.id}/complete`, { variables: {} });
    expect([early.status, early.body.code]).toEqual([409, 'TASK_DELEGATION_PENDING']);

    const resolved = await post('jj_county', `/api/tasks/${task.id}/resolve`);
    expect(resolved.body).toMatchObject({ assignee: 'jgy_street', owner: 'jgy_street', delegationState: 'resolved' });
    expect((await post('jj_county', `/api/tasks/${task.id}/resolve`)).body.code).toBe('TASK_NOT_DELEGATED');
    const events = (await taskEvents(w.t, task)).filter((e) => e.type === 'task-delegated' || e.type === 'task-resolved');
    expect(events.map((e) => [e.type, e.data.assignee])).toEqual([
      ['task-delegated', 'jj_county'],
      ['task-resolved', 'jgy_street'],
    ]);
    expect((await post('jgy_street', `/api/tasks/${task.id}/complete`, { variables: { approved: true } })).status).toBe(200);
  });

  it('lets only a supervisor assign, and only to a candidate or a supervisor of the task', async () => {
    const task = await w.task(STREET);
    const notSupervisor = await post('jgy_street', `/api/tasks/${task.id}/assign`, { assignee: 'jgy_street' });
    expect([notSupervisor.status, notSupervisor.body.code]).toEqual([403, 'TASK_SUPERVISOR_REQUIRED']);
    await w.as('cd_city');
    const notCandidate = await post('jj_county', `/api/tasks/${task.id}/assign`, { assignee: 'cd_city' });
    expect([notCandidate.status, notCandidate.body.code]).toEqual([422, 'TASK_USER_CANNOT_HOLD']);
    expect((await post('jj_county', `/api/tasks/${task.id}/assign`, {})).status).toBe(400);

    const assigned = await post('jj_county', `/api/tasks/${task.id}/assign`, { assignee: 'jgy_street' });
    expect(assigned.body).toMatchObject({ assignee: 'jgy_street', claimedBy: null, assignedBy: await userId(w.t, 'jj_county') });
    const back = await post('jj_county', `/api/tasks/${task.id}/assign`, { assignee: null });
    expect(back.body.assignee).toBeNull();
    expect((await auditOf(w.t, task.id)).filter((a) => a.result === 'success').map((a) => a.action)).toEqual(['tasks.assign', 'tasks.assign']);
  });

  it('completes with variables for the holder; another candidate gets 409, and a closed task refuses everything', async () => {
    const task = await w.task({ ...STREET, users: ['jj_window'] });
    await post('jgy_street', `/api/tasks/${task.id}/claim`);
    const taken = await post('jj_window', `/api/tasks/${task.id}/complete`, { variables: { approved: false } });
    expect([taken.status, taken.body.code]).toEqual([409, 'TASK_ALREADY_CLAIMED']);
    expect((await post('jgy_street', `/api/tasks/${task.id}/complete`, { variables: 'yes' })).status).toBe(400);

    const done = await post('jgy_street', `/api/tasks/${task.id}/complete`, { variables: { approved: true, opinion: '同意' } });
    expect([done.status, done.body]).toEqual([200, { taskId: task.id, processInstanceId: task.processInstanceId }]);
    const closed = await request(w.t.http).get(`/api/tasks/${task.id}`).set(await w.as('jgy_street')).expect(200);
    expect(closed.body).toMatchObject({ status: 'completed', statusLabel: { 'zh-CN': '已办结', en: 'Completed' }, completedBy: await userId(w.t, 'jgy_street') });
    const inst = await request(w.t.http).get(`/api/process-instances/${task.processInstanceId}`).set(await w.as('sc_modeler')).expect(200);
    expect(inst.body).toMatchObject({ status: 'completed', variables: { approved: true, opinion: '同意' } });

    for (const [path, body] of [['complete', {}], ['claim', {}], ['unclaim', {}], ['comments', { body: '补一句' }], ['bpmn-error', { errorCode: 'MATERIALS_MISSING' }]] as const) {
      const res = await post('jgy_street', `/api/tasks/${task.id}/${path}`, body);
      expect([path, res.status, res.body.code]).toEqual([path, 409, 'TASK_NOT_OPEN']);
    }
    const audit = await auditOf(w.t, task.id);
    expect(audit.filter((a) => a.action === 'tasks.complete').map((a) => a.status)).toEqual([409, 400, 200, 409]);
  });

  it('completes an unassigned task for any candidate, and a claimed one for a supervisor', async () => {
    const open = await w.task(STREET);
    expect((await post('jgy_street', `/api/tasks/${open.id}/complete`, { variables: {} })).status).toBe(200);
    const claimed = await w.task(STREET);
    await post('jgy_street', `/api/tasks/${claimed.id}/claim`);
    expect((await post('jj_county', `/api/tasks/${claimed.id}/complete`, { variables: {} })).status).toBe(200);
    const status = async (id: string) => (await request(w.t.http).get(`/api/tasks/${id}`).set(await w.as('jj_county')).expect(200)).body.status;
    expect([await status(open.id), await status(claimed.id)]).toEqual(['completed', 'completed']);
  });

  it('raises a BPMN error caught by the diagram, and leaves the task open when nothing catches it', async () => {
    const task = await w.task(STREET);
    const uncaught = await post('jgy_street', `/api/tasks/${task.id}/bpmn-error`, { errorCode: 'NOT_MODELLED' });
    expect([uncaught.status, uncaught.body.code]).toEqual([422, 'BPMN_ERROR_NOT_CAUGHT']);
    expect((await request(w.t.http).get(`/api/tasks/${task.id}`).set(await w.as('jgy_street'))).body.status).toBe('open');
    const raised = await post('jgy_street', `/api/tasks/${task.id}/bpmn-error`, { errorCode: 'MATERIALS_MISSING', message: '缺少户口簿' });
    expect([raised.status, raised.body]).toEqual([200, { taskId: task.id, processInstanceId: task.processInstanceId }]);
    const history = await request(w.t.http).get(`/api/process-instances/${task.processInstanceId}/history`).set(await w.as('sc_modeler')).expect(200);
    expect(history.body.map((h: { elementId: string | null }) => h.elementId)).toContain('EndEvent_Returned');
    expect((await auditOf(w.t, task.id)).map((a) => [a.action, a.status])).toEqual([
      ['tasks.bpmn_error', 422],
      ['tasks.bpmn_error', 200],
    ]);
  });

  it('keeps comments by those who may see the task, in order', async () => {
    const task = await w.task(STREET);
    const first = await post('jgy_street', `/api/tasks/${task.id}/comments`, { body: '已电话联系申请人补充材料' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ taskId: task.id, authorName: 'jgy_street', body: '已电话联系申请人补充材料' });
    expect((await post('jj_county', `/api/tasks/${task.id}/comments`, { body: '请三日内办结' })).status).toBe(201);
    expect((await post('jj_window', `/api/tasks/${task.id}/comments`, { body: '路过' })).status).toBe(403);
    expect((await post('dy_window', `/api/tasks/${task.id}/comments`, { body: '路过' })).status).toBe(404);
    expect((await post('jgy_street', `/api/tasks/${task.id}/comments`, { body: '' })).status).toBe(400);
    expect((await post('jgy_street', `/api/tasks/${task.id}/comments`, { body: 'x'.repeat(4001) })).status).toBe(400);

    const list = await request(w.t.http).get(`/api/tasks/${task.id}/comments`).set(await w.as('jgy_street')).expect(200);
    expect(list.body.map((c: { authorName: string; body: string }) => [c.authorName, c.body])).toEqual([
      ['jgy_street', '已电话联系申请人补充材料'],
      ['jj_county', '请三日内办结'],
    ]);
    expect((await request(w.t.http).get(`/api/tasks/${task.id}/comments`).set(await w.as('jj_window'))).status).toBe(403);
    expect((await taskEvents(w.t, task)).filter((e) => e.type === 'task-commented')).toHaveLength(2);
  });

  it('answers 404 for a task that does not exist, whatever the operation', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect((await request(w.t.http).get(`/api/tasks/${id}`).set(await w.as('jgy_street'))).status).toBe(404);
      for (const path of ['claim', 'unclaim', 'resolve', 'complete']) {
        const res = await post('jgy_street', `/api/tasks/${id}/${path}`);
        expect([path, res.status, res.body.code]).toEqual([path, 404, 'TASK_NOT_FOUND']);
      }
    }
  });
});
