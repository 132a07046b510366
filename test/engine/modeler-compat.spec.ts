import request from 'supertest';
import { ServiceTaskContext } from '../../src/engine';
import { TestApp, createEngineTestApp } from '../support/app';
import { DAY, deploy, fixture, instance, registerHandler, runDue, setNow, start } from '../support/engine';

/** A user task row as GET /api/tasks lists it. */
interface TaskRow {
  id: string;
  elementId: string;
  name: string;
  processKey: string;
  candidateGroups: string[];
  candidateUsers: string[];
  assignee: string | null;
  priority: number;
  dueAt: string | null;
  followUpAt: string | null;
  formKey: string | null;
  input: Record<string, unknown>;
}

const NOW = '2027-01-04T09:00:00+08:00';
const iso = (text: string) => new Date(text).toISOString();

const applicant = { name: '王芳', idNumber: '510104199001011234', members: ['王芳', '李强', '李小明'] };

describe('diagrams as the Camunda Modelers write them', () => {
  let t: TestApp;
  const calls: ServiceTaskContext[] = [];

  async function tasksOf(instanceId: string): Promise<TaskRow[]> {
    return (await request(t.http).get(`/api/tasks?processInstanceId=${instanceId}`).expect(200)).body.items;
  }

  async function complete(taskId: string, variables: Record<string, unknown>) {
    await request(t.http).post(`/api/tasks/${taskId}/complete`).send({ variables }).expect(200);
  }

  beforeAll(async () => {
    t = await createEngineTestApp();
    setNow(t, NOW);
    registerHandler(t, 'income-check', (ctx) => {
      calls.push(ctx);
      return { monthlyIncome: 2400, source: '税务局' };
    });
    const res = await deploy(t, {
      'modeler-c7.bpmn': fixture('modeler-c7.bpmn'),
      'modeler-c8.bpmn': fixture('modeler-c8.bpmn'),
      'modeler-c8-joint.bpmn': fixture('modeler-c8-joint.bpmn'),
    });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 201, code: undefined });
    expect(res.body.definitions.map((d: { key: string; extensionSchema: string }) => [d.key, d.extensionSchema])).toEqual([
      ['modeler_c7', 'camunda'],
      ['modeler_c8', 'zeebe'],
      ['modeler_c8_joint', 'zeebe'],
    ]);
  });
  afterAll(() => t?.close());

  describe('Camunda 7 (camunda: attributes)', () => {
    let id: string;
    beforeAll(async () => {
      setNow(t, NOW);
      id = (
        await start(t, 'modeler_c7', {
          businessKey: 'SQ-2027-0001',
          variables: { applicant, caseOwner: 'wangwei', region: 'jinjiang', departments: ['civil-affairs', 'housing', 'tax'], checkDeadline: '2027-01-20T17:00:00+08:00' },
        })
      ).id;
    });

    it('puts assignment, schedule, priority, form and the input mapping on the task row', async () => {
      const [task] = await tasksOf(id);
      expect(task).toMatchObject({
        elementId: 'UserTask_StreetReview',
        name: '街道初审',
        processKey: 'modeler_c7',
        assignee: 'wangwei', // ${caseOwner}
        candidateUsers: ['zhangsan', 'lisi'],
        candidateGroups: ['jinjiang-street', 'street-leaders'], // ${region}-street,street-leaders
        priority: 80,
        dueAt: new Date(Date.parse(NOW) + 5 * DAY).toISOString(), // =now() + duration("P5D")
        followUpAt: iso('2027-01-06T09:00:00+08:00'),
        formKey: 'embedded:app:forms/street-review.html',
        input: { applicantName: '王芳', householdSize: 3, checklist: '身份证、户口簿、收入证明' },
      });
    });

    it('applies the output mapping on completion: only the mapped variables reach the process', async () => {
      const [task] = await tasksOf(id);
      await complete(task.id, { approved: true, opinion: '材料齐全', scratch: '草稿' });
      const inst = await instance(t, id);
      expect(inst.variables).toMatchObject({ streetApproved: true, streetOpinion: '材料齐全' });
      expect(inst.variables).not.toHaveProperty('scratch');
      expect(inst.variables).not.toHaveProperty('opinion');
      expect(inst.waiting.map((w: { elementId: string }) => w.elementId)).toEqual(['ServiceTask_CheckIncome']);
    });

    it('gives the external-task handler its inputs and maps its result through the outputs', async () => {
      expect(await runDue(t)).toBe(1);
      const call = calls.find((c) => c.processInstanceId === id)!;
      expect(call.inputs).toEqual({ idNumber: applicant.idNumber, year: '2026' });
      expect(call.businessKey).toBe('SQ-2027-0001');
      const inst = await instance(t, id);
      expect(inst.variables).toMatchObject({ incomeOk: true, incomeSource: '税务局' });
      expect(inst.variables).not.toHaveProperty('monthlyIncome');
    });

    it('creates one task per collection item with the element variable in its candidate group, and goes on after all', async () => {
      const tasks = (await tasksOf(id)).sort((a, b) => a.candidateGroups[0].localeCompare(b.candidateGroups[0]));
      expect(tasks.map((x) => [x.name, x.candidateGroups])).toEqual([
        ['部门联合核查', ['civil-affairs-checker']],
        ['部门联合核查', ['housing-checker']],
        ['部门联合核查', ['tax-checker']],
      ]);
      expect(tasks.every((x) => x.dueAt === iso('2027-01-20T17:00:00+08:00'))).toBe(true);
      await complete(tasks[1].id, { opinion: '无异议' });
      await complete(tasks[0].id, { opinion: '无异议' });
      expect((await instance(t, id)).status).toBe('running');
      expect((await tasksOf(id)).map((x) => x.candidateGroups)).toEqual([['tax-checker']]);
      await complete(tasks[2].id, { opinion: '无异议' });
      expect((await instance(t, id)).status).toBe('completed');
    });
  });

  describe('Camunda 8 (zeebe: extension elements)', () => {
    let id: string;
    beforeAll(async () => {
      setNow(t, NOW);
      id = (
        await start(t, 'modeler_c8', {
          businessKey: 'SQ-2027-0002',
          variables: { applicant, caseOwner: 'liuyang', region: 'wuhou', departments: ['civil-affairs', 'housing'] },
        })
      ).id;
    });

    it('puts zeebe:assignmentDefinition, taskSchedule, priorityDefinition, formDefinition and ioMapping inputs on the task row', async () => {
      const [task] = await tasksOf(id);
      expect(task).toMatchObject({
        elementId: 'UserTask_StreetReview',
        name: '街道初审',
        assignee: 'liuyang',
        candidateUsers: ['zhangsan', 'lisi'],
        candidateGroups: ['wuhou-street', 'street-leaders'],
        priority: 80,
        dueAt: new Date(Date.parse(NOW) + 5 * DAY).toISOString(),
        followUpAt: iso('2027-01-06T09:00:00+08:00'),
        formKey: 'street-review-form',
        input: { applicantName: '王芳', householdSize: 3 },
      });
    });

    it('maps task outputs, runs the zeebe:taskDefinition handler with its inputs and maps its result', async () => {
      const [task] = await tasksOf(id);
      await complete(task.id, { approved: true, opinion: '同意', scratch: 1 });
      expect((await instance(t, id)).variables).toMatchObject({ streetApproved: true, streetOpinion: '同意' });
      expect(await runDue(t)).toBe(1);
      const call = calls.find((c) => c.processInstanceId === id)!;
      expect(call.inputs).toEqual({ idNumber: applicant.idNumber, year: 2026 });
      const inst = await instance(t, id);
      expect(inst.variables).toMatchObject({ incomeOk: true, incomeSource: '税务局' });
      expect(inst.variables).not.toHaveProperty('monthlyIncome');
      expect(inst.variables).not.toHaveProperty('scratch');
    });

    it('starts the zeebe:calledElement child with the input mapping and maps only its outputs back', async () => {
      const children = (await request(t.http).get('/api/process-instances?processKey=modeler_c8_joint').expect(200)).body.items;
      const child = children.find((c: { parentInstanceId: string }) => c.parentInstanceId === id);
      expect(child).toBeDefined();
      expect(child.variables).toMatchObject({ householder: '王芳' });
      const [sign] = await tasksOf(child.id);
      expect(sign).toMatchObject({ name: '联合审核会签', candidateGroups: ['joint-panel'], formKey: 'camunda-forms:bpmn:JointSignForm' });
      await complete(sign.id, { jointResult: '通过', panelNote: '内部意见' });
      await runDue(t);
      const inst = await instance(t, id);
      expect(inst.variables).toMatchObject({ jointResult: '通过' });
      // propagateAllChildVariables="false": the child's other variables stay in the child
      expect(inst.variables).not.toHaveProperty('panelNote');
    });

    it('creates one task per zeebe:loopCharacteristics inputCollection item, grouped by the input element', async () => {
      const tasks = (await tasksOf(id)).sort((a, b) => a.candidateGroups[0].localeCompare(b.candidateGroups[0]));
      expect(tasks.map((x) => [x.name, x.candidateGroups])).toEqual([
        ['部门联合核查', ['civil-affairs-checker']],
        ['部门联合核查', ['housing-checker']],
      ]);
      for (const task of tasks) await complete(task.id, { opinion: '无异议' });
      expect((await instance(t, id)).status).toBe('completed');
    });
  });
});

describe('a task attribute whose FEEL fails at run time', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createEngineTestApp();
    setNow(t, NOW);
  });
  afterAll(() => t?.close());

  it('refuses the step with 422 PROCESS_STEP_FAILED naming the expression, not a server error, and keeps nothing', async () => {
    const xml = fixture('modeler-c7.bpmn').replace('camunda:dueDate="=now() + duration(&#34;P5D&#34;)"', 'camunda:dueDate="${deadline}"').replace(/modeler_c7/g, 'modeler_c7_bad_due');
    registerHandler(t, 'income-check', () => ({}));
    await deploy(t, { 'bad-due.bpmn': xml }).expect(201);
    const res = await request(t.http).post('/api/process-definitions/key/modeler_c7_bad_due/start').send({ variables: { deadline: '下周一', applicant } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('PROCESS_STEP_FAILED');
    expect(res.body.message).toContain('${deadline}');
    expect((await request(t.http).get('/api/process-instances?processKey=modeler_c7_bad_due').expect(200)).body.total).toBe(0);
  });
});
