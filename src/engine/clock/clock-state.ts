import type { TimerOverride } from '../runtime/collecting-timers';

/**
 * What Anju keeps about an instance's statutory clock beside bpmn-engine's state, in the same
 * stored JSON document under one reserved key: it changes in the same transactions as the state
 * (a step, a pause, a resume, a recomputed calendar year), costs no extra round trip per step, and
 * goes wherever the state goes (migration, cancellation). Absent when there is nothing to keep,
 * so the states of instances that never paused are exactly what the engine wrote.
 */
export interface ClockState {
  /** paused, moved or tracked timers by execution id */
  timers: Record<string, TimerOverride>;
  /** open user tasks whose due date is a tracked provisional deadline, by execution id */
  tasks: Record<string, { taskId: string }>;
  /** the open pause (engine_clock_pauses.id) while the clock is paused */
  pauseId?: string;
}

export const CLOCK_STATE_KEY = 'anjuClock';

export function emptyClock(): ClockState {
  return { timers: {}, tasks: {} };
}

/** The stored state split into what the engine recovers and Anju's clock. */
export function splitState(stored: unknown): { engine: unknown | null; clock: ClockState } {
  if (!stored || typeof stored !== 'object') return { engine: stored ?? null, clock: emptyClock() };
  const { [CLOCK_STATE_KEY]: raw, ...engine } = stored as Record<string, unknown>;
  const c = (raw ?? {}) as Partial<ClockState>;
  return { engine: raw === undefined ? stored : engine, clock: { timers: { ...c.timers }, tasks: { ...c.tasks }, ...(c.pauseId && { pauseId: c.pauseId }) } };
}

export function readClock(stored: unknown): ClockState {
  return splitState(stored).clock;
}

/** The engine's state with the clock attached (the key left out when the clock holds nothing). */
export function joinState(engine: unknown | null, clock: ClockState): unknown | null {
  if (engine === null || engine === undefined) return null;
  const { [CLOCK_STATE_KEY]: _old, ...plain } = engine as Record<string, unknown>;
  void _old;
  const empty = !Object.keys(clock.timers).length && !Object.keys(clock.tasks).length && !clock.pauseId;
  return empty ? plain : { ...plain, [CLOCK_STATE_KEY]: clock };
}

/** The owner under which the calendar tracks a timer's provisional deadline. */
export const timerOwner = (instanceId: string, executionId: string) => ({ kind: 'engine-timer', id: `${instanceId}:${executionId}` });
export const taskOwner = (taskId: string) => ({ kind: 'user-task', id: taskId });

/** The instance and execution of a timer owner id (a uuid has no colon; an execution id may). */
export function parseTimerOwner(id: string): { instanceId: string; executionId: string } | null {
  const at = id.indexOf(':');
  return at > 0 ? { instanceId: id.slice(0, at), executionId: id.slice(at + 1) } : null;
}
