import type { Actor } from '../api';

/**
 * Who may see and act on a user task (pure; tasks.service and the queue queries apply it).
 *
 * A task is offered to candidate groups (derived names `<role>:<scope>`, or
 * `department_checker:<dept>:<scope>`, identity/candidate-groups.ts) and candidate users (by
 * username); its assignee and, while delegated, its owner hold it too. Who relates to a task:
 *
 *   candidate   a member of one of its candidate groups, or one of its candidate users
 *   assignee    task.assignee is the caller's username
 *   owner       task.owner is the caller's username (they delegated it)
 *   supervisor  the caller supervises one of its candidate groups (below)
 *
 * **Supervisor of a group.** A group `<role>:<scope>` is supervised by
 *   1. the holders of the role one rung up the ladder below, with a scope root equal to or above
 *      the group's scope: the 区县 reviewers of 510104 supervise `street_reviewer:510104017` and
 *      `window_caseworker:510104`; the 市级 reviewers of 510100 supervise `county_reviewer:510104`;
 *   2. the holders of the same role (and, for department checkers, the same department) with a
 *      scope root strictly above the group's scope: 成都 民政's checkers supervise
 *      `department_checker:民政:510104` (escalation to the department's supervisor).
 * One rung only: a city reviewer does not supervise street reviewers. A region group root (CDMZ)
 * is above every region it holds. Supervisors may act on the group's tasks (claim, complete,
 * unclaim someone else's claim) and are the only ones who may assign them.
 *
 * The region scope comes first: a task whose region (`region_code`, the case's region) lies
 * outside the caller's scope does not exist for them (404), whatever the groups say. A task
 * without a region is decided by the relations alone.
 *
 * In a test environment (ANJU_TEST_CLOCK=1, never production) a policy modeler supervises every
 * task, to walk a diagram through end to end; see README "Work queues".
 */
export const SUPERVISED_BY: Readonly<Record<string, readonly string[]>> = {
  window_caseworker: ['county_reviewer'],
  street_reviewer: ['county_reviewer'],
  county_reviewer: ['city_reviewer'],
  allocation_officer: ['city_reviewer'],
};

export type Relation = 'assignee' | 'owner' | 'candidate' | 'supervisor';

/** The caller as the task rules see them: who they are, their groups and what they supervise. */
export interface Viewer {
  id: string;
  username: string;
  groups: readonly string[];
  regionScopes: readonly string[];
  /**
   * every region code in the subtrees of regionScopes, resolved once per request (the queue
   * queries match region_code against this list instead of joining the region tree per row);
   * null until resolved, for the per-task checks that do not need it
   */
  scopeCodes: readonly string[] | null;
  /** the groups the caller supervises at their own scope (rule 1 at an equal scope) */
  supervisedGroups: string[];
  /** `<role>@<region>` keys matched against a task's group_keys (rule 1 above the scope, rule 2) */
  supervisedKeys: string[];
  /** diagram walk-through in a test environment: supervisor of every task */
  everything: boolean;
}

/** `county_reviewer:510104` → role `county_reviewer`, scope `510104`; the department stays in the role. */
export function splitGroup(name: string): { role: string; scope: string } | null {
  const at = name.lastIndexOf(':');
  if (at <= 0 || at === name.length - 1) return null;
  return { role: name.slice(0, at), scope: name.slice(at + 1) };
}

/** The base role of a group role: `department_checker:民政` → `department_checker`. */
function baseRole(role: string): string {
  return role.split(':')[0];
}

export function viewerOf(
  actor: Pick<Actor, 'id' | 'username' | 'groups' | 'regionScopes' | 'roles'>,
  options: { walkthrough?: boolean; scopeCodes?: readonly string[] } = {},
): Viewer {
  const supervisedGroups = new Set<string>();
  const supervisedKeys = new Set<string>();
  for (const g of actor.groups) {
    const parts = splitGroup(g);
    if (!parts) continue;
    supervisedKeys.add(`${parts.role}@${parts.scope}`);
    for (const [below, above] of Object.entries(SUPERVISED_BY)) {
      if (!above.includes(baseRole(parts.role))) continue;
      supervisedGroups.add(`${below}:${parts.scope}`);
      supervisedKeys.add(`${below}@${parts.scope}`);
    }
  }
  return {
    id: actor.id,
    username: actor.username,
    groups: actor.groups,
    regionScopes: actor.regionScopes,
    scopeCodes: options.scopeCodes ?? null,
    supervisedGroups: [...supervisedGroups].sort(),
    supervisedKeys: [...supervisedKeys].sort(),
    everything: !!options.walkthrough && actor.roles.includes('policy_modeler'),
  };
}

/** What a task row must carry for the relation rules. */
export interface TaskHolders {
  candidate_groups: readonly string[];
  candidate_users: readonly string[];
  group_keys: readonly string[];
  assignee: string | null;
  owner: string | null;
}

const overlaps = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));

export function isCandidate(v: Viewer, t: TaskHolders): boolean {
  return overlaps(t.candidate_groups, v.groups) || t.candidate_users.includes(v.username);
}

export function isSupervisor(v: Viewer, t: TaskHolders): boolean {
  return v.everything || overlaps(t.candidate_groups, v.supervisedGroups) || overlaps(t.group_keys, v.supervisedKeys);
}

/** Every relation the viewer has to the task (empty: they may not see it). */
export function relationsOf(v: Viewer, t: TaskHolders): Set<Relation> {
  const r = new Set<Relation>();
  if (t.assignee !== null && t.assignee === v.username) r.add('assignee');
  if (t.owner !== null && t.owner === v.username) r.add('owner');
  if (isCandidate(v, t)) r.add('candidate');
  if (isSupervisor(v, t)) r.add('supervisor');
  return r;
}

/**
 * The same rules as SQL over user_tasks `t`, for the queue queries: the task's region is in the
 * viewer's scope (or it has none) and the viewer relates to it (or completed it). Parameters are
 * appended to `params`.
 *
 * A member of a candidate group holds the group's scope as a scope root, and a supervisor one
 * that covers it; so when the task's region lies within its groups' scopes
 * (`region_in_group_scope`, set when the row is written) those two relations need no region
 * lookup. Saying so in the SQL keeps the planner's estimates right: a group's tasks are nearly all
 * in its region, which it cannot know, and it would otherwise count them rare and pick a plan
 * that reads the whole group instead of the first page.
 */
export function visibilitySql(v: Viewer, params: unknown[], o: ScopeKnown = {}): string {
  const c = conditions(v, params);
  if (v.everything) return o.inScope ? 'TRUE' : c.scope;
  // only a closed task has completed_by
  const any = [c.member, c.named, c.assignee, c.owner, ...(o.open ? [] : [`t.completed_by = ${c.p(v.id)}`]), ...c.supervisor];
  if (o.inScope) return `(${any.join(' OR ')})`;
  const viaGroups = [c.member, ...c.supervisor];
  return `((t.region_in_group_scope AND (${viaGroups.join(' OR ')})) OR (${c.scope} AND (${any.join(' OR ')})))`;
}

/** What the other conditions already ensure: only regions inside the viewer's scope (a region filter narrowed to it); only open tasks. */
export interface ScopeKnown {
  inScope?: boolean;
  open?: boolean;
}

/**
 * "Offered to me", visibility included, as alternatives a UNION combines, each with an index of
 * its own: a task offered to exactly one of my groups (one alternative per group: the index on
 * candidate_groups reads it in due order), to several groups among them mine, to me by name.
 */
export function offeredToMeBranches(v: Viewer, params: unknown[], o: ScopeKnown = {}): string[][] {
  const c = conditions(v, params);
  const viaGroup = o.inScope ? [] : [`(t.region_in_group_scope OR ${c.scope})`];
  const branches: string[][] = v.groups.map((g) => [`t.candidate_groups = ARRAY[${c.p(g)}::text]`, ...viaGroup]);
  if (v.groups.length) branches.push(['cardinality(t.candidate_groups) > 1', c.member, ...viaGroup]);
  branches.push(['cardinality(t.candidate_users) > 0', c.named, ...(o.inScope ? [] : [c.scope])]);
  return branches;
}

/** "Assigned to me", visibility included. */
export function assignedToMeSql(v: Viewer, params: unknown[], o: ScopeKnown = {}): string {
  const c = conditions(v, params);
  return o.inScope ? c.assignee : `${c.assignee} AND ${c.scope}`;
}

/** The pieces of the rules, each adding its parameters when first used (an unused parameter has no type and fails the statement). */
function conditions(v: Viewer, params: unknown[]) {
  if (!v.scopeCodes) throw new Error("visibilitySql: the viewer's scope codes are not resolved");
  const scopeCodes = v.scopeCodes;
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const once = <T>(make: () => T) => {
    let value: { v: T } | null = null;
    return () => (value ??= { v: make() }).v;
  };
  const name = once(() => p(v.username));
  const groups = once(() => p([...v.groups]));
  const codes = once(() => p([...scopeCodes]));
  const supervisor = once(() => {
    const parts: string[] = [];
    if (v.supervisedGroups.length) parts.push(`t.candidate_groups && ${p(v.supervisedGroups)}::text[]`);
    if (v.supervisedKeys.length) parts.push(`t.group_keys && ${p(v.supervisedKeys)}::text[]`);
    return parts;
  });
  return {
    p,
    get scope() {
      return scopeCodes.length ? `(t.region_code IS NULL OR t.region_code = ANY(${codes()}::text[]))` : 't.region_code IS NULL';
    },
    get member() {
      return `t.candidate_groups && ${groups()}::text[]`;
    },
    get named() {
      return `t.candidate_users && ARRAY[${name()}::text]`;
    },
    get assignee() {
      return `t.assignee = ${name()}`;
    },
    get owner() {
      return `t.owner = ${name()}`;
    },
    get supervisor() {
      return supervisor();
    },
  };
}

/** Every region code (historical ones included) in the subtrees of the roots in $1: region codes, or region group codes such as CDMZ. */
export const SUBTREE_SQL =
  `SELECT DISTINCT r.code FROM regions r JOIN regions s ON starts_with(r.path, s.path) ` +
  `WHERE s.code = ANY($1::text[]) OR s.code IN (SELECT m.region_code FROM region_group_members m WHERE m.group_code = ANY($1::text[])) ORDER BY 1`;
