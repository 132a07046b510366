import { BadInputError } from '../common';
import { Viewer, assignedToMeSql, offeredToMeBranches, visibilitySql } from './task-access';
import { SlaBounds, SlaState } from './task-sla';

/**
 * The queue queries as SQL (pure): GET /api/tasks, a saved queue's tasks and its count all go
 * through here, and so does scripts/bench-tasks.ts, so the benchmark times the SQL users get.
 * The sort expressions and the literal `t.status = 'open'` / `t.assignee IS NULL` match the
 * partial indexes of migrations/1764500000001-TaskQueues.ts, which is what keeps them fast.
 */
export const TASK_SORTS = ['due', '-due', 'priority', '-priority', 'created', '-created'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];
export const TASK_STATUS_FILTERS = ['open', 'completed', 'cancelled', 'all'] as const;
export type TaskStatusFilter = (typeof TASK_STATUS_FILTERS)[number];

/** A queue's definition: the filters of GET /api/tasks (all optional, combined with AND) and its sort. */
export interface TaskFilter {
  /** offered to me: one of my candidate groups, or my username among the candidate users */
  myGroups?: boolean;
  assignedToMe?: boolean;
  unassigned?: boolean;
  /** offered to this candidate group */
  candidateGroup?: string;
  /** held by this username */
  assignee?: string;
  /** the case's region in this subtree (a region code, or a region group such as CDMZ) */
  region?: string;
  processKey?: string;
  businessKey?: string;
  processInstanceId?: string;
  /** ISO date-times */
  dueBefore?: string;
  dueAfter?: string;
  sla?: SlaState[];
  /** text in the task's name or its business key */
  q?: string;
  /** default open */
  status?: TaskStatusFilter;
  /** default created (oldest first) */
  sort?: TaskSort;
}

export const DEFAULT_SORT: TaskSort = 'created';
/** counts stop here: "1000+" costs as much as 1001 rows, never a full count */
export const COUNT_CAP = 1000;

const DUE = `COALESCE(t.due_at, 'infinity'::timestamptz)`;
const SORT_COLUMNS: Record<string, { expr: string; type: string }> = {
  due: { expr: DUE, type: 'timestamptz' },
  priority: { expr: 't.priority', type: 'integer' },
  created: { expr: 't.created_at', type: 'timestamptz' },
};

export const TASK_COLUMNS = `t.id, t.instance_id AS "processInstanceId", t.element_id AS "elementId", t.name, t.process_key AS "processKey",
  t.process_version AS "processVersion", t.business_key AS "businessKey", t.region_code AS "regionCode", t.status,
  t.candidate_groups AS "candidateGroups", t.candidate_users AS "candidateUsers", t.assignee, t.owner,
  t.delegation_state AS "delegationState", t.priority, t.due_at AS "dueAt", t.follow_up_at AS "followUpAt", t.form_key AS "formKey",
  t.input, t.created_at AS "createdAt", t.assigned_at AS "assignedAt", t.assigned_by AS "assignedBy", t.claimed_at AS "claimedAt",
  t.claimed_by AS "claimedBy", t.completed_at AS "completedAt", t.completed_by AS "completedBy"`;

/** Where the next page starts: the sort, the last row's sort key (as PostgreSQL printed it) and id. */
export interface TaskCursor {
  sort: TaskSort;
  key: string;
  id: string;
}

export function encodeCursor(c: TaskCursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.key, c.id])).toString('base64url');
}

export function decodeCursor(text: string, sort: TaskSort): TaskCursor {
  const bad = (problem: string) => new BadInputError('VALIDATION_FAILED', `Invalid cursor: ${problem}`, { fields: [{ field: 'cursor', problems: [problem] }] });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad('cursor must be the nextCursor of a previous page');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((x) => typeof x === 'string')) throw bad('cursor must be the nextCursor of a previous page');
  const [s, key, id] = parsed as string[];
  if (s !== sort) throw bad(`cursor belongs to sort ${s}, not ${sort}: start again without a cursor`);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) || key.length > 64) throw bad('cursor must be the nextCursor of a previous page');
  return { sort, key, id };
}

/** The region codes of the subtrees the filters name (`region`), resolved before the SQL is built. */
export type Subtrees = ReadonlyMap<string, readonly string[]>;

/**
 * The WHERE of a filter for the viewer, as branches to be combined with UNION (each a list of
 * conditions): one branch, except for "offered to me", which is split by how a task is offered so
 * that each branch has an index that reads it in due order (a candidate group of its own, several
 * groups, a candidate user by name). Parameters are appended to `params`.
 */
export function filterBranches(v: Viewer, f: TaskFilter, bounds: SlaBounds, params: unknown[], subtrees: Subtrees = new Map()): string[][] {
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  // a region filter is narrowed to the viewer's scope here, which makes the scope condition
  // redundant (a second, correlated condition on the region is what misleads the planner most)
  const subtree = f.region === undefined ? undefined : subtrees.get(f.region);
  if (f.region !== undefined && !subtree) throw new Error(`filterBranches: the subtree of ${f.region} is not resolved`);
  const scope = new Set(v.scopeCodes ?? []);
  const regionCodes = subtree?.filter((c) => scope.has(c));
  const status = f.status ?? 'open';
  const known = { inScope: regionCodes !== undefined, open: status === 'open' };
  // literals, so the partial indexes (WHERE status = 'open') are seen to apply
  if (status !== 'all') where.push(`t.status = '${status}'`);
  if (f.unassigned) where.push('t.assignee IS NULL');
  if (f.assignedToMe) where.push(assignedToMeSql(v, params, known));
  if (f.assignee !== undefined) where.push(`t.assignee = ${p(f.assignee)}`);
  if (f.candidateGroup !== undefined) where.push(`t.candidate_groups && ARRAY[${p(f.candidateGroup)}::text]`);
  if (regionCodes) where.push(regionCodes.length ? `t.region_code = ANY(${p(regionCodes)}::text[])` : 'FALSE');
  if (f.processKey !== undefined) where.push(`t.process_key = ${p(f.processKey)}`);
  if (f.businessKey !== undefined) where.push(`t.business_key = ${p(f.businessKey)}`);
  if (f.processInstanceId !== undefined) where.push(`t.instance_id = ${p(f.processInstanceId)}::uuid`);
  if (f.dueBefore !== undefined) where.push(`${DUE} < ${p(f.dueBefore)}::timestamptz`);
  if (f.dueAfter !== undefined) where.push(`${DUE} > ${p(f.dueAfter)}::timestamptz`, `${DUE} < 'infinity'::timestamptz`);
  if (f.sla?.length) where.push(slaSql(f.sla, bounds, p));
  if (f.q !== undefined) {
    const like = p(`%${f.q.replace(/[\\%_]/g, '\\$&')}%`);
    where.push(`(t.name ILIKE ${like} OR t.business_key ILIKE ${like})`);
  }
  // "offered to me" and "assigned to me" carry the visibility rules already (repeating them would
  // make the planner think the rows much rarer than they are)
  if (f.myGroups) return offeredToMeBranches(v, params, known).map((b) => [...where, ...b]);
  if (!f.assignedToMe) where.push(visibilitySql(v, params, known));
  return [where];
}

/** SLA states of open tasks as ranges of the due sort key (so the due indexes serve them). */
function slaSql(states: readonly SlaState[], b: SlaBounds, p: (v: unknown) => string): string {
  // only the bounds used get a parameter (an unused one has no type and fails the statement)
  const has = (s: SlaState) => states.includes(s);
  const now = has('overdue') || has('due_soon') ? p(b.now.toISOString()) : '';
  const soon = has('due_soon') || has('on_time') ? p(b.soon.toISOString()) : '';
  const parts = [...new Set(states)].map((s) =>
    s === 'overdue' ? `${DUE} < ${now}::timestamptz` : s === 'due_soon' ? `(${DUE} >= ${now}::timestamptz AND ${DUE} <= ${soon}::timestamptz)` : `${DUE} > ${soon}::timestamptz`,
  );
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

function orderOf(sort: TaskSort): { expr: string; type: string; desc: boolean } {
  const desc = sort.startsWith('-');
  return { ...SORT_COLUMNS[desc ? sort.slice(1) : sort], desc };
}

/**
 * One page (limit + 1 rows are read to know whether there is a next one). The ids and sort keys
 * of the page are found first, from the indexes alone where they hold every column the filter
 * reads (index-only scans), and only that page's rows are then read in full.
 */
export function listQuery(
  v: Viewer,
  f: TaskFilter,
  bounds: SlaBounds,
  page: { limit: number; cursor?: TaskCursor },
  subtrees: Subtrees = new Map(),
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const branches = filterBranches(v, f, bounds, params, subtrees);
  const o = orderOf(f.sort ?? DEFAULT_SORT);
  let after = '';
  if (page.cursor) {
    params.push(page.cursor.key, page.cursor.id);
    after = ` AND (${o.expr}, t.id) ${o.desc ? '<' : '>'} ($${params.length - 1}::${o.type}, $${params.length}::uuid)`;
  }
  params.push(page.limit + 1);
  const limit = `$${params.length}`;
  const dir = o.desc ? ' DESC' : '';
  const select = (where: string[]) =>
    `SELECT t.id, ${o.expr} AS k FROM user_tasks t WHERE ${where.join(' AND ')}${after} ORDER BY ${o.expr}${dir}, t.id${dir} LIMIT ${limit}`;
  const ids =
    branches.length === 1
      ? select(branches[0])
      : `SELECT u.id, u.k FROM (${branches.map((b) => `(${select(b)})`).join('\n       UNION ')}) u ORDER BY u.k${dir}, u.id${dir} LIMIT ${limit}`;
  const sql = `SELECT ${TASK_COLUMNS}, p.k::text AS "sortKey"
     FROM (${ids}) p JOIN user_tasks t ON t.id = p.id
     ORDER BY p.k${dir}, p.id${dir}`;
  return { sql, params };
}

/** How many tasks match, counted up to COUNT_CAP + 1 (more reads as "1000+"). */
export function countQuery(v: Viewer, f: TaskFilter, bounds: SlaBounds, subtrees: Subtrees = new Map()): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const sql = countSql(v, f, bounds, params, subtrees);
  return { sql: `SELECT ${sql} AS n`, params };
}

/** The capped counts of several queues in one statement: rows (id, n). */
export function countsQuery(
  v: Viewer,
  queues: readonly { id: string; filter: TaskFilter }[],
  bounds: SlaBounds,
  subtrees: Subtrees = new Map(),
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const parts = queues.map((q) => {
    params.push(q.id);
    const id = `$${params.length}::uuid`;
    return `SELECT ${id} AS id, ${countSql(v, q.filter, bounds, params, subtrees)} AS n`;
  });
  return { sql: parts.join('\nUNION ALL\n'), params };
}

function countSql(v: Viewer, f: TaskFilter, bounds: SlaBounds, params: unknown[], subtrees: Subtrees): string {
  const branches = filterBranches(v, f, bounds, params, subtrees);
  const cap = COUNT_CAP + 1;
  if (branches.length === 1) return `(SELECT count(*)::int FROM (SELECT 1 FROM user_tasks t WHERE ${branches[0].join(' AND ')} LIMIT ${cap}) x)`;
  const union = branches.map((b) => `(SELECT t.id FROM user_tasks t WHERE ${b.join(' AND ')} LIMIT ${cap})`).join(' UNION ');
  return `(SELECT count(*)::int FROM (SELECT u.id FROM (${union}) u LIMIT ${cap}) x)`;
}
