import request from 'supertest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy, instance, openTasks, runDue, start } from '../support/engine';

const dmn = (name: string) => readFileSync(join(__dirname, '../fixtures/dmn', name), 'utf8');
/** a business rule task judging a household by the `eligible` decision (inline: it needs the DMN deployed first) */
const ELIGIBILITY_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_Eligibility" xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="https://anju.example/test">
  <process id="eligibilityCheck" name="准入标准比对" isExecutable="true">
    <startEvent id="StartEvent_1" name="开始" />
    <sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Rule_Eligible" />
    <businessRuleTask id="Rule_Eligible" name="按准入标准判定" camunda:decisionRef="eligible" camunda:resultVariable="eligible" />
    <sequenceFlow id="Flow_2" sourceRef="Rule_Eligible" targetRef="Gateway_Eligible" />
    <exclusiveGateway id="Gateway_Eligible" name="符合条件？" />
    <sequenceFlow id="Flow_Yes" sourceRef="Gateway_Eligible" targetRef="UserTask_Continue">
      <conditionExpression>=eligible</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="Flow_No" sourceRef="Gateway_Eligible" targetRef="UserTask_Confirm">
      <conditionExpression>=not(eligible)</conditionExpression>
    </sequenceFlow>
    <userTask id="UserTask_Continue" name="继续审核" />
    <userTask id="UserTask_Confirm" name="人工确认不符合项" />
    <sequenceFlow id="Flow_3" sourceRef="UserTask_Continue" targetRef="EndEvent_1" />
    <sequenceFlow id="Flow_4" sourceRef="UserTask_Confirm" targetRef="EndEvent_1" />
    <endEvent id="EndEvent_1" name="结束" />
  </process>
</definitions>`;

const household = { cityCode: '510100', applicationType: '公租房实物配租', income: 5400, members: 2, ownedArea: 0, vehicles: 1 };

describe('engine: DMN decisions deployed like diagrams', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createEngineTestApp();
  });
  afterAll(() => t?.close());

  it('deploys a .dmn file: every decision gets version 1; the same file again changes nothing', async () => {
    const res = await deploy(t, { 'housing-standards.dmn': dmn('housing-standards.dmn') }).expect(201);
    expect(res.body.decisions.map((d: { key: string; version: number; created: boolean }) => [d.key, d.version, d.created]).sort()).toEqual([
      ['eligibilityFindings', 1, true],
      ['eligible', 1, true],
      ['housingStandards', 1, true],
    ]);
    const again = await deploy(t, { 'housing-standards.dmn': dmn('housing-standards.dmn') }).expect(201);
    expect(again.body.decisions.every((d: { version: number; created: boolean }) => d.version === 1 && !d.created)).toBe(true);
    // (processes/eligibility.dmn is deployed at boot too, under its own keys)
    const list = { body: (await request(t.http).get('/api/decision-definitions?latestOnly=true').expect(200)).body.filter((d: { resourceName: string }) => d.resourceName === 'housing-standards.dmn') };
    expect(list.body.map((d: { key: string }) => d.key).sort()).toEqual(['eligibilityFindings', 'eligible', 'housingStandards']);
    const one = await request(t.http).get(`/api/decision-definitions/${list.body[0].id}/xml`).expect(200);
    expect(one.text).toContain('住房保障准入标准');
  });

  it('evaluates a decision over variables and says which version judged it', async () => {
    const res = await request(t.http).post('/api/decision-definitions/key/eligibilityFindings/evaluate').send({ variables: { ...household, cityCode: '510600', ownedArea: 40 } }).expect(200);
    expect(res.body).toMatchObject({ key: 'eligibilityFindings', version: 1, result: ['INCOME_OVER_LIMIT', 'HOUSING_AREA_OVER_LIMIT', 'VEHICLES_OVER_LIMIT'] });
    expect(res.body.required).toEqual([expect.objectContaining({ decisionId: 'housingStandards', matchedRules: ['Rule_Deyang'] })]);
  });

  it('a policy team raises Chengdu\'s income line by deploying version 2; version 1 still answers when asked for', async () => {
    const raised = dmn('housing-standards.dmn').replace('<outputEntry id="OE_1a"><text>3000</text></outputEntry>', '<outputEntry id="OE_1a"><text>3300</text></outputEntry>');
    await deploy(t, { 'housing-standards.dmn': raised }).expect(201);
    const vars = { ...household, income: 6400 }; // 3,200 per person
    const now = await request(t.http).post('/api/decision-definitions/key/eligible/evaluate').send({ variables: vars }).expect(200);
    expect(now.body).toMatchObject({ version: 2, result: true });
    const before = await request(t.http).post('/api/decision-definitions/key/eligible/evaluate').send({ variables: vars, version: 1 }).expect(200);
    expect(before.body).toMatchObject({ version: 1, result: false });
  });

  it('refuses a broken .dmn with 422 naming the rule, and stores nothing of that deployment', async () => {
    const broken = dmn('housing-standards.dmn').replace('<text>&gt; standards.vehicleLimit</text>', '<text>&gt; &gt;</text>').replace('住房保障准入标准', '坏文件');
    const res = await deploy(t, { 'housing-standards.dmn': broken, 'eligibility-check.bpmn': ELIGIBILITY_BPMN }).expect(422);
    expect(res.body.code).toBe('DEPLOYMENT_INVALID');
    const file = res.body.details.files.find((f: { file: string }) => f.file === 'housing-standards.dmn');
    expect(file.errors).toEqual([expect.objectContaining({ elementId: 'Rule_Vehicles', code: 'DMN_FEEL_SYNTAX' })]);
    expect((await request(t.http).get('/api/process-definitions?key=eligibilityCheck').expect(200)).body).toHaveLength(0);
    expect((await request(t.http).get('/api/decision-definitions?key=eligible').expect(200)).body.map((d: { version: number }) => d.version)).toEqual([2, 1]);
  });

  it('answers 422 when a decision cannot decide (a required input is missing) and 404 for an unknown key', async () => {
    const bad = await request(t.http).post('/api/decision-definitions/key/eligible/evaluate').send({ variables: { cityCode: '510100' } }).expect(422);
    expect(bad.body.code).toBe('DECISION_EVALUATION_FAILED');
    expect((await request(t.http).post('/api/decision-definitions/key/nothing/evaluate').send({}).expect(404)).body.code).toBe('DECISION_DEFINITION_NOT_FOUND');
  });

  it('a business rule task evaluates the latest decision as a job and records the version that judged the case', async () => {
    await deploy(t, { 'eligibility-check.bpmn': ELIGIBILITY_BPMN }).expect(201);
    const ok = await start(t, 'eligibilityCheck', { businessKey: 'APP-DMN-1', variables: { ...household, income: 6400 } });
    expect(await runDue(t)).toBe(1);
    const view = await instance(t, ok.id);
    expect(view.variables).toMatchObject({ eligible: true, eligibleDecision: { key: 'eligible', version: 2, matchedRules: [] } });
    expect((await openTasks(t, ok.id)).map((x) => x.name)).toEqual(['继续审核']);

    const over = await start(t, 'eligibilityCheck', { businessKey: 'APP-DMN-2', variables: { ...household, income: 8000 } });
    expect(await runDue(t)).toBe(1);
    expect((await instance(t, over.id)).variables.eligible).toBe(false);
    expect((await openTasks(t, over.id)).map((x) => x.name)).toEqual(['人工确认不符合项']);
  });

  it('refuses a diagram whose business rule task names a decision nobody deployed', async () => {
    const xml = ELIGIBILITY_BPMN.replace('camunda:decisionRef="eligible"', 'camunda:decisionRef="noSuchDecision"').replace('eligibilityCheck', 'eligibilityCheck2');
    const res = await deploy(t, { 'x.bpmn': xml }).expect(422);
    expect(res.body.details.files[0].errors).toEqual([expect.objectContaining({ elementId: 'Rule_Eligible', code: 'BPMN_DECISION_NOT_FOUND' })]);
  });
});
