import { EventEmitter } from 'node:events';
import { CollectingTimers, PendingTimer, TimerOverride } from './collecting-timers';
import { EngineFactory } from './engine-factory';
import { EngineApi, Waiting, collectWaiting } from './waiting';

export type Vars = Record<string, unknown>;

/** One thing that happens to an instance in a step. */
export type StepCommand =
  | { kind: 'start'; variables: Vars; fireStartTimer?: string; startMessage?: { ref: string; variables: Vars } }
  | { kind: 'resume' }
  | { kind: 'complete'; executionId: string; variables: Vars; output?: Vars }
  | { kind: 'error'; executionId: string; errorCode: string; message?: string; variables?: Vars }
  | { kind: 'timer'; executionId: string }
  | { kind: 'event'; eventRef: string; variables: Vars };

/** A waiting activity as the caller sees it: the message/signal element ids it listens for included. */
export interface WaitingActivity {
  elementId: string;
  executionId: string;
  type: string;
  content: Record<string, unknown>;
  eventRefs: string[];
}

export interface HistoryEntry {
  type: string;
  elementId?: string;
  executionId?: string;
  data?: Record<string, unknown>;
}

export interface StepInput {
  name: string;
  sourceContext: unknown;
  moddleOptions: Record<string, unknown>;
  state: unknown | null;
  command: StepCommand;
  now: () => Date;
  /** paused or moved timers (by execution id): the stored state still holds their original expiry */
  timerOverrides?: Readonly<Record<string, TimerOverride>>;
}

export interface StepResult {
  /** false when the command's target was not waiting (nothing was signalled) */
  consumed: boolean;
  ended: boolean;
  state: unknown | null;
  engineVersion: string | null;
  waiting: WaitingActivity[];
  /** every pending BPMN timer, paused ones included (flagged `paused`: they get no job row) */
  timers: PendingTimer[];
  variables: Vars;
  history: HistoryEntry[];
}

/** Raised when the engine itself fails (an uncaught BPMN error, a bad expression): the step rolls back. */
export class StepFailedError extends Error {
  constructor(
    message: string,
    readonly elementId?: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'StepFailedError';
  }
}

const RESERVED = new Set(['fields', 'content', 'properties']);
const MAX_SETTLE_TICKS = 10000;

/**
 * An engine kept running in memory after a step (see InstanceStepper's warm cache): the next step
 * of the same instance may continue it instead of recovering the stored state, when the row is
 * provably the one this engine produced. Each step gets a fresh history sink.
 */
export interface WarmEngine {
  engine: Engine;
  execution: Execution;
  timers: CollectingTimers;
  sink: StepSink;
}

interface StepSink {
  history: HistoryEntry[];
  ended: boolean;
  failure: (Error & { source?: { content?: { id?: string } }; code?: string }) | null;
}

type Engine = ReturnType<EngineFactory['create']>['engine'];

/**
 * The engine as a function per step: (definition source, stored state, command) → (new state,
 * waiting activities, pending timers, variables, history). Nothing here touches the database; the
 * caller persists the result in the same transaction that holds the instance lock. With `warm`
 * (an engine that produced exactly the stored state) the recover is skipped. The engine is left
 * running, never stopped: its state is read as it waits, and `warm` in the answer is that engine,
 * for the caller to keep or drop.
 */
export async function runStep(factory: EngineFactory, input: StepInput, warm?: WarmEngine): Promise<StepResult & { warm: WarmEngine | null }> {
  // a warm engine's sink still holds the previous step's history; a new one's holds what its execute/resume did
  if (warm) warm.sink.history = [];
  const w = warm ?? (await startEngine(factory, input));
  const { engine, timers, sink, execution } = w;
  const done = () => sink.ended || !!sink.failure;
  await settle(engine, done);
  // timers already due by Anju's clock fire before the command: a completion after the deadline loses
  if (input.state) await fireOverdue(engine, timers, input.now(), done);
  const consumed = done() ? false : applyCommand(execution, timers, input.command);
  await settle(engine, done);
  if (sink.failure) {
    const f = sink.failure;
    throw new StepFailedError(f.message, f.source?.content?.id, f.code);
  }
  const ended = sink.ended;
  const waiting = ended ? [] : collectWaiting(execution.getPostponed() as EngineApi[]);
  const pending = ended ? [] : timers.pending();
  const variables = readVariables(execution);
  let state: unknown = null;
  let engineVersion: string | null = null;
  if (!ended) {
    const s = (await engine.getState()) as { engineVersion?: string; definitions: { source?: unknown }[] };
    // the state is built fresh by getState, but its parts may share objects with the running engine
    const copy = { ...s, definitions: s.definitions.map(({ source: _source, ...d }) => d) };
    engineVersion = s.engineVersion ?? null;
    state = copy;
  }
  const history = sink.history;
  return {
    consumed,
    ended,
    state,
    engineVersion,
    waiting: waiting.map(({ api, ...w }) => ({ ...w, content: plain(w.content), eventRefs: eventRefs({ ...w, api }) })),
    timers: pending,
    variables,
    history,
    warm: ended ? null : w,
  };
}

/** A new engine for a step: recovered from the stored state and resumed, or executed for a start. */
async function startEngine(factory: EngineFactory, input: StepInput): Promise<WarmEngine> {
  const { engine, timers } = factory.create(input.name, input.sourceContext, input.moddleOptions, input.timerOverrides);
  const sink: StepSink = { history: [], ended: false, failure: null };
  const listener = historyListener(sink);
  engine.on('end', () => (sink.ended = true));
  engine.on('error', (e: StepSink['failure']) => (sink.failure ??= e));
  let execution: Execution;
  if (input.state) {
    engine.recover(structuredClone(input.state) as never);
    execution = (await engine.resume({ listener } as never)) as unknown as Execution;
  } else {
    const variables = input.command.kind === 'start' ? input.command.variables : {};
    execution = (await engine.execute({ listener, variables } as never)) as unknown as Execution;
  }
  return { engine, execution, timers, sink };
}

type Execution = {
  getPostponed(): unknown[];
  signal(message: unknown): void;
  definitions: { getProcesses(): { environment: { variables: Vars; assignVariables(v: Vars): void }; getActivities?(): ActivityLike[] }[] }[];
};

function applyCommand(execution: Execution, timers: CollectingTimers, command: StepCommand): boolean {
  const waiting = () => collectWaiting(execution.getPostponed() as EngineApi[]);
  switch (command.kind) {
    case 'start': {
      if (command.fireStartTimer) {
        const t = timers.pending().find((p) => p.elementId === command.fireStartTimer);
        return t ? timers.fire(t.executionId) : false;
      }
      if (command.startMessage) {
        assignVariables(execution, command.startMessage.variables);
        execution.signal({ id: command.startMessage.ref, ...command.startMessage.variables });
      }
      return true;
    }
    case 'resume':
      return true;
    case 'timer':
      return timers.fire(command.executionId);
    case 'complete': {
      const target = waiting().find((w) => w.executionId === command.executionId);
      if (!target) return false;
      assignVariables(execution, command.output ?? command.variables);
      target.api.signal(command.variables);
      return true;
    }
    case 'error': {
      const target = waiting().find((w) => w.executionId === command.executionId);
      if (!target) return false;
      if (command.variables) assignVariables(execution, command.variables);
      target.api.sendApiMessage('error', { message: command.message ?? command.errorCode, code: command.errorCode });
      return true;
    }
    case 'event': {
      const target = waiting().find((w) => eventRefs(w).includes(command.eventRef));
      if (!target) return false;
      assignVariables(execution, command.variables);
      execution.signal({ id: command.eventRef, ...command.variables });
      return true;
    }
  }
}

/** The message/signal element ids a waiting activity listens for. */
export function eventRefs(w: Pick<Waiting, 'content'> & { api?: EngineApi }): string[] {
  const defs = (w.api?.owner?.behaviour?.eventDefinitions ?? []) as { behaviour?: { messageRef?: { id: string }; signalRef?: { id: string } } }[];
  const fromDefs = defs.map((d) => d.behaviour?.messageRef?.id ?? d.behaviour?.signalRef?.id).filter((x): x is string => !!x);
  const receive = (w.api?.owner?.behaviour?.messageRef as { id?: string } | undefined)?.id;
  return receive ? [...fromDefs, receive] : fromDefs;
}

function assignVariables(execution: Execution, variables: Vars): void {
  if (!variables || !Object.keys(variables).length) return;
  for (const d of execution.definitions) {
    for (const p of d.getProcesses()) {
      p.environment.assignVariables(variables);
      assignInSubProcesses(p.getActivities?.() ?? [], variables);
    }
  }
}

/** An embedded sub-process runs on a copy of the variables taken when it started (and kept in its state). */
type ActivityLike = { isSubProcess?: boolean; execution?: { source?: { executions?: { environment?: { assignVariables(v: Vars): void }; getActivities?(): ActivityLike[] }[] } } };

/**
 * Variables are process-wide, as in Camunda: a task completed (or a job done, a message received)
 * inside a running embedded sub-process sets them for the gateways, timers and inputs after it in
 * that sub-process too. bpmn-elements gives each sub-process execution its own copy of the
 * variables when it starts, so without this a gateway inside read the values of that moment.
 */
function assignInSubProcesses(activities: ActivityLike[], variables: Vars, depth = 0): void {
  if (depth > 32) return;
  for (const a of activities) {
    if (!a.isSubProcess) continue;
    for (const pe of a.execution?.source?.executions ?? []) {
      pe.environment?.assignVariables(variables);
      assignInSubProcesses(pe.getActivities?.() ?? [], variables, depth + 1);
    }
  }
}

function readVariables(execution: Execution): Vars {
  const out: Vars = {};
  for (const d of execution.definitions) {
    for (const p of d.getProcesses()) {
      for (const [k, v] of Object.entries(p.environment.variables)) if (!RESERVED.has(k)) out[k] = v;
    }
  }
  return JSON.parse(JSON.stringify(out)) as Vars;
}

function plain(content: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(content)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function fireOverdue(engine: { activityStatus: string }, timers: CollectingTimers, now: Date, done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) {
    // a paused timer is never overdue: its clock does not run (中止计时)
    const due = timers.pending().filter((t) => !t.paused && t.dueAt.getTime() <= now.getTime()).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
    if (!due) return;
    timers.fire(due.executionId);
    await settle(engine, done);
  }
}

async function settle(engine: { activityStatus: string }, done: () => boolean): Promise<void> {
  for (let i = 0; i < MAX_SETTLE_TICKS; i++) {
    if (done() || engine.activityStatus !== 'executing') return;
    await new Promise<void>((r) => setImmediate(r));
  }
  throw new StepFailedError('The process did not come to rest (an endless loop in the diagram?)');
}

function historyListener(sink: StepSink): EventEmitter {
  const listener = new EventEmitter();
  const skip = (api: EngineApi) => api.type === 'bpmn:SequenceFlow';
  listener.on('activity.start', (api: EngineApi) => {
    if (!skip(api)) sink.history.push({ type: 'activity-entered', elementId: api.id, executionId: api.executionId });
  });
  listener.on('activity.end', (api: EngineApi) => {
    if (!skip(api)) sink.history.push({ type: 'activity-left', elementId: api.id, executionId: api.executionId });
  });
  listener.on('activity.timeout', (api: EngineApi) => {
    sink.history.push({ type: 'timer-fired', elementId: api.id, executionId: api.executionId, data: { expireAt: api.content?.expireAt } });
  });
  return listener;
}
