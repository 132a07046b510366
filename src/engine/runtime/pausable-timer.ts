import { captureDeadlines } from '../expressions/deadline-capture';
import { CollectingTimers } from './collecting-timers';
import { clockTimerEventDefinition } from './timer-definition';

type TimerMessage = { content: { executionId: string } };
type ResolvedTimer = { expireAt?: Date; timeout?: number };

/**
 * The clock-reading timer (timer-definition.ts) whose expiry Anju may override after the engine
 * armed it. bpmn-elements re-arms every pending timer on recover from what its stored state says
 * (the original expireAt, and the resolved timeDate it keeps the earlier of), so a paused or moved
 * deadline is not written into that state: the step's CollectingTimers carries the overrides
 * (kept beside the state, see clock-state.ts) and this class applies them each time a timer is
 * armed. It also captures the calendar deadline a timeDate expression computed, for provisional
 * tracking.
 */
export function pausableTimerEventDefinition(now: () => Date) {
  const Base = clockTimerEventDefinition(now) as unknown as new (...args: unknown[]) => {
    environment: { timers: unknown };
    _getTimers(message: TimerMessage): ResolvedTimer;
  };
  class PausableTimerEventDefinition extends Base {
    override _getTimers(message: TimerMessage): ResolvedTimer {
      const { value: timers, deadlines } = captureDeadlines(() => super._getTimers(message));
      const collecting = this.environment.timers;
      if (!timers.expireAt || !(collecting instanceof CollectingTimers)) return timers;
      const expireAt = collecting.arm(message.content.executionId, timers.expireAt, deadlines);
      if (expireAt !== timers.expireAt) {
        timers.expireAt = expireAt;
        timers.timeout = expireAt.getTime() - now().getTime();
      }
      return timers;
    }
  }
  return PausableTimerEventDefinition;
}
