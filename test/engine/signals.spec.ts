import request from 'supertest';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy, fixture, history, instance, openTasks, setNow, start } from '../support/engine';

/** a process started by a signal only (inline: the recover corpus starts diagrams through their none start event) */
const SIG_START_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_SigStart" xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="https://anju.example/test">
  <signal id="Signal_StandardRaised" name="incomeStandardRaised" />
  <process id="sigStart" name="保障标准调整后复核" isExecutable="true">
    <startEvent id="StartEvent_Signal" name="保障标准已调整">
      <signalEventDefinition id="SignalDef_Start" signalRef="Signal_StandardRaised" />
    </startEvent>
    <sequenceFlow id="Flow_1" sourceRef="StartEvent_Signal" targetRef="UserTask_Recheck" />
    <userTask id="UserTask_Recheck" name="按新标准复核待审申请" />
    <sequenceFlow id="Flow_2" sourceRef="UserTask_Recheck" targetRef="EndEvent_1" />
    <endEvent id="EndEvent_1" name="结束" />
  </process>
</definitions>`;

describe('engine: signal broadcast (POST /api/signals)', () => {
  let t: TestApp;
  const broadcast = (body: Record<string, unknown>) => request(t.http).post('/api/signals').send(body);

  beforeAll(async () => {
    t = await createEngineTestApp();
    setNow(t, '2026-12-01T09:00:00+08:00');
    await deploy(t, { 'sig-catch.bpmn': fixture('sig-catch.bpmn'), 'sig-boundary.bpmn': fixture('sig-boundary.bpmn') }).expect(201);
  });
  afterAll(() => t?.close());

  it('reaches every instance waiting in a signal catch or on a signal boundary, and says how many', async () => {
    const a = await start(t, 'sigCatch', { businessKey: 'APP-1' });
    const b = await start(t, 'sigCatch', { businessKey: 'APP-2' });
    const c = await start(t, 'sigBoundary', { businessKey: 'APP-3' });
    const [review] = await openTasks(t, c.id);

    const res = await broadcast({ name: 'policyChanged', variables: { policyVersion: 2 } }).expect(200);
    expect(res.body).toEqual({ delivered: 3, started: [] });

    for (const id of [a.id, b.id]) {
      expect((await openTasks(t, id)).map((x) => x.elementId)).toEqual(['UserTask_Reassess']);
      expect((await instance(t, id)).variables).toEqual({ policyVersion: 2 });
      expect(await history(t, id)).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'signal-received', data: { name: 'policyChanged' } })]));
    }
    // the interrupting signal boundary cancelled the review
    expect(await instance(t, c.id)).toMatchObject({ status: 'completed', variables: { policyVersion: 2 } });
    expect(await openTasks(t, c.id)).toHaveLength(0);
    expect((await request(t.http).get(`/api/tasks/${review.id}`).expect(200)).body.status).toBe('cancelled');
  });

  it('returns 0 when nobody waits, and a second broadcast finds the catches already consumed', async () => {
    expect((await broadcast({ name: 'nobodyListens' }).expect(200)).body).toEqual({ delivered: 0, started: [] });
    expect((await broadcast({ name: 'policyChanged' }).expect(200)).body).toEqual({ delivered: 0, started: [] });
  });

  it('a non-interrupting signal boundary opens a side task; the user task stays open', async () => {
    const inst = await start(t, 'sigBoundary', { businessKey: 'APP-4' });
    expect((await broadcast({ name: 'auditStarted' }).expect(200)).body).toEqual({ delivered: 1, started: [] });
    expect((await openTasks(t, inst.id)).map((x) => x.elementId).sort()).toEqual(['UserTask_PrepareAudit', 'UserTask_StreetReview']);
    expect((await instance(t, inst.id)).status).toBe('running');
    // still armed while the review runs: the next broadcast is caught, and its side task opens when the first ends
    expect((await broadcast({ name: 'auditStarted' }).expect(200)).body).toEqual({ delivered: 1, started: [] });
    const [first] = (await openTasks(t, inst.id)).filter((x) => x.elementId === 'UserTask_PrepareAudit');
    await request(t.http).post(`/api/tasks/${first.id}/complete`).send({}).expect(200);
    const again = await openTasks(t, inst.id);
    expect(again.map((x) => x.elementId).sort()).toEqual(['UserTask_PrepareAudit', 'UserTask_StreetReview']);
    expect(again.find((x) => x.elementId === 'UserTask_PrepareAudit')!.id).not.toBe(first.id);
  });

  it('a signal start event starts one instance of the latest version per broadcast, with the signal variables', async () => {
    await deploy(t, { 'sig-start.bpmn': SIG_START_BPMN }).expect(201);
    const res = await broadcast({ name: 'incomeStandardRaised', variables: { standard: 2600 } }).expect(200);
    expect(res.body.delivered).toBe(0);
    expect(res.body.started).toHaveLength(1);
    const inst = await instance(t, res.body.started[0]);
    expect(inst).toMatchObject({ processKey: 'sigStart', status: 'running', variables: { standard: 2600 } });
    expect((await openTasks(t, inst.id)).map((x) => x.name)).toEqual(['按新标准复核待审申请']);
    expect(await history(t, inst.id)).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'signal-received', data: { name: 'incomeStandardRaised', start: true } })]));
    // every broadcast starts another one; a new version takes over
    await deploy(t, { 'sig-start.bpmn': SIG_START_BPMN.replace('按新标准复核待审申请', '按新标准复核') }).expect(201);
    const again = await broadcast({ name: 'incomeStandardRaised' }).expect(200);
    expect(again.body.started).toHaveLength(1);
    const second = await instance(t, again.body.started[0]);
    expect(second.processVersion).toBe(2);
    expect((await openTasks(t, second.id)).map((x) => x.name)).toEqual(['按新标准复核']);
  });

  it('refuses a broadcast without a name, or with reserved variable names', async () => {
    expect((await broadcast({}).expect(400)).body.code).toBeDefined();
    const reserved = await broadcast({ name: 'policyChanged', variables: { content: 1 } }).expect(400);
    expect(reserved.body).toMatchObject({ code: 'VARIABLES_INVALID', details: { field: 'variables.content' } });
  });
});
