import request from 'supertest';
import { runDue } from '../support/engine';
import { QueueWorld, TaskBody, queueWorld, setNow } from './tasks-support';

/**
 * Escalation in a diagram (test/fixtures/bpmn/task-escalation.bpmn): the street review has an
 * interrupting boundary timer at its deadline (5 working days); when it fires, the street task is
 * cancelled and a 超期督办审查 task opens for the county reviewers, the street reviewers'
 * supervisors. Both tasks stay in the history.
 */
describe('escalation by an interrupting boundary timer', () => {
  let w: QueueWorld;
  beforeAll(async () => {
    w = await queueWorld();
  });
  afterAll(() => w?.t.close());

  const queue = async (user: string, query: string) =>
    (await request(w.t.http).get(`/api/tasks?${query}`).set(await w.as(user)).expect(200)).body.items as (TaskBody & { elementId: string })[];

  it("cancels the street task at its deadline and puts the work in the county reviewers' queue, keeping both", async () => {
    setNow(w.t, '2027-01-04T09:00:00+08:00');
    const started = await request(w.t.http)
      .post('/api/process-definitions/key/task_escalation/start')
      .set(await w.as('sc_modeler'))
      .send({ businessKey: 'APP-2027-0042', variables: { receivedOn: '2027-01-04', regionCode: '510104017', streetCode: '510104017', countyCode: '510104' } })
      .expect(201);
    const instanceId = started.body.id as string;

    const [street] = await queue('jgy_street', 'myGroups=true');
    expect(street).toMatchObject({ name: '街道初审', businessKey: 'APP-2027-0042', regionCode: '510104017', sla: 'on_time' });
    // 5 working days after Monday 2027-01-04: the end of Monday 2027-01-11
    expect(new Date(street.dueAt!).toISOString()).toBe(new Date('2027-01-11T23:59:59.999+08:00').toISOString());
    await request(w.t.http).post(`/api/tasks/${street.id}/claim`).set(await w.as('jgy_street')).expect(200);
    expect(await queue('jj_county', 'myGroups=true')).toEqual([]);

    // the last day: due soon, still the street's
    setNow(w.t, '2027-01-11T09:00:00+08:00');
    expect((await queue('jgy_street', 'sla=due_soon')).map((x) => x.id)).toEqual([street.id]);
    // the deadline passes
    setNow(w.t, '2027-01-12T00:00:01+08:00');
    expect(await runDue(w.t)).toBe(1);

    const streetNow = (await request(w.t.http).get(`/api/tasks/${street.id}`).set(await w.as('jgy_street')).expect(200)).body;
    expect(streetNow).toMatchObject({ status: 'cancelled', assignee: 'jgy_street' });
    expect(await queue('jgy_street', 'assignedToMe=true')).toEqual([]);
    const late = await request(w.t.http).post(`/api/tasks/${street.id}/complete`).set(await w.as('jgy_street')).send({ variables: {} });
    expect([late.status, late.body.code]).toEqual([409, 'TASK_NOT_OPEN']);

    const [county] = await queue('jj_county', 'myGroups=true');
    expect(county).toMatchObject({ name: '超期督办审查', elementId: 'UserTask_SupervisedReview', businessKey: 'APP-2027-0042', priority: 90, candidateGroups: ['county_reviewer:510104'], regionCode: '510104017' });
    expect(county.processInstanceId).toBe(instanceId);
    // the street reviewers do not get the escalated task
    expect((await request(w.t.http).get(`/api/tasks/${county.id}`).set(await w.as('jgy_street'))).status).toBe(403);

    // history keeps both tasks: the supervisor sees the cancelled one beside the new one
    const both = await queue('jj_county', `processInstanceId=${instanceId}&status=all&sort=created`);
    expect(both.map((x) => [x.elementId, x.status])).toEqual([
      ['UserTask_StreetReview', 'cancelled'],
      ['UserTask_SupervisedReview', 'open'],
    ]);
    const events = (await request(w.t.http).get(`/api/process-instances/${instanceId}/history`).set(await w.as('sc_modeler')).expect(200)).body as { type: string; elementId: string }[];
    expect(events.filter((e) => e.type.startsWith('task-')).map((e) => [e.type, e.elementId])).toEqual([
      ['task-created', 'UserTask_StreetReview'],
      ['task-claimed', 'UserTask_StreetReview'],
      ['task-cancelled', 'UserTask_StreetReview'],
      ['task-created', 'UserTask_SupervisedReview'],
    ]);

    await request(w.t.http).post(`/api/tasks/${county.id}/complete`).set(await w.as('jj_county')).send({ variables: { decision: '督办完成' } }).expect(200);
    const inst = (await request(w.t.http).get(`/api/process-instances/${instanceId}`).set(await w.as('sc_modeler')).expect(200)).body;
    expect(inst.status).toBe('completed');
  });
});
