import * as Elements from 'bpmn-elements';
import { Engine } from 'bpmn-engine';
import { deserialize, TypeResolver } from 'moddle-context-serializer';
import { FeelFunctionRegistry, createEngineExpressions } from '../expressions';
import { CollectingTimers, TimerOverride } from './collecting-timers';
import { pausableTimerEventDefinition } from './pausable-timer';
import { RepeatingMessageEventDefinition, RepeatingSignalEventDefinition } from './repeating-catch';

/** bpmn-engine never logs through `debug` here: its chatter costs CPU on every step. */
const quietLogger = () => ({ debug() {}, error() {}, warn() {} });

/** Scripts never run: refused at deploy, and refused again here should one slip through. */
const noScripts = {
  register(activity: { type?: string; id?: string; behaviour?: { conditionExpression?: { language?: string } } }) {
    if (activity.type === 'bpmn:ScriptTask' || activity.behaviour?.conditionExpression?.language) {
      throw new Error(`scripts are disabled in Anju (${activity.id})`);
    }
  },
  getScript() {
    return undefined;
  },
};

type LoopBehaviour = { collection?: unknown; elementVariable?: unknown; extensionElements?: { values?: { $type?: string; inputCollection?: string; inputElement?: string }[] } };
const BaseLoop = (Elements as unknown as Record<string, unknown>).MultiInstanceLoopCharacteristics as new (activity: unknown, loop: { behaviour?: LoopBehaviour }) => object;

/**
 * Camunda 8 writes a multi-instance collection as `zeebe:loopCharacteristics inputCollection
 * inputElement`, which bpmn-elements does not read: without this, such a task failed at run time
 * ("cardinality or collection is required"). Camunda 7's `camunda:collection` is read as is.
 */
class ZeebeAwareLoopCharacteristics extends BaseLoop {
  constructor(activity: unknown, loop: { behaviour?: LoopBehaviour }) {
    const zeebe = loop.behaviour?.extensionElements?.values?.find((v) => v.$type === 'zeebe:LoopCharacteristics');
    const behaviour = zeebe?.inputCollection && !loop.behaviour?.collection
      ? { ...loop.behaviour, collection: zeebe.inputCollection, elementVariable: zeebe.inputElement }
      : loop.behaviour;
    super(activity, { ...loop, behaviour });
  }
}

/**
 * Builds engines for steps: the element types (service, send and business-rule tasks wait as
 * signal tasks so their work runs as jobs outside the step; timers read Anju's clock and honour
 * paused or moved deadlines), FEEL expressions, no scripts, and the cached pre-serialized source
 * of each definition version.
 */
export class EngineFactory {
  readonly elements: Record<string, unknown>;
  private readonly expressions;

  constructor(
    private readonly now: () => Date,
    registry: FeelFunctionRegistry,
  ) {
    this.elements = {
      ...Elements,
      ServiceTask: Elements.SignalTask,
      SendTask: Elements.SignalTask,
      BusinessRuleTask: Elements.SignalTask,
      TimerEventDefinition: pausableTimerEventDefinition(now),
      MessageEventDefinition: RepeatingMessageEventDefinition,
      SignalEventDefinition: RepeatingSignalEventDefinition,
      MultiInstanceLoopCharacteristics: ZeebeAwareLoopCharacteristics,
    };
    this.expressions = createEngineExpressions(registry);
  }

  /** The serialized source context (stored per definition version) turned into the engine's input. */
  deserialize(sourceContext: unknown): unknown {
    return deserialize(sourceContext as never, TypeResolver(this.elements as never));
  }

  /** `timerOverrides`: the paused or moved timers of the instance (by execution id), applied when they are armed. */
  create(
    name: string,
    sourceContext: unknown,
    moddleOptions: Record<string, unknown>,
    timerOverrides: Readonly<Record<string, TimerOverride>> = {},
  ): { engine: Engine; timers: CollectingTimers } {
    const timers = new CollectingTimers(this.now, timerOverrides);
    const engine = new Engine({
      name,
      sourceContext,
      moddleOptions,
      timers,
      elements: this.elements,
      expressions: this.expressions,
      scripts: noScripts,
      Logger: quietLogger,
      settings: { enableDummyService: false },
    } as never);
    return { engine, timers };
  }
}
