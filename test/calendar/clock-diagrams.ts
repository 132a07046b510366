import { TestApp } from '../support/app';

/**
 * Diagrams of the clock tests. They live here rather than in test/fixtures/bpmn so the recover
 * corpus (which records every fixture) is not asked to cover them.
 *
 * PAUSABLE: a review task whose due date and boundary timer are `add working days(receivedOn,
 * days, regionCode)`, beside a second task in a parallel branch (completing it is a later step that
 * recovers the engine state while the first one's clock is paused or moved).
 */
export const PAUSABLE = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_ClockPause" xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="https://anju.example/test">
  <process id="clock_pause" name="受理期限（可中止计时）" isExecutable="true">
    <startEvent id="StartEvent_1" name="收件" />
    <sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Gateway_Fork" />
    <parallelGateway id="Gateway_Fork" name="分头办理" />
    <sequenceFlow id="Flow_2" sourceRef="Gateway_Fork" targetRef="UserTask_Review" />
    <sequenceFlow id="Flow_3" sourceRef="Gateway_Fork" targetRef="UserTask_Materials" />
    <userTask id="UserTask_Review" name="受理审查" camunda:candidateGroups="reviewer" camunda:dueDate="=add working days(receivedOn, days, regionCode)" />
    <boundaryEvent id="Timer_Deadline" name="受理期限届满" attachedToRef="UserTask_Review">
      <timerEventDefinition><timeDate xsi:type="tFormalExpression">=add working days(receivedOn, days, regionCode)</timeDate></timerEventDefinition>
    </boundaryEvent>
    <sequenceFlow id="Flow_Late" sourceRef="Timer_Deadline" targetRef="End_Overdue" />
    <endEvent id="End_Overdue" name="逾期" />
    <sequenceFlow id="Flow_4" sourceRef="UserTask_Review" targetRef="End_Done" />
    <endEvent id="End_Done" name="按期办结" />
    <userTask id="UserTask_Materials" name="登记补正材料" camunda:candidateGroups="window" />
    <sequenceFlow id="Flow_5" sourceRef="UserTask_Materials" targetRef="End_Materials" />
    <endEvent id="End_Materials" name="材料登记完毕" />
  </process>
</definitions>`;

/** The 受理 stage as a sub-process under one statutory timer; the diagram itself pauses it for 补正 and resumes it. */
export const BY_DIAGRAM = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_ClockDiagram" xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="https://anju.example/test">
  <process id="clock_diagram" name="受理（流程中止计时）" isExecutable="true">
    <startEvent id="StartEvent_1" name="收件" />
    <sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="SubProcess_Acceptance" />
    <subProcess id="SubProcess_Acceptance" name="受理阶段">
      <startEvent id="StartEvent_Sub" name="开始受理" />
      <sequenceFlow id="Flow_S1" sourceRef="StartEvent_Sub" targetRef="UserTask_Check" />
      <userTask id="UserTask_Check" name="材料审查" camunda:candidateGroups="window" />
      <sequenceFlow id="Flow_S2" sourceRef="UserTask_Check" targetRef="Gateway_Complete" />
      <exclusiveGateway id="Gateway_Complete" name="材料是否齐全" default="Flow_Missing" />
      <sequenceFlow id="Flow_Complete" sourceRef="Gateway_Complete" targetRef="End_Sub">
        <conditionExpression xsi:type="tFormalExpression">=complete = true</conditionExpression>
      </sequenceFlow>
      <endEvent id="End_Sub" name="受理完毕" />
      <sequenceFlow id="Flow_Missing" sourceRef="Gateway_Complete" targetRef="ServiceTask_Pause" />
      <serviceTask id="ServiceTask_Pause" name="中止计时" camunda:type="pause clock">
        <extensionElements>
          <camunda:inputOutput>
            <camunda:inputParameter name="reason">一次性告知补正材料，等待申请人补正</camunda:inputParameter>
          </camunda:inputOutput>
        </extensionElements>
      </serviceTask>
      <sequenceFlow id="Flow_S3" sourceRef="ServiceTask_Pause" targetRef="UserTask_Supplement" />
      <userTask id="UserTask_Supplement" name="接收补正材料" camunda:candidateGroups="window" />
      <sequenceFlow id="Flow_S4" sourceRef="UserTask_Supplement" targetRef="ServiceTask_Resume" />
      <serviceTask id="ServiceTask_Resume" name="恢复计时" camunda:type="resume clock" />
      <sequenceFlow id="Flow_S5" sourceRef="ServiceTask_Resume" targetRef="UserTask_Check" />
    </subProcess>
    <boundaryEvent id="Timer_Acceptance" name="受理期限届满" attachedToRef="SubProcess_Acceptance">
      <timerEventDefinition><timeDate xsi:type="tFormalExpression">=add working days(receivedOn, 15, regionCode)</timeDate></timerEventDefinition>
    </boundaryEvent>
    <sequenceFlow id="Flow_Late" sourceRef="Timer_Acceptance" targetRef="End_Overdue" />
    <endEvent id="End_Overdue" name="逾期" />
    <sequenceFlow id="Flow_2" sourceRef="SubProcess_Acceptance" targetRef="End_Done" />
    <endEvent id="End_Done" name="受理" />
  </process>
</definitions>`;

/** The timer jobs an instance has pending: the database holds every deadline. */
export async function timerJobs(t: TestApp, instanceId: string): Promise<{ elementId: string; dueAt: string }[]> {
  const rows: { element_id: string; due_at: Date }[] = await t.ds.query(`SELECT element_id, due_at FROM engine_jobs WHERE instance_id = $1 AND kind = 'timer'`, [instanceId]);
  return rows.map((r) => ({ elementId: r.element_id, dueAt: new Date(r.due_at).toISOString() }));
}

/**
 * EXAMPLE data for 2027, not the State Council's notice (unpublished when this was written): a
 * plausible New Year's Day and National Day week with one make-up Saturday.
 */
export const EXAMPLE_2027 = {
  sourceDocument: 'EXAMPLE-2027 (test data)',
  title: '示例：2027年部分节假日安排（测试数据）',
  days: [
    { date: '2027-01-01', kind: 'holiday' as const, name: '元旦' },
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2027-10-${d}`, kind: 'holiday' as const, name: '国庆节' })),
    { date: '2027-10-09', kind: 'workday' as const, name: '国庆节' },
  ],
};
