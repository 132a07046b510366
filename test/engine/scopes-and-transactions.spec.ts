import request from 'supertest';
import { InstancesService, MessagesService } from '../../src/engine';
import { TestApp, createEngineTestApp } from '../support/app';
import { deploy, instance, openTasks, runDue, start } from '../support/engine';

/**
 * Regressions found while building processes/application.bpmn (diagrams inline: they are not
 * recover-corpus fixtures):
 *  - variables set while an embedded sub-process runs were invisible to the gateways after it
 *    inside the sub-process (bpmn-elements copies the variables when a sub-process starts);
 *  - a multi-instance call activity's `camunda:in sourceExpression` could not read the iteration's
 *    element variable, so every child got null;
 *  - a domain transaction can start an instance or correlate a message inside itself
 *    (`startIn`, `correlateIn`), and its rollback takes them back.
 */
const NS = `xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="https://anju.example/test"`;

const SUB_GATEWAY = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_SubGateway" ${NS}>
  <process id="sub_gateway" name="子流程内网关" isExecutable="true">
    <startEvent id="StartEvent_1" name="开始" />
    <sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Sub_Review" />
    <subProcess id="Sub_Review" name="审核">
      <startEvent id="Sub_Start" name="开始审核" />
      <sequenceFlow id="Flow_S1" sourceRef="Sub_Start" targetRef="Task_Review" />
      <userTask id="Task_Review" name="审核" />
      <sequenceFlow id="Flow_S2" sourceRef="Task_Review" targetRef="Gateway_Decision" />
      <exclusiveGateway id="Gateway_Decision" name="通过？" default="Flow_No" />
      <sequenceFlow id="Flow_Yes" name="通过" sourceRef="Gateway_Decision" targetRef="Task_Approved"><conditionExpression>=decision = "approve"</conditionExpression></sequenceFlow>
      <sequenceFlow id="Flow_No" name="不通过" sourceRef="Gateway_Decision" targetRef="Task_Refused" />
      <userTask id="Task_Approved" name="通过后办理" />
      <userTask id="Task_Refused" name="不通过办理" />
      <sequenceFlow id="Flow_S3" sourceRef="Task_Approved" targetRef="Sub_End" />
      <sequenceFlow id="Flow_S4" sourceRef="Task_Refused" targetRef="Sub_End" />
      <endEvent id="Sub_End" name="审核结束" />
    </subProcess>
    <sequenceFlow id="Flow_2" sourceRef="Sub_Review" targetRef="EndEvent_1" />
    <endEvent id="EndEvent_1" name="结束" />
  </process>
</definitions>`;

const CHILD = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_MiChild" ${NS}>
  <process id="mi_child" name="部门核查" isExecutable="true">
    <startEvent id="StartEvent_1" name="开始" />
    <sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Task_Check" />
    <userTask id="Task_Check" name="部门核查" camunda:candidateGroups="=&quot;department_checker:&quot; + department + &quot;:510104&quot;" />
    <sequenceFlow id="Flow_2" sourceRef="Task_Check" targetRef="EndEvent_1" />
    <endEvent id="EndEvent_1" name="结束" />
  </process>
</definitions>`;

const PARENT = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_MiParent" ${NS}>
  <process id="mi_parent" name="联合审查" isExecutable="true">
    <startEvent id="StartEvent_1" name="开始" />
    <sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Call_Departments" />
    <callActivity id="Call_Departments" name="各部门核查" calledElement="mi_child">
      <extensionElements><camunda:in sourceExpression="=dept.department" target="department" /></extensionElements>
      <multiInstanceLoopCharacteristics camunda:collection="=departments" camunda:elementVariable="dept" />
    </callActivity>
    <sequenceFlow id="Flow_2" sourceRef="Call_Departments" targetRef="EndEvent_1" />
    <endEvent id="EndEvent_1" name="结束" />
  </process>
</definitions>`;

const MESSAGE = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_TxMessage" ${NS}>
  <process id="tx_message" name="事务内消息" isExecutable="true">
    <startEvent id="StartEvent_1" name="开始" />
    <sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Receive_Answer" />
    <receiveTask id="Receive_Answer" name="等待答复" messageRef="Message_Answer" />
    <sequenceFlow id="Flow_2" sourceRef="Receive_Answer" targetRef="EndEvent_1" />
    <endEvent id="EndEvent_1" name="结束" />
  </process>
  <message id="Message_Answer" name="txAnswer" />
</definitions>`;

describe('engine: variables in sub-processes, multi-instance calls, instances in the caller\'s transaction', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createEngineTestApp();
    await deploy(t, { 'sub-gateway.bpmn': SUB_GATEWAY, 'mi-child.bpmn': CHILD, 'mi-parent.bpmn': PARENT, 'tx-message.bpmn': MESSAGE }).expect(201);
  });
  afterAll(() => t?.close());

  it('a gateway inside a running embedded sub-process sees what a task inside it just set', async () => {
    for (const [decision, next] of [['approve', '通过后办理'], ['reject', '不通过办理']]) {
      const inst = await start(t, 'sub_gateway', { businessKey: `SUB-${decision}` });
      const [task] = await openTasks(t, inst.id);
      await request(t.http).post(`/api/tasks/${task.id}/complete`).send({ variables: { decision } }).expect(200);
      expect((await openTasks(t, inst.id)).map((x) => x.name)).toEqual([next]);
    }
  });

  it('each iteration of a multi-instance call activity maps its own element variable into its child', async () => {
    const inst = await start(t, 'mi_parent', { businessKey: 'MI-1', variables: { departments: [{ department: '民政' }, { department: '税务' }] } });
    const children: { id: string }[] = await t.ds.query(`SELECT id FROM engine_process_instances WHERE parent_instance_id = $1 ORDER BY started_at, id`, [inst.id]);
    const groups = (await Promise.all(children.map((c) => openTasks(t, c.id)))).flat().map((x) => x.candidateGroups[0]).sort();
    expect(groups).toEqual(['department_checker:民政:510104', 'department_checker:税务:510104']);
    for (const c of children) for (const task of await openTasks(t, c.id)) await request(t.http).post(`/api/tasks/${task.id}/complete`).send({ variables: {} }).expect(200);
    await runDue(t);
    expect((await instance(t, inst.id)).status).toBe('completed');
  });

  it('startIn and correlateIn run inside the caller\'s transaction: its rollback undoes them, its commit keeps them', async () => {
    const instances = t.app.get(InstancesService);
    const messages = t.app.get(MessagesService);
    const count = async (key: string) => (await t.ds.query(`SELECT count(*)::int AS n FROM engine_process_instances WHERE business_key = $1`, [key]))[0].n as number;
    await expect(
      t.ds.transaction(async (em) => {
        await instances.startIn(em, { key: 'tx_message' }, { businessKey: 'TX-ROLLBACK' }, null);
        throw new Error('the domain change failed');
      }),
    ).rejects.toThrow('the domain change failed');
    expect(await count('TX-ROLLBACK')).toBe(0);

    const id = await t.ds.transaction((em) => instances.startIn(em, { key: 'tx_message' }, { businessKey: 'TX-1' }, null));
    await expect(
      t.ds.transaction(async (em) => {
        await messages.correlateIn(em, { name: 'txAnswer', businessKey: 'TX-1' }, null);
        throw new Error('the domain change failed');
      }),
    ).rejects.toThrow('the domain change failed');
    expect((await instance(t, id)).status).toBe('running');
    const delivered = await t.ds.transaction((em) => messages.correlateIn(em, { name: 'txAnswer', businessKey: 'TX-1', variables: { answer: '同意' } }, null));
    expect(delivered).toEqual([{ resultType: 'Execution', processInstanceId: id }]);
    expect((await instance(t, id))).toMatchObject({ status: 'completed', variables: { answer: '同意' } });
    // nothing waits any more: 404 as from the API, and the caller's transaction stays usable
    await t.ds.transaction(async (em) => {
      await expect(messages.correlateIn(em, { name: 'txAnswer', businessKey: 'TX-1' }, null)).rejects.toMatchObject({ code: 'MESSAGE_NOT_CORRELATED' });
      expect((await em.query(`SELECT 1 AS ok`))[0].ok).toBe(1);
    });
  });
});
