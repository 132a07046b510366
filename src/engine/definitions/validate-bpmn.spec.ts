import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { detectExtensionSchema, lineOf, parseBpmn, serviceTaskName } from './bpmn-schema';
import { DeployProblem, validateBpmn, ValidateOptions } from './validate-bpmn';


const CAMUNDA = 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"';
const ZEEBE = 'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
const HANDLERS = new Set(['checkIncome', 'notifyApplicant']);

// The real FEEL checker lives in src/engine/expressions; this stand-in only refuses `constructor`.
const opts: ValidateOptions = {
  isServiceRegistered: (name) => HANDLERS.has(name),
  checkExpression: (text) => (text.includes('constructor') ? 'not a valid expression' : null),
};

function definitions(body: string, namespaces = CAMUNDA, executable = true): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ${namespaces}
  id="Definitions_Test" targetNamespace="http://anju.example/bpmn">
  <process id="testProcess" name="测试" isExecutable="${executable}">
${body}
  </process>
</definitions>`;
}

const flow = (id: string, from: string, to: string, condition = '') =>
  `<sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}">${condition}</sequenceFlow>`;
const when = (body: string, language = '') =>
  `<conditionExpression xsi:type="tFormalExpression"${language && ` language="${language}"`}>${body}</conditionExpression>`;
/** start → body → end, with `first`/`last` naming the ids the body begins and ends with. */
const straight = (body: string, first: string, last: string) =>
  `<startEvent id="StartEvent_1" name="开始"/>${flow('Flow_In', 'StartEvent_1', first)}
${body}
${flow('Flow_Out', last, 'EndEvent_1')}<endEvent id="EndEvent_1" name="结束"/>`;

const codes = (problems: DeployProblem[]) => [...new Set(problems.map((p) => p.code))].sort();
const withCode = (problems: DeployProblem[], code: string) => problems.filter((p) => p.code === code);

const CAMUNDA_APPLICATION = definitions(`
    <startEvent id="StartEvent_Apply" name="提交申请"/>
    ${flow('Flow_1', 'StartEvent_Apply', 'ServiceTask_CheckIncome')}
    <serviceTask id="ServiceTask_CheckIncome" name="核对收入" camunda:type="checkIncome"/>
    ${flow('Flow_2', 'ServiceTask_CheckIncome', 'Gateway_Income')}
    <exclusiveGateway id="Gateway_Income" name="收入是否达标" default="Flow_Reject"/>
    ${flow('Flow_Low', 'Gateway_Income', 'UserTask_StreetReview', when('=income &lt; 3000'))}
    ${flow('Flow_Limit', 'Gateway_Income', 'UserTask_DistrictReview', when('${income &lt; limit}'))}
    ${flow('Flow_Reject', 'Gateway_Income', 'EndEvent_Rejected')}
    <userTask id="UserTask_StreetReview" name="街道初审" camunda:candidateGroups="street-office"
      camunda:dueDate="\${environment.variables.reviewDue}"/>
    <boundaryEvent id="Timer_ReviewOverdue" name="初审超期" attachedToRef="UserTask_StreetReview">
      <timerEventDefinition><timeDuration xsi:type="tFormalExpression">P15D</timeDuration></timerEventDefinition>
    </boundaryEvent>
    ${flow('Flow_Overdue', 'Timer_ReviewOverdue', 'UserTask_Escalate')}
    <userTask id="UserTask_Escalate" name="督办" camunda:candidateGroups="district-office"/>
    <userTask id="UserTask_DistrictReview" name="区县复核" camunda:candidateGroups="district-office"/>
    ${flow('Flow_3', 'UserTask_StreetReview', 'EndEvent_Approved')}
    ${flow('Flow_4', 'UserTask_DistrictReview', 'EndEvent_Reviewed')}
    ${flow('Flow_5', 'UserTask_Escalate', 'EndEvent_Escalated')}
    <endEvent id="EndEvent_Approved" name="通过"/><endEvent id="EndEvent_Reviewed" name="已复核"/>
    <endEvent id="EndEvent_Escalated" name="已督办"/><endEvent id="EndEvent_Rejected" name="不予受理"/>`);

const ZEEBE_APPLICATION = definitions(straight(`
    <serviceTask id="ServiceTask_CheckIncome" name="核对收入">
      <extensionElements><zeebe:taskDefinition type="checkIncome" retries="3"/></extensionElements>
    </serviceTask>
    ${flow('Flow_2', 'ServiceTask_CheckIncome', 'UserTask_StreetReview')}
    <userTask id="UserTask_StreetReview" name="街道初审">
      <extensionElements>
        <zeebe:assignmentDefinition assignee="=caseOwner" candidateGroups="street-office"/>
        <zeebe:taskSchedule dueDate="=applicationDate + duration(&quot;P15D&quot;)"/>
      </extensionElements>
    </userTask>`, 'ServiceTask_CheckIncome', 'UserTask_StreetReview'), ZEEBE);

describe('validateBpmn: diagrams Anju runs', () => {
  it('accepts a camunda diagram with a user task, a bound service task, FEEL and ${} conditions and a boundary timer', async () => {
    const result = await validateBpmn(CAMUNDA_APPLICATION, opts);
    expect(result.errors).toEqual([]);
    expect(result.schema).toBe('camunda');
    expect(result.processes).toEqual([{ id: 'testProcess', name: '测试', isExecutable: true }]);
  });

  it('accepts a zeebe diagram with a task definition, an assignment definition and a task schedule', async () => {
    const result = await validateBpmn(ZEEBE_APPLICATION, opts);
    expect(result.errors).toEqual([]);
    expect(result.schema).toBe('zeebe');
  });

  it('passes every expression it finds to checkExpression', async () => {
    const seen: string[] = [];
    await validateBpmn(CAMUNDA_APPLICATION, { ...opts, checkExpression: (text) => (seen.push(text), null) });
    expect(seen).toEqual(expect.arrayContaining(
      ['=income < 3000', '${income < limit}', 'P15D', 'street-office', '${environment.variables.reviewDue}']));
  });

  it('reports bpmnlint findings as LINT_ warnings with the element id and line', async () => {
    const xml = definitions(straight('<task id="Task_1"/>', 'Task_1', 'Task_1'));
    const { errors, warnings } = await validateBpmn(xml, opts);
    expect(errors).toEqual([]);
    expect(warnings).toContainEqual({ elementId: 'Task_1', line: lineOf(xml, 'Task_1'), code: 'LINT_label-required',
      message: 'Element is missing label/name' });
  });
});

describe('validateBpmn: refused before parsing', () => {
  it('refuses a billion-laughs DOCTYPE', async () => {
    const lol = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${lol}]>` +
      definitions(straight('<task id="Task_1" name="&lol9;"/>', 'Task_1', 'Task_1')).replace(/^<\?xml[^>]*>/, '');
    expect(codes((await validateBpmn(xml, opts)).errors)).toEqual(['BPMN_DOCTYPE']);
  });

  it('refuses an external entity (XXE)', async () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
      definitions(straight('<task id="Task_1" name="&xxe;"/>', 'Task_1', 'Task_1')).replace(/^<\?xml[^>]*>/, '');
    expect(codes((await validateBpmn(xml, opts)).errors)).toEqual(['BPMN_DOCTYPE']);
  });

  it('refuses an 11 MB file', async () => {
    const padding = `<documentation>${'安居'.repeat(2 * 1024 * 1024)}</documentation>`;
    const xml = definitions(straight(`<task id="Task_1" name="大">${padding}</task>`, 'Task_1', 'Task_1'));
    expect(Buffer.byteLength(xml)).toBeGreaterThan(11 * 1024 * 1024);
    const { errors } = await validateBpmn(xml, opts);
    expect(codes(errors)).toEqual(['BPMN_TOO_LARGE']);
  });

  it.each([['plain text', 'this is not a diagram'], ['XML that is not BPMN', '<html><body/></html>'],
    ['broken XML', '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process>'], ['an empty file', '']])(
    'refuses %s as BPMN_NOT_XML', async (_, text) => {
      const { errors } = await validateBpmn(text, opts);
      expect(codes(errors)).toEqual(['BPMN_NOT_XML']);
      expect(errors[0].message).toMatch(/not/);
    });
});

describe('validateBpmn: hostile or unrunnable content', () => {
  it('refuses a script task', async () => {
    const xml = definitions(straight(
      '<scriptTask id="ScriptTask_1" name="脚本" scriptFormat="javascript"><script>next()</script></scriptTask>',
      'ScriptTask_1', 'ScriptTask_1'));
    const [problem] = withCode((await validateBpmn(xml, opts)).errors, 'BPMN_SCRIPT_TASK');
    expect(problem).toMatchObject({ elementId: 'ScriptTask_1', line: lineOf(xml, 'ScriptTask_1') });
  });

  it('refuses a javascript condition', async () => {
    const xml = definitions(`<startEvent id="StartEvent_1" name="开始"/>
      <sequenceFlow id="Flow_Js" sourceRef="StartEvent_1" targetRef="EndEvent_1">${when('next(null, true)', 'javascript')}</sequenceFlow>
      <endEvent id="EndEvent_1" name="结束"/>`);
    const { errors } = await validateBpmn(xml, opts);
    expect(withCode(errors, 'BPMN_SCRIPT_CONDITION')).toEqual([expect.objectContaining({ elementId: 'Flow_Js' })]);
  });

  const escape = "${environment.constructor.constructor('return process')()}";

  it('refuses a constructor walk as a service task implementation', async () => {
    const xml = definitions(straight(`<serviceTask id="ServiceTask_Evil" name="恶意" implementation="${escape}"/>`,
      'ServiceTask_Evil', 'ServiceTask_Evil'));
    const { errors } = await validateBpmn(xml, opts);
    expect(withCode(errors, 'BPMN_EXPRESSION_INVALID')).toEqual([expect.objectContaining({ elementId: 'ServiceTask_Evil' })]);
    expect(withCode(errors, 'BPMN_SERVICE_NOT_BOUND')).toHaveLength(1);
  });

  it('refuses a constructor walk as a condition, even when the expression checker would accept it', async () => {
    const xml = definitions(`<startEvent id="StartEvent_1" name="开始"/>
      ${flow('Flow_Evil', 'StartEvent_1', 'EndEvent_1', when(escape))}<endEvent id="EndEvent_1" name="结束"/>`);
    const { errors } = await validateBpmn(xml, { ...opts, checkExpression: () => null });
    expect(withCode(errors, 'BPMN_EXPRESSION_INVALID')).toEqual([expect.objectContaining({ elementId: 'Flow_Evil' })]);
  });

  it('refuses function calls in ${} anywhere in the diagram, such as a message name', async () => {
    const xml = definitions(straight('<task id="Task_1" name="任务"/>', 'Task_1', 'Task_1'))
      .replace('</definitions>', '<message id="Message_1" name="${environment.services.send(1)}"/></definitions>');
    const { errors } = await validateBpmn(xml, opts);
    expect(withCode(errors, 'BPMN_EXPRESSION_INVALID')).toEqual([expect.objectContaining({ elementId: 'Message_1' })]);
  });

  it('refuses a sequence flow whose targetRef resolves to nothing, naming the flow', async () => {
    const xml = definitions(`<startEvent id="StartEvent_1" name="开始"/>${flow('Flow_Dangling', 'StartEvent_1', 'tsk')}`);
    const [problem] = withCode((await validateBpmn(xml, opts)).errors, 'BPMN_MODDLE_WARNING');
    expect(problem).toMatchObject({ elementId: 'Flow_Dangling', line: lineOf(xml, 'Flow_Dangling') });
    expect(problem.message).toContain('tsk');
  });

  it('refuses a sequence flow without a targetRef attribute, which moddle does not warn about', async () => {
    const xml = definitions(`<startEvent id="StartEvent_1" name="开始"/><sequenceFlow id="Flow_Nowhere" sourceRef="StartEvent_1"/>`);
    const { errors } = await validateBpmn(xml, opts);
    expect(withCode(errors, 'BPMN_UNSUPPORTED_ELEMENT')).toEqual([expect.objectContaining({ elementId: 'Flow_Nowhere' })]);
  });

  it('refuses a complex gateway, naming its id and type', async () => {
    const xml = definitions(straight('<complexGateway id="Gateway_Complex" name="复杂"/>', 'Gateway_Complex', 'Gateway_Complex'));
    const [problem] = withCode((await validateBpmn(xml, opts)).errors, 'BPMN_UNSUPPORTED_ELEMENT');
    expect(problem).toMatchObject({ elementId: 'Gateway_Complex', line: lineOf(xml, 'Gateway_Complex') });
    expect(problem.message).toContain('bpmn:ComplexGateway');
  });

  it.each([
    ['an unregistered name', 'camunda:type="unknownHandler"', /unknownHandler/],
    ['no name at all', '', /names no handler/],
    ['camunda:class', 'camunda:class="org.example.Delegate"', /camunda:type/],
    ['camunda:delegateExpression', 'camunda:delegateExpression="${delegate}"', /zeebe:taskDefinition/],
  ])('refuses a service task with %s', async (_, attributes, message) => {
    const xml = definitions(straight(`<serviceTask id="ServiceTask_1" name="服务" ${attributes}/>`, 'ServiceTask_1', 'ServiceTask_1'));
    const problems = withCode((await validateBpmn(xml, opts)).errors, 'BPMN_SERVICE_NOT_BOUND');
    expect(problems).toEqual([expect.objectContaining({ elementId: 'ServiceTask_1', message: expect.stringMatching(message) })]);
  });

  it('refuses a message flow from a collapsed pool, which the engine loader cannot read', async () => {
    const xml = definitions(`<startEvent id="StartEvent_1" name="收到材料"/>`).replace('<process', `<collaboration id="Collaboration_1">
      <participant id="Participant_Bureau" name="住建局" processRef="testProcess"/><participant id="Participant_Applicant" name="申请人"/>
      <messageFlow id="MessageFlow_Apply" sourceRef="Participant_Applicant" targetRef="StartEvent_1"/></collaboration><process`);
    const { errors } = await validateBpmn(xml, opts);
    expect(withCode(errors, 'BPMN_UNSUPPORTED_ELEMENT')).toEqual([expect.objectContaining({ elementId: 'MessageFlow_Apply' })]);
  });

  it('refuses a potential owner without an assignment expression, which the engine loader cannot read', async () => {
    const xml = definitions(straight('<userTask id="UserTask_1" name="审核"><potentialOwner id="Owner_1"/></userTask>',
      'UserTask_1', 'UserTask_1'));
    const { errors } = await validateBpmn(xml, opts);
    expect(codes(errors)).toEqual(['BPMN_UNSUPPORTED_ELEMENT']);
    expect(errors[0]).toMatchObject({ elementId: 'UserTask_1', line: lineOf(xml, 'UserTask_1') });
  });

  it('lists at most 500 errors for a hostile file and says how many more there are', async () => {
    const tasks = Array.from({ length: 600 }, (_, i) => `<scriptTask id="ScriptTask_${i}" name="脚本${i}"/>`).join('\n');
    const { errors } = await validateBpmn(definitions(`<startEvent id="StartEvent_1" name="开始"/>${tasks}`), opts);
    expect(errors).toHaveLength(501);
    expect(errors[499]).toMatchObject({ code: 'BPMN_SCRIPT_TASK', elementId: 'ScriptTask_499', line: 505 });
    expect(errors[500]).toEqual({ code: 'BPMN_TOO_MANY_PROBLEMS', message: '100 more problems are not listed' });
  });

  it('refuses a diagram with no executable process', async () => {
    const xml = definitions(straight('<task id="Task_1" name="任务"/>', 'Task_1', 'Task_1'), CAMUNDA, false);
    const result = await validateBpmn(xml, opts);
    expect(codes(result.errors)).toEqual(['BPMN_NO_EXECUTABLE_PROCESS']);
    expect(result.processes).toEqual([{ id: 'testProcess', name: '测试', isExecutable: false }]);
  });

  it('refuses a diagram that uses both camunda and zeebe extensions', async () => {
    const xml = ZEEBE_APPLICATION.replace(ZEEBE, `${ZEEBE} ${CAMUNDA}`)
      .replace('name="街道初审"', 'name="街道初审" camunda:candidateGroups="street-office"');
    expect(codes((await validateBpmn(xml, opts)).errors)).toContain('BPMN_CAMUNDA_ZEEBE_MIXED');
  });

  it('reads a diagram that declares both namespaces but uses one as that one, with a warning', async () => {
    const result = await validateBpmn(ZEEBE_APPLICATION.replace(ZEEBE, `${ZEEBE} ${CAMUNDA}`), opts);
    expect(result.errors).toEqual([]);
    expect(result.schema).toBe('zeebe');
    expect(codes(result.warnings)).toContain('BPMN_EXTENSION_SCHEMA');
  });
});

describe('validateBpmn: exclusive gateways inside parallel branches (bpmn-engine #200)', () => {
  const xorBlock = (prefix: string) => `
    <exclusiveGateway id="${prefix}Split" name="是否补正" default="${prefix}Flow_Skip"/>
    ${flow(`${prefix}Flow_Fix`, `${prefix}Split`, `${prefix}Task_Fix`, when('=needsFix'))}
    <userTask id="${prefix}Task_Fix" name="补正材料"/>
    ${flow(`${prefix}Flow_Fixed`, `${prefix}Task_Fix`, `${prefix}Merge`)}
    ${flow(`${prefix}Flow_Skip`, `${prefix}Split`, `${prefix}Merge`)}
    <exclusiveGateway id="${prefix}Merge" name="合并"/>`;
  const parallel = (lowerBranch: string, lowerFirst: string, lowerLast: string) => definitions(straight(`
    <parallelGateway id="Gateway_Fork" name="分头审核"/>
    ${flow('Flow_Upper', 'Gateway_Fork', 'UserTask_Upper')}<userTask id="UserTask_Upper" name="住建审核"/>
    ${flow('Flow_UpperDone', 'UserTask_Upper', 'Gateway_Join')}
    ${flow('Flow_Lower', 'Gateway_Fork', lowerFirst)}${lowerBranch}${flow('Flow_LowerDone', lowerLast, 'Gateway_Join')}
    <parallelGateway id="Gateway_Join" name="汇合"/>`, 'Gateway_Fork', 'Gateway_Join'));

  it('refuses an exclusive split and merge inside a parallel branch, naming both gateways', async () => {
    const { errors } = await validateBpmn(parallel(xorBlock(''), 'Split', 'Merge'), opts);
    expect(codes(errors)).toEqual(['BPMN_EARLY_JOIN']);
    expect(errors.map((e) => e.elementId).sort()).toEqual(['Merge', 'Split']);
  });

  it('accepts the same exclusive block wrapped in an embedded sub-process', async () => {
    const wrapped = `<subProcess id="SubProcess_Fix" name="补正">
      <startEvent id="Sub_Start" name="开始"/>${flow('Sub_In', 'Sub_Start', 'Sub_Split')}${xorBlock('Sub_')}
      ${flow('Sub_Out', 'Sub_Merge', 'Sub_End')}<endEvent id="Sub_End" name="结束"/></subProcess>`;
    const { errors } = await validateBpmn(parallel(wrapped, 'SubProcess_Fix', 'SubProcess_Fix'), opts);
    expect(errors).toEqual([]);
  });
});

describe('bpmn-schema helpers', () => {
  it('detects the extension schema from the declared and used namespaces', () => {
    expect(detectExtensionSchema(CAMUNDA_APPLICATION)).toBe('camunda');
    expect(detectExtensionSchema(ZEEBE_APPLICATION)).toBe('zeebe');
    expect(detectExtensionSchema(definitions('', ''))).toBe('none');
    expect(detectExtensionSchema(ZEEBE_APPLICATION.replace(ZEEBE, `${ZEEBE} ${CAMUNDA}`))).toBe('zeebe');
    // Camunda Modeler 8 writes camunda:diagramRelationId on the root element of zeebe diagrams.
    const modeler8 = ZEEBE_APPLICATION.replace(ZEEBE, `${ZEEBE} ${CAMUNDA} camunda:diagramRelationId="abc"`);
    expect(detectExtensionSchema(modeler8)).toBe('zeebe');
  });

  it('names the handler of a service task in each notation', async () => {
    const tasks = `<serviceTask id="A" camunda:type="checkIncome"/>
      <serviceTask id="B" camunda:type="external" camunda:topic="notifyApplicant"/>
      <sendTask id="C" implementation="\${environment.services.notifyApplicant}"/>
      <businessRuleTask id="D" implementation="\${checkIncome}"/><serviceTask id="E" implementation="checkIncome"/>
      <serviceTask id="F" implementation="##WebService"/>`;
    const { moddleContext } = await parseBpmn(definitions(tasks));
    const names = ['A', 'B', 'C', 'D', 'E', 'F'].map((id) => serviceTaskName(moddleContext.elementsById[id]));
    expect(names).toEqual(['checkIncome', 'notifyApplicant', 'notifyApplicant', 'checkIncome', 'checkIncome', null]);
    const zeebe = await parseBpmn(ZEEBE_APPLICATION);
    expect(serviceTaskName(zeebe.moddleContext.elementsById.ServiceTask_CheckIncome)).toBe('checkIncome');
  });

  it('finds the 1-based line of an id attribute', () => {
    expect(lineOf('<a>\n  <b id="x"/>\n  <c id=\'y.z\'/>', 'y.z')).toBe(3);
    expect(lineOf('<a\nid="x"/>', 'x')).toBe(2);
    expect(lineOf('<a sourceRef="x"/>', 'x')).toBeUndefined();
  });
});

describe('validateBpmn over the BPMN MIWG reference diagrams', () => {
  // The reference diagrams in test/fixtures; a missing folder must fail the run, not skip it.
  const folder = resolve(__dirname, '../../../test/fixtures/miwg-reference');
  const files = readdirSync(folder).filter((f) => f.endsWith('.bpmn')).sort();

  it('finds all 21 reference diagrams', () => {
    expect(files).toHaveLength(21);
  });

  it.each(files)('gives %s a clear verdict', async (file) => {
    const result = await validateBpmn(readFileSync(join(folder, file), 'utf8'), opts);
    for (const problem of [...result.errors, ...result.warnings]) {
      expect(problem.code).toMatch(/^[A-Z][A-Za-z_-]+$/);
      expect(problem.message.length).toBeGreaterThan(0);
    }
    expect({ file, codes: codes(result.errors) }).toEqual({ file, codes: MIWG_VERDICTS[file] });
  });

  it('deploys C.9.2 (a Camunda 8 diagram) once its one service name is bound', async () => {
    const xml = readFileSync(join(folder, 'C.9.2.bpmn'), 'utf8');
    const result = await validateBpmn(xml, { ...opts, isServiceRegistered: (name) => name === 'notifyCustomerDelay' });
    expect(result.errors).toEqual([]);
    expect(result.schema).toBe('zeebe');
  });
});

// Error codes per reference diagram; [] means it deploys.
const MIWG_VERDICTS: Record<string, string[]> = {
  'A.1.0.bpmn': ['BPMN_MODDLE_WARNING', 'BPMN_NO_EXECUTABLE_PROCESS'],
  'A.2.0.bpmn': ['BPMN_MODDLE_WARNING', 'BPMN_NO_EXECUTABLE_PROCESS'],
  'A.2.1.bpmn': ['BPMN_NO_EXECUTABLE_PROCESS', 'BPMN_SCRIPT_CONDITION'],
  'A.3.0.bpmn': ['BPMN_MODDLE_WARNING', 'BPMN_NO_EXECUTABLE_PROCESS'],
  'A.4.0.bpmn': ['BPMN_MODDLE_WARNING', 'BPMN_NO_EXECUTABLE_PROCESS'],
  'A.4.1.bpmn': ['BPMN_NO_EXECUTABLE_PROCESS'],
  'B.1.0.bpmn': ['BPMN_MODDLE_WARNING', 'BPMN_NO_EXECUTABLE_PROCESS', 'BPMN_SERVICE_NOT_BOUND', 'BPMN_UNSUPPORTED_ELEMENT'],
  'B.2.0.bpmn': ['BPMN_MODDLE_WARNING', 'BPMN_NO_EXECUTABLE_PROCESS', 'BPMN_SERVICE_NOT_BOUND', 'BPMN_UNSUPPORTED_ELEMENT'],
  'C.1.0.bpmn': ['BPMN_EXPRESSION_INVALID', 'BPMN_SERVICE_NOT_BOUND', 'BPMN_UNSUPPORTED_ELEMENT'],
  'C.1.1.bpmn': ['BPMN_EXPRESSION_INVALID', 'BPMN_SERVICE_NOT_BOUND', 'BPMN_UNSUPPORTED_ELEMENT'],
  'C.2.0.bpmn': ['BPMN_NO_EXECUTABLE_PROCESS', 'BPMN_UNSUPPORTED_ELEMENT'],
  'C.3.0.bpmn': ['BPMN_EXPRESSION_INVALID', 'BPMN_UNSUPPORTED_ELEMENT'],
  'C.4.0.bpmn': ['BPMN_NO_EXECUTABLE_PROCESS', 'BPMN_SERVICE_NOT_BOUND', 'BPMN_UNSUPPORTED_ELEMENT'],
  'C.5.0.bpmn': ['BPMN_NO_EXECUTABLE_PROCESS'],
  'C.6.0.bpmn': ['BPMN_NO_EXECUTABLE_PROCESS', 'BPMN_SERVICE_NOT_BOUND'],
  'C.7.0.bpmn': ['BPMN_NO_EXECUTABLE_PROCESS', 'BPMN_SERVICE_NOT_BOUND', 'BPMN_UNSUPPORTED_ELEMENT'],
  'C.8.0.bpmn': ['BPMN_EXPRESSION_INVALID', 'BPMN_NO_EXECUTABLE_PROCESS', 'BPMN_SERVICE_NOT_BOUND', 'BPMN_UNSUPPORTED_ELEMENT'],
  'C.8.1.bpmn': ['BPMN_MODDLE_WARNING', 'BPMN_SCRIPT_CONDITION', 'BPMN_SERVICE_NOT_BOUND', 'BPMN_UNSUPPORTED_ELEMENT'],
  'C.9.0.bpmn': ['BPMN_SERVICE_NOT_BOUND'],
  'C.9.1.bpmn': ['BPMN_CAMUNDA_ZEEBE_MIXED', 'BPMN_SERVICE_NOT_BOUND'],
  'C.9.2.bpmn': ['BPMN_SERVICE_NOT_BOUND'],
};
