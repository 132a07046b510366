import { MessageEventDefinition, SignalEventDefinition } from 'bpmn-elements';

interface CatchInternals {
  activity: { attachedTo?: unknown; behaviour?: { cancelActivity?: boolean } };
  broker: { publish(exchange: string, routingKey: string, content: unknown, options?: unknown): unknown };
  _complete(...args: unknown[]): unknown;
}

const kExecuteMessage = Symbol.for('executeMessage');

/**
 * A non-interrupting message or signal boundary event stays armed while its activity runs, as in
 * Camunda: every objection during a 公示 opens its own verification task. bpmn-elements re-arms
 * only timer cycles (through `execute.repeat`, which the boundary event answers by restarting
 * itself with a new execution id); these definitions ask for the same restart when they catch.
 */
function repeating<T>(Base: T): T {
  const B = Base as unknown as new (...args: unknown[]) => CatchInternals;
  class RepeatingCatch extends B {
    override _complete(...args: unknown[]): unknown {
      const activity = this.activity;
      if (activity.attachedTo && activity.behaviour?.cancelActivity === false) {
        const execute = (this as unknown as Record<symbol, { content: Record<string, unknown> } | undefined>)[kExecuteMessage];
        if (execute) this.broker.publish('execution', 'execute.repeat', { ...execute.content, repeat: -1 });
      }
      return super._complete(...args);
    }
  }
  return RepeatingCatch as unknown as T;
}

export const RepeatingMessageEventDefinition = repeating(MessageEventDefinition);
export const RepeatingSignalEventDefinition = repeating(SignalEventDefinition);
