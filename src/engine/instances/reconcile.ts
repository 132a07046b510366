import { EntityManager } from 'typeorm';
import { rowsOf } from '../../database';
import type { ElementMeta, DefinitionMeta } from '../definitions/element-meta';
import { ExpressionError, type FeelFunctionRegistry } from '../expressions';
import type { PendingTimer } from '../runtime/collecting-timers';
import type { Vars, WaitingActivity } from '../runtime/step-runner';
import { applyMappings, evaluateValue } from '../runtime/variables';
import type { EngineEvent } from '../history/history';
import type { InstanceRow } from './instance.types';

/**
 * Rows derived from the engine state after a step, written in the step's transaction: timer jobs,
 * service jobs, user tasks and message/signal subscriptions. Each is reconciled by set difference,
 * so a re-emitted wait after recover changes nothing.
 */
export interface StaleRows {
  /** open user tasks no longer waiting, now cancelled */
  cancelledTasks: { id: string; element_id: string; execution_id: string }[];
  /** running child instances (call activities), for reconcileCalls */
  children: { id: string; parent_execution_id: string }[];
}

/**
 * Removes, in one statement, what the previous wait state derived and the new one no longer has:
 * timer and service jobs, message/signal subscriptions, open user tasks (cancelled and returned
 * for history); and reads the running children for reconcileCalls. One round trip instead of five:
 * once the engine has run, a step's cost is mostly round trips to the database.
 */
export async function removeStale(
  em: EntityManager,
  instanceId: string,
  keep: { timers: PendingTimer[]; waiting: WaitingActivity[]; subscriptions: string[] },
  now: Date,
): Promise<StaleRows> {
  const rows = rowsOf<{ what: 'task' | 'child'; id: string; element_id: string | null; execution_id: string }>(await em.query(
    `WITH jobs AS (
            DELETE FROM engine_jobs
             WHERE instance_id = $1
               AND ((kind = 'timer' AND NOT (execution_id = ANY($2::text[]))) OR (kind = 'service' AND NOT (execution_id = ANY($3::text[]))))),
          subs AS (DELETE FROM engine_subscriptions WHERE instance_id = $1 AND NOT (execution_id = ANY($5::text[]))),
          tasks AS (
            UPDATE user_tasks SET status = 'cancelled', completed_at = $6
             WHERE instance_id = $1 AND status = 'open' AND NOT (execution_id = ANY($4::text[]))
            RETURNING id, element_id, execution_id)
     SELECT 'task' AS what, id, element_id, execution_id FROM tasks
     UNION ALL
     SELECT 'child', id, NULL, parent_execution_id FROM engine_process_instances WHERE parent_instance_id = $1 AND status = 'running'`,
    [
      instanceId,
      keep.timers.map((t) => t.executionId),
      keep.waiting.filter((w) => SERVICE_TYPES.has(w.type)).map((w) => w.executionId),
      keep.waiting.filter((w) => USER_TYPES.has(w.type)).map((w) => w.executionId),
      keep.subscriptions,
      now.toISOString(),
    ],
  ));
  return {
    cancelledTasks: rows.filter((r) => r.what === 'task').map((r) => ({ id: r.id, element_id: r.element_id!, execution_id: r.execution_id })),
    children: rows.filter((r) => r.what === 'child').map((r) => ({ id: r.id, parent_execution_id: r.execution_id })),
  };
}

/** Pending timers become (or stay) job rows; one statement for all of them. Stale ones went in removeStale. */
export async function reconcileTimers(em: EntityManager, instanceId: string, timers: PendingTimer[]): Promise<void> {
  if (!timers.length) return;
  await em.query(
    `INSERT INTO engine_jobs (kind, instance_id, element_id, execution_id, due_at, payload)
     SELECT 'timer', $1, e, x, d, p FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::jsonb[]) AS t(e, x, d, p)
     ON CONFLICT (instance_id, kind, execution_id) WHERE instance_id IS NOT NULL DO UPDATE SET due_at = EXCLUDED.due_at`,
    [
      instanceId,
      timers.map((t) => t.elementId),
      timers.map((t) => t.executionId),
      timers.map((t) => t.dueAt.toISOString()),
      timers.map((t) => JSON.stringify({ timerType: t.timerType ?? null })),
    ],
  );
}

const SERVICE_TYPES = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']);
const USER_TYPES = new Set(['bpmn:UserTask', 'bpmn:ManualTask']);

export async function reconcileServiceJobs(
  em: EntityManager,
  inst: InstanceRow,
  meta: DefinitionMeta,
  waiting: WaitingActivity[],
  variables: Vars,
  feel: FeelFunctionRegistry,
  now: Date,
  maxAttempts: number,
  /** the node keeping this instance's engine warm (JOB_AFFINITY_MS), or null */
  affinity: string | null,
): Promise<EngineEvent[]> {
  const services = waiting.filter((w) => SERVICE_TYPES.has(w.type));
  const events: EngineEvent[] = [];
  for (const w of services) {
    const el = meta.elements[w.elementId] ?? ({ type: w.type } as ElementMeta);
    const inputs = el.inputs ? applyMappings(el.inputs, scopeOf(variables, w), feel) : {};
    const rows: unknown[] = await em.query(
      `INSERT INTO engine_jobs (kind, instance_id, element_id, execution_id, handler, due_at, payload, max_attempts, affinity)
       VALUES ('service', $1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (instance_id, kind, execution_id) WHERE instance_id IS NOT NULL DO NOTHING RETURNING id`,
      [inst.id, w.elementId, w.executionId, el.handler ?? null, now.toISOString(), JSON.stringify({ inputs }), maxAttempts, affinity],
    );
    if (rows.length) events.push({ type: 'job-created', elementId: w.elementId, executionId: w.executionId, data: { handler: el.handler } });
  }
  return events;
}

export async function reconcileUserTasks(
  em: EntityManager,
  inst: InstanceRow,
  def: { meta: DefinitionMeta; version: number },
  waiting: WaitingActivity[],
  variables: Vars,
  feel: FeelFunctionRegistry,
  now: Date,
  cancelled: StaleRows['cancelledTasks'],
): Promise<EngineEvent[]> {
  const tasks = waiting.filter((w) => USER_TYPES.has(w.type));
  const events: EngineEvent[] = [];
  for (const c of cancelled) events.push({ type: 'task-cancelled', elementId: c.element_id, executionId: c.execution_id, data: { taskId: c.id } });
  for (const w of tasks) {
    const el = def.meta.elements[w.elementId] ?? ({ type: w.type } as ElementMeta);
    const scope = scopeOf(variables, w);
    const t = resolveTask(el, scope, feel);
    // region_code: the case's region when it is a known region code (else none); group_keys: what
    // supervisors of the candidate groups are matched on (migrations/1764500000001-TaskQueues.ts)
    const rows: { id: string }[] = await em.query(
      `INSERT INTO user_tasks (instance_id, execution_id, element_id, name, process_key, process_version, business_key,
          candidate_groups, candidate_users, assignee, priority, due_at, follow_up_at, form_key, input, output_mapping, created_at,
          region_code, group_keys, region_in_group_scope, assigned_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
          (SELECT r.code FROM regions r WHERE r.code = $18 LIMIT 1), user_task_group_keys($8), user_task_region_in_group_scope($18, $8),
          CASE WHEN $10::text IS NULL THEN NULL ELSE $17::timestamptz END)
       ON CONFLICT (instance_id, execution_id) DO NOTHING RETURNING id`,
      [
        inst.id, w.executionId, w.elementId, el.name ?? w.elementId, inst.processKey, def.version,
        inst.businessKey, t.candidateGroups, t.candidateUsers, t.assignee, t.priority, t.dueAt, t.followUpAt, t.formKey,
        JSON.stringify(el.inputs ? applyMappings(el.inputs, scope, feel) : {}), el.outputs ? JSON.stringify(el.outputs) : null, now.toISOString(),
        t.regionCode,
      ],
    );
    if (rows.length) events.push({ type: 'task-created', elementId: w.elementId, executionId: w.executionId, data: { taskId: rows[0].id } });
  }
  return events;
}

/** Multi-instance iterations carry their element variable (and loop index) in the wait content. */
export function scopeOf(variables: Vars, w: WaitingActivity): Vars {
  const local: Vars = {};
  if (typeof w.content.index === 'number') {
    for (const [k, v] of Object.entries(w.content)) if (!ENGINE_KEYS.has(k)) local[k] = v;
    local.loopCounter = (w.content.index as number) + 1;
  }
  return { ...variables, ...local };
}

const ENGINE_KEYS = new Set(['id', 'type', 'name', 'executionId', 'parent', 'inbound', 'outbound', 'state', 'isRootScope', 'isMultiInstance', 'isSequential', 'index', 'ignoreIfExecuting', 'message', 'isRecovered', 'loopCardinality']);

function resolveTask(el: ElementMeta, scope: Vars, feel: FeelFunctionRegistry) {
  const t = el.task ?? {};
  const val = (text?: string) => (text === undefined ? undefined : evaluateValue(text, scope, feel));
  const list = (text?: string): string[] => {
    const v = val(text);
    if (v === undefined || v === null) return [];
    const items = Array.isArray(v) ? v : String(v).split(',');
    return items.map((x) => String(x).trim()).filter(Boolean);
  };
  const date = (text?: string): string | null => {
    const v = val(text);
    if (v === undefined || v === null || v === '') return null;
    const d = new Date(String(v));
    if (Number.isNaN(d.getTime())) throw new ExpressionError('EXPRESSION_EVALUATION', text ?? '', `Task ${el.name ?? ''}: ${JSON.stringify(v)} is not a date`);
    return d.toISOString();
  };
  const priority = Number(val(t.priority) ?? 50);
  // the case's region (a region code such as 510104), read from the process variable regionCode
  const region = scope.regionCode;
  return {
    regionCode: typeof region === 'string' || (typeof region === 'number' && Number.isInteger(region)) ? String(region).trim() || null : null,
    candidateGroups: list(t.candidateGroups),
    candidateUsers: list(t.candidateUsers),
    assignee: (val(t.assignee) as string | undefined) ?? null,
    priority: Number.isFinite(priority) ? Math.round(priority) : 50,
    dueAt: date(t.dueDate),
    followUpAt: date(t.followUpDate),
    formKey: (val(t.formKey) as string | undefined) ?? null,
  };
}

export interface Subscription {
  executionId: string;
  elementId: string;
  kind: 'message' | 'signal';
  name: string;
  ref: string;
}

/** The message and signal catches the waiting activities listen for. */
export function subscriptionsOf(meta: DefinitionMeta, waiting: WaitingActivity[]): Subscription[] {
  const subs: Subscription[] = [];
  for (const w of waiting) {
    for (const ref of w.eventRefs) {
      if (meta.messages[ref] !== undefined) subs.push({ executionId: w.executionId, elementId: w.elementId, kind: 'message', name: meta.messages[ref], ref });
      else if (meta.signals[ref] !== undefined) subs.push({ executionId: w.executionId, elementId: w.elementId, kind: 'signal', name: meta.signals[ref], ref });
    }
  }
  return subs;
}

/** Inserts the subscriptions not yet stored (stale ones went in removeStale). */
export async function reconcileSubscriptions(em: EntityManager, inst: InstanceRow, subs: Subscription[]): Promise<void> {
  for (const s of subs) {
    await em.query(
      `INSERT INTO engine_subscriptions (instance_id, execution_id, element_id, kind, event_name, event_ref, correlation_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (instance_id, execution_id) DO NOTHING`,
      [inst.id, s.executionId, s.elementId, s.kind, s.name, s.ref, inst.businessKey],
    );
  }
}
