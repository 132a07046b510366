import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { AdjustableClock, Clock } from '../../src/common';
import { JobExecutor, ServiceHandlerRegistry, UserTaskCommands } from '../../src/engine';
import { InstanceStepper } from '../../src/engine/instances/instance-stepper';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy, history, instance, openTasks, registerHandler, setNow, start } from '../support/engine';

const PG = !!process.env.TEST_DATABASE_URL;
const noTest = (() => undefined) as unknown as jest.It;

const TWO_TASKS = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_Warm" xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="https://anju.example/test">
  <process id="warm_two_tasks" name="两步审核" isExecutable="true">
    <startEvent id="Start" />
    <sequenceFlow id="F1" sourceRef="Start" targetRef="First" />
    <userTask id="First" name="初审" camunda:candidateGroups="reviewer" />
    <sequenceFlow id="F2" sourceRef="First" targetRef="Second" />
    <userTask id="Second" name="复审" camunda:candidateGroups="reviewer" />
    <sequenceFlow id="F3" sourceRef="Second" targetRef="End" />
    <endEvent id="End" />
  </process>
</definitions>`;

const SERVICE_THEN_TASK = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_Affinity" xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="https://anju.example/test">
  <process id="warm_affinity" name="核验后审核" isExecutable="true">
    <startEvent id="Start" />
    <sequenceFlow id="F1" sourceRef="Start" targetRef="Verify" />
    <serviceTask id="Verify" name="核验" camunda:type="affinityVerify" />
    <sequenceFlow id="F2" sourceRef="Verify" targetRef="Review" />
    <userTask id="Review" name="审核" camunda:candidateGroups="reviewer" />
    <sequenceFlow id="F3" sourceRef="Review" targetRef="End" />
    <endEvent id="End" />
  </process>
</definitions>`;

/**
 * A node keeps the engine of an instance running after a step and continues it at the next step
 * instead of recovering the stored state, but only while the stored row is the one that step
 * wrote. These tests check both sides: the shortcut is taken, and never when the row moved on.
 */
describe('warm engines between steps', () => {
  let t: TestApp;
  const stats = () => t.app.get(InstanceStepper).warmStats();
  const left = async (id: string, elementId: string) => (await history(t, id)).filter((e) => e.type === 'activity-left' && e.elementId === elementId).length;

  beforeAll(async () => {
    t = await createEngineTestApp();
    setNow(t, '2027-03-01T09:00:00+08:00');
    await deploy(t, { 'warm.bpmn': TWO_TASKS }).expect(201);
  });
  afterAll(() => t?.close());

  async function completeOnly(id: string, name: string, variables: Record<string, unknown>, http = t.http) {
    const tasks = await openTasks(t, id);
    expect(tasks.map((x) => x.name)).toEqual([name]);
    return request(http).post(`/api/tasks/${tasks[0].id}/complete`).send({ variables });
  }

  it('continues its own engine: the instance runs to its end with every activity once and the variables set', async () => {
    const before = stats();
    const inst = await start(t, 'warm_two_tasks', { businessKey: 'WARM-1', variables: { applicant: '张三' } });
    await completeOnly(inst.id, '初审', { firstOpinion: '同意' }).then((r) => expect(r.status).toBe(200));
    await completeOnly(inst.id, '复审', { secondOpinion: '同意' }).then((r) => expect(r.status).toBe(200));
    const after = stats();
    expect(after.continued - before.continued).toBe(2);
    expect(after.recovered - before.recovered).toBe(0);
    const view = await instance(t, inst.id);
    expect(view.status).toBe('completed');
    expect(view.variables).toMatchObject({ applicant: '张三', firstOpinion: '同意', secondOpinion: '同意' });
    for (const element of ['Start', 'First', 'Second', 'End']) expect(await left(inst.id, element)).toBe(1);
  });

  it('recovers the stored state when the transaction of its last step rolled back', async () => {
    const inst = await start(t, 'warm_two_tasks', { businessKey: 'WARM-2' });
    const stepper = t.app.get(InstanceStepper);
    // a step that ran (and kept its engine) inside a transaction that then failed
    await expect(
      t.ds.transaction(async (em) => {
        const row = (await stepper.lock(em, inst.id))!;
        const first = row.waiting.find((w) => w.elementId === 'First')!;
        const result = await stepper.step(em, row, { kind: 'complete', executionId: first.executionId, variables: { firstOpinion: '撤回前' } }, null);
        expect(result.waiting.map((w) => w.elementId)).toEqual(['Second']);
        throw new Error('the caller failed after the step');
      }),
    ).rejects.toThrow('the caller failed after the step');
    // the stored instance still waits in 初审: the engine that moved on in memory must not be used
    expect((await instance(t, inst.id)).waiting.map((w: { elementId: string }) => w.elementId)).toEqual(['First']);
    const before = stats();
    await completeOnly(inst.id, '初审', { firstOpinion: '同意' }).then((r) => expect(r.status).toBe(200));
    expect(stats().recovered - before.recovered).toBe(1);
    expect((await openTasks(t, inst.id)).map((x) => x.name)).toEqual(['复审']);
    expect((await instance(t, inst.id)).variables.firstOpinion).toBe('同意');
    expect(await left(inst.id, 'First')).toBe(1);
  });

  it('recovers on every step when the cache is off (ENGINE_WARM_INSTANCES=0)', async () => {
    const cold = await createEngineTestApp({ ENGINE_WARM_INSTANCES: '0' });
    try {
      setNow(cold, '2027-03-01T09:00:00+08:00');
      await deploy(cold, { 'warm.bpmn': TWO_TASKS }).expect(201);
      const inst = await start(cold, 'warm_two_tasks');
      const [task] = await openTasks(cold, inst.id);
      await request(cold.http).post(`/api/tasks/${task.id}/complete`).send({ variables: {} }).expect(200);
      expect(cold.app.get(InstanceStepper).warmStats()).toEqual({ continued: 0, recovered: 1, kept: 0 });
    } finally {
      await cold.close();
    }
  });

  it('marks a service job with the node that keeps the engine, which runs it continuing that engine', async () => {
    registerHandler(t, 'affinityVerify', () => ({ verifiedBy: 'this node' }));
    await deploy(t, { 'affinity.bpmn': SERVICE_THEN_TASK }).expect(201);
    const inst = await start(t, 'warm_affinity', { businessKey: 'WARM-4' });
    const [job] = await t.ds.query(`SELECT affinity FROM engine_jobs WHERE instance_id = $1 AND kind = 'service'`, [inst.id]);
    expect(job.affinity).toBe(t.app.get(JobExecutor).nodeId);
    const before = stats();
    expect(await t.app.get(JobExecutor).runDue()).toBe(1);
    expect(stats().continued - before.continued).toBe(1);
    expect((await openTasks(t, inst.id)).map((x) => x.name)).toEqual(['审核']);
  });

  // registered only under `npm run test:pg`: two application instances cannot share the embedded database
  (PG ? it : noTest)('PostgreSQL: another node leaves a service job to the node keeping its engine, and takes it after JOB_AFFINITY_MS', async () => {
    registerHandler(t, 'affinityVerify', () => ({ verifiedBy: 'this node' }));
    await deploy(t, { 'affinity.bpmn': SERVICE_THEN_TASK }).expect(201);
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ ...t.config, database: { ...t.config.database, runMigrations: false } })] }).compile();
    const other: INestApplication = moduleRef.createNestApplication();
    await other.init();
    try {
      other.get(ServiceHandlerRegistry).register('affinityVerify', () => ({ verifiedBy: 'other node' }));
      const otherClock = other.get(Clock) as AdjustableClock;
      otherClock.set(t.app.get(Clock).now());
      const inst = await start(t, 'warm_affinity', { businessKey: 'WARM-5' });
      expect(await other.get(JobExecutor).runDue()).toBe(0);
      expect(await openTasks(t, inst.id)).toEqual([]);
      // a node that died or fell behind does not hold its work: after the affinity period anyone takes it
      otherClock.set(new Date(t.app.get(Clock).now().getTime() + t.config.jobs.affinityMs + 1000));
      expect(await other.get(JobExecutor).runDue()).toBe(1);
      expect((await openTasks(t, inst.id)).map((x) => x.name)).toEqual(['审核']);
      expect((await instance(t, inst.id)).variables).toMatchObject({ verifiedBy: 'other node' });
    } finally {
      await other.close();
    }
  });

  // registered only under `npm run test:pg`: two application instances cannot share the embedded database
  (PG ? it : noTest)('PostgreSQL: recovers when another node stepped the instance since its own last step', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ ...t.config, database: { ...t.config.database, runMigrations: false } })] }).compile();
    const other: INestApplication = moduleRef.createNestApplication();
    await other.init();
    try {
      (other.get(Clock) as AdjustableClock).set(t.app.get(Clock).now());
      const inst = await start(t, 'warm_two_tasks', { businessKey: 'WARM-3' }); // this node keeps the engine waiting in 初审
      const [first] = await openTasks(t, inst.id);
      await other.get(UserTaskCommands).complete(first.id, { firstOpinion: '另一节点' }, null); // the other node moves it to 复审
      const before = stats();
      await completeOnly(inst.id, '复审', { secondOpinion: '同意' }).then((r) => expect(r.status).toBe(200));
      expect(stats().recovered - before.recovered).toBe(1);
      const view = await instance(t, inst.id);
      expect(view.status).toBe('completed');
      expect(view.variables).toMatchObject({ firstOpinion: '另一节点', secondOpinion: '同意' });
      expect(await left(inst.id, 'First')).toBe(1);
      expect(await left(inst.id, 'Second')).toBe(1);
    } finally {
      await other.close();
    }
  });
});
