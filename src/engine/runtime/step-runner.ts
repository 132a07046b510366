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
 * The engine as a pure function per step: (definition source, stored state, command) → (new
 * state, waiting activities, pending timers, variables, history). Nothing here touches the
 * database; the caller persists the result in the same transaction that holds the instance lock.
 */
export async function runStep(factory: EngineFactory, input: StepInput): Promise<StepResult> {
  const { engine, timers } = factory.create(input.name, input.sourceContext, input.moddleOptions, input.timerOverrides);
  const history: HistoryEntry[] = [];
  const listener = historyListener(history);
  let ended = false;
  let failure: (Error & { source?: { content?: { id?: string } }; code?: string }) | null = null;
  engine.once('end', () => (ended = true));
  engine.on('error', (e: Error) => (failure ??= e));

  let execution;
  if (input.state) {
    engine.recover(structuredClone(input.state) as never);
    execution = await engine.resume({ listener } as never);
  } else {
    const variables = input.command.kind === 'start' ? input.command.variables : {};
    execution = await engine.execute({ listener, variables } as never);
  }
  await settle(engine, () => ended || !!failure);
  // timers already due by Anju's clock fire before the command: a completion after the deadline loses
  if (input.state) await fireOverdue(engine, timers, input.now(), () => ended || !!failure);
  const consumed = failure || ended ? false : applyCommand(execution, timers, input.command);
  await settle(engine, () => ended || !!failure);
  if (failure) {
    const f = failure as Error & { source?: { content?: { id?: string } }; code?: string };
    throw new StepFailedError(f.message, f.source?.content?.id, f.code);
  }
  const waiting = ended ? [] : collectWaiting(execution.getPostponed() as EngineApi[]);
  const pending = ended ? [] : timers.pending();
  const variables = readVariables(execution);
  let state: unknown = null;
  let engineVersion: string | null = null;
  if (!ended) {
    await engine.stop();
    const s = (await engine.getState()) as { engineVersion?: string; definitions: { source?: unknown }[] };
    for (const d of s.definitions) delete d.source;
    engineVersion = s.engineVersion ?? null;
    state = s;
  }
  return { consumed, ended, state, engineVersion, waiting: waiting.map(({ api, ...w }) => ({ ...w, content: plain(w.content), eventRefs: eventRefs({ ...w, api }) })), timers: pending, variables, history };
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

function historyListener(history: HistoryEntry[]): EventEmitter {
  const listener = new EventEmitter();
  const skip = (api: EngineApi) => api.type === 'bpmn:SequenceFlow';
  listener.on('activity.start', (api: EngineApi) => {
    if (!skip(api)) history.push({ type: 'activity-entered', elementId: api.id, executionId: api.executionId });
  });
  listener.on('activity.end', (api: EngineApi) => {
    if (!skip(api)) history.push({ type: 'activity-left', elementId: api.id, executionId: api.executionId });
  });
  listener.on('activity.timeout', (api: EngineApi) => {
    history.push({ type: 'timer-fired', elementId: api.id, executionId: api.executionId, data: { expireAt: api.content?.expireAt } });
  });
  return listener;
}
