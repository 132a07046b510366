/** The diagrams the engine benchmark runs (scripts/bench-engine.ts). */

/** start → service task (a no-op handler) → user task → end */
export const FLOW_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_BenchFlow" xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="https://anju.example/bench">
  <process id="bench_flow" name="基准：服务→人工" isExecutable="true">
    <startEvent id="Start" />
    <sequenceFlow id="F1" sourceRef="Start" targetRef="Call" />
    <serviceTask id="Call" name="调用" camunda:type="echo" />
    <sequenceFlow id="F2" sourceRef="Call" targetRef="Review" />
    <userTask id="Review" name="审核" camunda:candidateGroups="reviewer" />
    <sequenceFlow id="F3" sourceRef="Review" targetRef="End" />
    <endEvent id="End" />
  </process>
</definitions>`;

/** start → timer (timeDate from the variable `due`) → end */
export const LAG_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="Defs_BenchLag" xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="https://anju.example/bench">
  <process id="bench_lag" name="基准：定时" isExecutable="true">
    <startEvent id="Start" />
    <sequenceFlow id="F1" sourceRef="Start" targetRef="Wait" />
    <intermediateCatchEvent id="Wait">
      <timerEventDefinition><timeDate>=date and time(due)</timeDate></timerEventDefinition>
    </intermediateCatchEvent>
    <sequenceFlow id="F2" sourceRef="Wait" targetRef="End" />
    <endEvent id="End" />
  </process>
</definitions>`;

export const ECHO = 'echo';
