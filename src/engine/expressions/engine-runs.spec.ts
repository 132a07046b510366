import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import camunda from 'camunda-bpmn-moddle/resources/camunda.json';
import { createEngineExpressions } from './engine-expressions';
import { FeelFunctionRegistry } from './feel-functions';
import { ExpressionError } from './feel';

// In-memory bpmn-engine runs proving the expression layer where the engine calls it.


interface RecordedTimer {
  owner: Record<string, unknown>;
  delay: number;
  callback: CallableFunction;
  args: unknown[];
}

const fire = (timer: RecordedTimer): unknown => Reflect.apply(timer.callback, undefined, timer.args);

/** Records what the engine asks to schedule; a test fires a timer by calling its callback. */
class RecordingTimers {
  readonly executing: RecordedTimer[] = [];
  register = (owner: Record<string, unknown>) => ({
    setTimeout: (callback: RecordedTimer['callback'], delay: number, ...args: unknown[]) => this.add(owner, callback, delay, args),
    clearTimeout: (ref: RecordedTimer) => this.clearTimeout(ref),
  });
  setTimeout = (callback: RecordedTimer['callback'], delay: number, ...args: unknown[]) => this.add({}, callback, delay, args);
  clearTimeout = (ref: RecordedTimer): undefined => {
    const index = this.executing.indexOf(ref);
    if (index >= 0) this.executing.splice(index, 1);
    return undefined;
  };
  private add(owner: Record<string, unknown>, callback: RecordedTimer['callback'], delay: number, args: unknown[]): RecordedTimer {
    const ref = { owner, callback, delay, args };
    this.executing.push(ref);
    return ref;
  }
}

/** Scripts stay off: a script task or a scripted condition refuses to load. */
const noScripts = {
  register(element: { id: string; type: string; behaviour?: { conditionExpression?: { language?: string }; script?: unknown } }): undefined {
    if (element.type === 'bpmn:ScriptTask' || element.behaviour?.conditionExpression?.language || element.behaviour?.script) {
      throw new Error(`scripts are disabled: ${element.id}`);
    }
    return undefined;
  },
  getScript() {
    return undefined;
  },
};

interface ActivityApi {
  id: string;
  executionId: string;
  content: Record<string, unknown> & { message?: { name?: string } };
  signal(message?: unknown): void;
  resolveExpression(expression: string): unknown;
}

interface StartOptions {
  registry?: FeelFunctionRegistry;
  /** Root elements beside the process, e.g. a <signal>. */
  definitions?: string;
}

async function start(body: string, variables: Record<string, unknown>, { registry = new FeelFunctionRegistry(), definitions = '' }: StartOptions = {}) {
  const source = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="anju:test">
  <process id="p" isExecutable="true">${body}</process>${definitions}</definitions>`;
  const timers = new RecordingTimers();
  const listener = new EventEmitter();
  const completed: string[] = [];
  const waits: ActivityApi[] = [];
  const signals: string[] = [];
  listener.on('activity.end', (api: ActivityApi) => completed.push(api.id));
  listener.on('activity.wait', (api: ActivityApi) => waits.push(api));
  listener.on('activity.signal', (api: ActivityApi) => signals.push(String(api.content.message?.name)));
  // `as never`: the shipped typings demand fields (timerId, a Script from getScript) the engine never reads.
  const engine = new Engine({ source, moddleOptions: { camunda }, expressions: createEngineExpressions(registry), scripts: noScripts as never, timers: timers as never });
  let settle: (result: { ended: boolean; error?: Error }) => void = () => undefined;
  const outcome = new Promise<{ ended: boolean; error?: Error }>((resolve) => (settle = resolve));
  engine.once('end', () => settle({ ended: true }));
  engine.on('error', (error: Error) => settle({ ended: false, error }));
  // A load failure (e.g. a refused script) rejects execute() instead of emitting 'error'.
  await engine.execute({ listener, variables }).catch((error: Error) => settle({ ended: false, error }));
  return { engine, timers, completed, waits, signals, outcome };
}

/** The ExpressionError behind an engine error (bpmn-elements may wrap it). */
function expressionErrorOf(error: unknown): ExpressionError | undefined {
  for (let e = error as { inner?: unknown; cause?: unknown } | undefined; e; e = (e.inner ?? e.cause) as typeof e) {
    if (e instanceof ExpressionError) return e;
  }
  return undefined;
}

const gateway = (condition: string) => `
  <startEvent id="Start"/><sequenceFlow id="f0" sourceRef="Start" targetRef="Gateway_Income"/>
  <exclusiveGateway id="Gateway_Income" default="Flow_Rejected"/>
  <sequenceFlow id="Flow_Eligible" sourceRef="Gateway_Income" targetRef="End_Eligible">
    <conditionExpression xsi:type="tFormalExpression">${condition.replace(/</g, '&lt;')}</conditionExpression>
  </sequenceFlow>
  <sequenceFlow id="Flow_Rejected" sourceRef="Gateway_Income" targetRef="End_Rejected"/>
  <endEvent id="End_Eligible"/><endEvent id="End_Rejected"/>`;

describe('exclusive gateway conditions', () => {
  it.each([
    ['=income < 3000', { income: 2500 }, 'End_Eligible'],
    ['=income < 3000', { income: 3500 }, 'End_Rejected'],
    ['${income < limit}', { income: 2500, limit: 3000 }, 'End_Eligible'],
    ['${income < limit}', { income: 3500, limit: 3000 }, 'End_Rejected'],
    ['${environment.variables.income < 3000}', { income: 2500 }, 'End_Eligible'],
  ])('%s with %j ends at %s', async (condition, variables, end) => {
    const run = await start(gateway(condition), variables);
    expect(await run.outcome).toEqual({ ended: true });
    expect(run.completed).toContain(end);
    expect(run.completed).not.toContain(end === 'End_Eligible' ? 'End_Rejected' : 'End_Eligible');
  });
});

const catchTimer = (definition: string) => `
  <startEvent id="Start"/><sequenceFlow id="f0" sourceRef="Start" targetRef="Timer_Wait"/>
  <intermediateCatchEvent id="Timer_Wait"><timerEventDefinition>${definition}</timerEventDefinition></intermediateCatchEvent>
  <sequenceFlow id="f1" sourceRef="Timer_Wait" targetRef="End"/><endEvent id="End"/>`;

describe('timer values', () => {
  it.each([
    ['<timeDuration xsi:type="tFormalExpression">=duration("PT1S")</timeDuration>', {}, 'timeDuration', 'PT1S'],
    ['<timeDuration xsi:type="tFormalExpression">PT1S</timeDuration>', {}, 'timeDuration', 'PT1S'],
    ['<timeDuration xsi:type="tFormalExpression">P${days}D</timeDuration>', { days: 3 }, 'timeDuration', 'P3D'],
    ['<timeDuration xsi:type="tFormalExpression">${environment.variables.wait}</timeDuration>', { wait: 'PT10M' }, 'timeDuration', 'PT10M'],
  ])('%s with %j resolves %s to %s', async (definition, variables, timerType, value) => {
    const run = await start(catchTimer(definition), variables);
    expect(run.timers.executing).toHaveLength(1);
    expect(run.timers.executing[0].owner).toMatchObject({ timerType, [timerType]: value });
  });

  it('resolves a timeDate from a registered function, with its offset, and fires when told', async () => {
    const registry = new FeelFunctionRegistry().register('add working days', (start: string, n: number) => {
      const day = new Date(`${start}T00:00:00Z`);
      day.setUTCDate(day.getUTCDate() + n + 2); // the fixture spans one weekend
      return day.toISOString().slice(0, 10);
    });
    const timeDate = '=date and time(add working days(applicationDate, 5) + "T09:00:00@Asia/Shanghai")';
    const run = await start(catchTimer(`<timeDate xsi:type="tFormalExpression">${timeDate}</timeDate>`), { applicationDate: '2099-01-02' }, { registry });
    const [timer] = run.timers.executing;
    expect(timer.owner).toMatchObject({ timerType: 'timeDate', timeDate: '2099-01-09T09:00:00+08:00' });
    expect(new Date(timer.owner.expireAt as string | Date).toISOString()).toBe('2099-01-09T01:00:00.000Z');
    fire(timer);
    expect(await run.outcome).toEqual({ ended: true });
  });

  it('resolves a boundary timer on a user task and takes its path when it fires', async () => {
    const run = await start(
      `<startEvent id="Start"/><sequenceFlow id="f0" sourceRef="Start" targetRef="UserTask_Review"/>
      <userTask id="UserTask_Review"/><sequenceFlow id="f1" sourceRef="UserTask_Review" targetRef="End_Reviewed"/>
      <boundaryEvent id="Timer_Overdue" attachedToRef="UserTask_Review">
        <timerEventDefinition><timeDuration xsi:type="tFormalExpression">=duration("PT" + string(hours) + "H")</timeDuration></timerEventDefinition>
      </boundaryEvent>
      <sequenceFlow id="f2" sourceRef="Timer_Overdue" targetRef="End_Overdue"/>
      <endEvent id="End_Reviewed"/><endEvent id="End_Overdue"/>`,
      { hours: 48 },
    );
    const [timer] = run.timers.executing;
    expect(timer.owner).toMatchObject({ timerType: 'timeDuration', timeDuration: 'P2D' });
    fire(timer);
    expect(await run.outcome).toEqual({ ended: true });
    expect(run.completed).toContain('End_Overdue');
    expect(run.completed).not.toContain('End_Reviewed');
  });
});

describe('no code runs from a diagram or from data', () => {
  const evil = '${environment.constructor.constructor("globalThis.anjuPwned = true; return process")()}';
  const marker = globalThis as { anjuPwned?: boolean };
  afterEach(() => expect(marker.anjuPwned).toBeUndefined());

  it('keeps a ${} inside a variable value as literal text when a template uses it', async () => {
    const run = await start(
      `<startEvent id="Start"/><sequenceFlow id="f0" sourceRef="Start" targetRef="Throw_Notice"/>
      <intermediateThrowEvent id="Throw_Notice"><signalEventDefinition signalRef="Signal_Notice"/></intermediateThrowEvent>
      <sequenceFlow id="f1" sourceRef="Throw_Notice" targetRef="UserTask_Read"/><userTask id="UserTask_Read"/>`,
      { applicantName: evil },
      { definitions: '<signal id="Signal_Notice" name="Notice for ${applicantName}"/>' },
    );
    expect(run.signals).toEqual([`Notice for ${evil}`]);
    expect(run.waits.map((w) => w.id)).toEqual(['UserTask_Read']);
    expect(run.waits[0].resolveExpression('Dear ${applicantName}')).toBe(`Dear ${evil}`);
    expect(run.waits[0].resolveExpression('${applicantName}')).toBe(evil);
  });

  it.each([
    ['a gateway condition', gateway(evil)],
    ['a service task implementation', `<startEvent id="Start"/><sequenceFlow id="f0" sourceRef="Start" targetRef="ServiceTask_Check"/>
      <serviceTask id="ServiceTask_Check" implementation="${evil.replace(/"/g, '&quot;')}"/>`],
  ])('refuses it as %s with EXPRESSION_FORBIDDEN', async (_where, body) => {
    const run = await start(body, {});
    const { ended, error } = await run.outcome;
    expect(ended).toBe(false);
    expect(expressionErrorOf(error)?.code).toBe('EXPRESSION_FORBIDDEN');
  });

  it('refuses a JavaScript condition: scripts are off in these runs', async () => {
    const body = gateway('x').replace('xsi:type="tFormalExpression"', 'xsi:type="tFormalExpression" language="javascript"');
    const { ended, error } = await (await start(body.replace('>x<', '>next(null, true)<'), {})).outcome;
    expect(ended).toBe(false);
    expect(error?.message).toMatch(/scripts are disabled: Flow_Eligible/);
  });

  it('resolves a bpmn-engine service reference to nothing: service tasks are jobs, not functions', async () => {
    const run = await start(
      `<startEvent id="Start"/><sequenceFlow id="f0" sourceRef="Start" targetRef="ServiceTask_Check"/>
      <serviceTask id="ServiceTask_Check" implementation="\${environment.services.checkIncome}"/>`,
      {},
    );
    const { error } = await run.outcome;
    expect(error?.message).toMatch(/did not resolve to a function/);
  });
});

describe('camunda multi-instance', () => {
  const review = (collection: string, sequential: boolean, completion = '') => `
    <startEvent id="Start"/><sequenceFlow id="f0" sourceRef="Start" targetRef="UserTask_DepartmentReview"/>
    <userTask id="UserTask_DepartmentReview">
      <multiInstanceLoopCharacteristics isSequential="${sequential}" camunda:collection="${collection}" camunda:elementVariable="dept">
        ${completion && `<completionCondition xsi:type="tFormalExpression">${completion}</completionCondition>`}
      </multiInstanceLoopCharacteristics>
    </userTask>
    <sequenceFlow id="f1" sourceRef="UserTask_DepartmentReview" targetRef="End"/><endEvent id="End"/>`;
  const departments = ['housing', 'finance', 'civil-affairs'];

  it.each(['${departments}', '=departments'])('creates one iteration per item for %s, each reading dept', async (collection) => {
    const run = await start(review(collection, false), { departments });
    expect(run.waits.map((w) => w.content.dept)).toEqual(departments);
    expect(run.waits.map((w) => w.resolveExpression('=dept + " review #" + string(loopCounter)'))).toEqual([
      'housing review #1',
      'finance review #2',
      'civil-affairs review #3',
    ]);
    for (const wait of [...run.waits]) wait.signal({ approved: true });
    expect(await run.outcome).toEqual({ ended: true });
  });

  it('ends the loop early when a completion condition over dept holds', async () => {
    const run = await start(review('=departments', true, '=dept = "finance"'), { departments });
    const signalled: string[] = [];
    for (let wait = run.waits.shift(); wait; wait = run.waits.shift()) {
      signalled.push(String(wait.content.dept));
      wait.signal({ approved: true });
    }
    expect(await run.outcome).toEqual({ ended: true });
    expect(signalled).toEqual(['housing', 'finance']);
  });
});
