/**
 * The activities an instance waits in after a step, expanded through sub-processes and
 * multi-instance iterations. Read before the engine stops.
 */
export interface Waiting {
  elementId: string;
  executionId: string;
  type: string;
  /** multi-instance iteration index and content (e.g. the element variable) */
  content: Record<string, unknown>;
  api: EngineApi;
}

export interface EngineApi {
  id: string;
  type: string;
  executionId: string;
  content: Record<string, unknown>;
  owner?: { behaviour?: Record<string, unknown>; isSubProcess?: boolean };
  getPostponed?: () => EngineApi[];
  getExecuting?: () => EngineApi[];
  signal(message?: unknown, options?: unknown): void;
  sendApiMessage(action: string, content?: unknown, options?: unknown): void;
}

const NOT_WAIT_STATES = new Set([
  'bpmn:SequenceFlow',
  'bpmn:MessageFlow',
  'bpmn:ParallelGateway',
  'bpmn:InclusiveGateway',
  'bpmn:ExclusiveGateway',
  'bpmn:EventBasedGateway',
  'bpmn:SubProcess',
  'bpmn:Transaction',
  'bpmn:AdHocSubProcess',
]);

export function collectWaiting(postponed: EngineApi[]): Waiting[] {
  const out: Waiting[] = [];
  const seen = new Set<string>();
  const visit = (apis: EngineApi[]) => {
    for (const api of apis) {
      if (seen.has(api.executionId)) continue;
      seen.add(api.executionId);
      // a sub-process lists its own waiting children
      const children = api.getPostponed?.().filter((a) => a.executionId !== api.executionId) ?? [];
      if (children.length) {
        visit(children);
        continue;
      }
      // a multi-instance root waits in its iterations. An iteration shares the root's owner (and
      // its loopCharacteristics) and getExecuting() lists its siblings: expanding it again
      // marked every sibling seen and dropped all of them from the waiting list.
      if (api.owner?.behaviour?.loopCharacteristics && !isIteration(api) && typeof api.getExecuting === 'function') {
        const iterations = api.getExecuting().filter((a) => a.executionId !== api.executionId);
        if (iterations.length) {
          visit(iterations);
          continue;
        }
      }
      if (NOT_WAIT_STATES.has(api.type)) continue;
      out.push({ elementId: api.id, executionId: api.executionId, type: waitType(api), content: api.content ?? {}, api });
    }
  };
  visit(postponed);
  return out;
}

/** Event activities report their event definition's type; use the activity's own BPMN type. */
function waitType(api: EngineApi): string {
  const t = (api.owner?.behaviour?.$type as string | undefined) ?? api.type;
  return t;
}

/** One execution of a multi-instance activity (it carries its loop index), not the loop root. */
function isIteration(api: EngineApi): boolean {
  return api.content?.isMultiInstance === true && typeof api.content.index === 'number' && api.content.isRootScope !== true;
}
