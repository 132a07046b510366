import request from 'supertest';
import { TestApp, createEngineTestApp } from '../support/app';
import { DAY, advance, deploy, fixture, history, instance, openTasks, runDue, setNow, start } from '../support/engine';

describe('engine: migrating a running instance to another version (POST /api/process-instances/{id}/migrate)', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  let a: { id: string };
  let b: { id: string };
  let d: { id: string };
  let e: { id: string };
  const migrate = (id: string, targetDefinitionId: string) => request(t.http).post(`/api/process-instances/${id}/migrate`).send({ targetDefinitionId });
  const complete = async (instanceId: string, elementId: string) => {
    const task = (await openTasks(t, instanceId)).find((x) => x.elementId === elementId)!;
    await request(t.http).post(`/api/tasks/${task.id}/complete`).send({}).expect(200);
  };

  beforeAll(async () => {
    t = await createEngineTestApp();
    setNow(t, '2026-12-01T09:00:00+08:00');
    const deployFile = async (name: string, file: string) => {
      const res = await deploy(t, { [name]: fixture(file) }).expect(201);
      return res.body.definitions[0].id as string;
    };
    ids.v1 = await deployFile('mig.bpmn', 'mig-v1.bpmn');
    a = await start(t, 'migReview', { businessKey: 'APP-MIG-A', variables: { applicant: '张三' } });
    b = await start(t, 'migReview', { businessKey: 'APP-MIG-B' });
    d = await start(t, 'migReview', { businessKey: 'APP-MIG-D' });
    e = await start(t, 'migReview', { businessKey: 'APP-MIG-E' });
    ids.v2 = await deployFile('mig.bpmn', 'mig-v2.bpmn');
    ids.v3 = await deployFile('mig.bpmn', 'mig-v3.bpmn');
    ids.other = await deployFile('mig-other.bpmn', 'mig-other.bpmn');
  });
  afterAll(() => t?.close());

  it('moves an instance to a version that still has its waiting element; it then runs the new version’s path', async () => {
    expect((await instance(t, a.id)).processVersion).toBe(1);
    const res = await migrate(a.id, ids.v2).expect(200);
    expect(res.body).toMatchObject({ id: a.id, status: 'running', processVersion: 2, definitionId: ids.v2, variables: { applicant: '张三' } });
    expect(res.body.waiting.map((w: { elementId: string }) => w.elementId).sort()).toEqual(['Timer_StreetDeadline', 'UserTask_StreetReview']);
    expect((await history(t, a.id)).some((h) => h.type === 'instance-migrated')).toBe(true);
    const [street] = await openTasks(t, a.id);
    expect(street).toMatchObject({ elementId: 'UserTask_StreetReview', processVersion: 2 });

    await complete(a.id, 'UserTask_StreetReview');
    await complete(a.id, 'UserTask_DistrictReview');
    // version 1 would have ended here; version 2 asks the city
    const [city] = await openTasks(t, a.id);
    expect(city).toMatchObject({ elementId: 'UserTask_CityReview', name: '市级审批', processVersion: 2 });
    await complete(a.id, 'UserTask_CityReview');
    expect(await instance(t, a.id)).toMatchObject({ status: 'completed', processVersion: 2 });
  });

  it('refuses a version lacking the waiting element with 409 MIGRATION_INVALID listing it, and changes nothing', async () => {
    const before = await instance(t, b.id);
    const res = await migrate(b.id, ids.v3).expect(409);
    expect(res.body).toMatchObject({ code: 'MIGRATION_INVALID', details: { missingElements: ['Timer_StreetDeadline', 'UserTask_StreetReview'] } });
    const after = await instance(t, b.id);
    expect(after).toMatchObject({ processVersion: 1, definitionId: ids.v1, version: before.version });
    expect((await history(t, b.id)).some((h) => h.type === 'instance-migrated')).toBe(false);
    // still on version 1: two steps and done
    await complete(b.id, 'UserTask_StreetReview');
    await complete(b.id, 'UserTask_DistrictReview');
    expect(await instance(t, b.id)).toMatchObject({ status: 'completed', processVersion: 1 });
  });

  it('refuses a definition of another key (409), an unknown definition (404), and a finished instance (409)', async () => {
    const c = await start(t, 'migReview', { businessKey: 'APP-MIG-C' });
    expect((await instance(t, c.id)).processVersion).toBe(3);
    const other = await migrate(c.id, ids.other).expect(409);
    expect(other.body.code).toBe('MIGRATION_INVALID');
    expect(other.body.message).toContain('migOther');
    expect((await migrate(c.id, '00000000-0000-4000-8000-000000000000').expect(404)).body.code).toBe('PROCESS_DEFINITION_NOT_FOUND');
    expect((await migrate(c.id, 'not-a-uuid').expect(400)).body.code).toBeDefined();
    expect((await migrate(b.id, ids.v2).expect(409)).body.code).toBe('PROCESS_INSTANCE_NOT_RUNNING');
    expect((await instance(t, c.id)).processVersion).toBe(3);
  });

  it('refuses a version that adds a boundary event to the waiting task (it could not be armed), and changes nothing', async () => {
    const withdraw = `<userTask id="UserTask_StreetReview" name="街道审核" />
    <boundaryEvent id="Boundary_Withdraw" name="申请人撤回" attachedToRef="UserTask_StreetReview">
      <messageEventDefinition id="MessageDef_Withdraw" messageRef="Message_Withdraw" />
    </boundaryEvent>
    <sequenceFlow id="Flow_Withdraw" sourceRef="Boundary_Withdraw" targetRef="EndEvent_Withdrawn" />
    <endEvent id="EndEvent_Withdrawn" name="已撤回" />`;
    const v4 = fixture('mig-v2.bpmn')
      .replace('<userTask id="UserTask_StreetReview" name="街道审核" />', withdraw)
      .replace('<process id="migReview"', '<message id="Message_Withdraw" name="migWithdraw" />\n  <process id="migReview"');
    const res = await deploy(t, { 'mig.bpmn': v4 }).expect(201);
    const refused = await migrate(e.id, res.body.definitions[0].id).expect(409);
    expect(refused.body).toMatchObject({ code: 'MIGRATION_INVALID', details: { addedBoundaryEvents: ['Boundary_Withdraw'] } });
    expect(await instance(t, e.id)).toMatchObject({ processVersion: 1, definitionId: ids.v1 });
    await request(t.http).post(`/api/process-instances/${e.id}/cancel`).send({ reason: '测试结束' }).expect(200);
  });

  it('keeps a pending deadline through the migration; when it fires, the new version’s timer path runs', async () => {
    await migrate(d.id, ids.v2).expect(200);
    advance(t, 10 * DAY + 1000);
    expect(await runDue(t)).toBe(1);
    // version 1 ended at the deadline; version 2 asks for supervision
    expect((await openTasks(t, d.id)).map((x) => x.elementId)).toEqual(['UserTask_OverdueSupervision']);
    expect((await history(t, d.id)).some((h) => h.type === 'timer-fired' && h.elementId === 'Timer_StreetDeadline')).toBe(true);
  });
});
