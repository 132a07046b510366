import request from 'supertest';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy, fixture, history, openTasks, setNow, start } from '../support/engine';

describe('50 concurrent completions of one task', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await createEngineTestApp();
    setNow(t, '2027-01-04T09:00:00+08:00');
    await deploy(t, { 'race.bpmn': fixture('race.bpmn') }).expect(201);
    // a listening server, so the 50 requests are 50 real connections arriving together
    await t.app.listen(0, '127.0.0.1');
    url = await t.app.getUrl();
  });
  afterAll(() => t?.close());

  it(`exactly one wins with 200, the other 49 get 409 TASK_NOT_OPEN, and the instance moves on once`, async () => {
    const inst = await start(t, 'race', { businessKey: 'RACE-1' });
    const [task] = await openTasks(t, inst.id);
    expect(task.name).toBe('提交材料');

    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => request(url).post(`/api/tasks/${task.id}/complete`).send({ variables: { submittedBy: `clerk-${i}` } })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(new Set(responses.filter((r) => r.status === 409).map((r) => r.body.code))).toEqual(new Set(['TASK_NOT_OPEN']));

    const winner = statuses.indexOf(200);
    const events = await history(t, inst.id);
    expect(events.filter((e) => e.type === 'task-completed')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'activity-left' && e.elementId === 'UserTask_Submit')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'task-created' && e.elementId === 'UserTask_Verify')).toHaveLength(1);
    expect((await openTasks(t, inst.id)).map((x) => x.name)).toEqual(['核验材料']);
    // the winner's variables are the ones the process kept
    const view = (await request(url).get(`/api/process-instances/${inst.id}`).expect(200)).body;
    expect(view.variables.submittedBy).toBe(`clerk-${winner}`);
  });
});
