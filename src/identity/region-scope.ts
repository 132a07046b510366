import type { Actor } from '../api';

/**
 * Region data scope applied inside the database query (never by filtering results afterwards),
 * so a record outside the caller's scope is simply not found: a 404 that does not leak whether it
 * exists. Scope roots are region codes (a subtree through regions.path) or region group codes
 * (CDMZ: the subtrees of its member cities).
 *
 *   const params: unknown[] = [id];
 *   const scope = regionScopeSql(actor, 'h.region_code', params, { ownerColumn: 'h.applicant_user_id' });
 *   await em.query(`SELECT … FROM households h WHERE h.id = $1 AND ${scope}`, params);
 *
 * Historical codes (郫县 510124) sit in their city's subtree too, so old records stay in scope.
 */
export interface ScopeOptions {
  /** a column holding the owning user's id: the actor always sees their own records (applicants only those) */
  ownerColumn?: string;
}

const COLUMN = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

function column(name: string): string {
  if (!COLUMN.test(name)) throw new Error(`regionScopeSql: ${JSON.stringify(name)} is not a plain column reference`);
  return name;
}

/** The subquery of every region code inside the scope roots held in parameter $n. */
function subtreeCodes(n: number): string {
  return (
    `SELECT r.code FROM regions r JOIN regions s ON starts_with(r.path, s.path) ` +
    `WHERE s.code = ANY($${n}::text[]) OR s.code IN (SELECT m.region_code FROM region_group_members m WHERE m.group_code = ANY($${n}::text[]))`
  );
}

/**
 * A boolean SQL condition (parenthesised) that holds for the rows the actor may see; appends its
 * parameters to `params` and numbers them after the ones already there.
 */
export function regionScopeSql(actor: Pick<Actor, 'id' | 'regionScopes'>, regionColumn: string, params: unknown[], options: ScopeOptions = {}): string {
  const parts: string[] = [];
  if (actor.regionScopes.length) {
    params.push([...actor.regionScopes]);
    parts.push(`${column(regionColumn)} IN (${subtreeCodes(params.length)})`);
  }
  if (options.ownerColumn) {
    params.push(actor.id);
    parts.push(`${column(options.ownerColumn)} = $${params.length}`);
  }
  return parts.length ? `(${parts.join(' OR ')})` : '(FALSE)';
}

/**
 * The same condition for a TypeORM query builder, with named parameters:
 *   const { sql, params } = regionScopeCondition(actor, 'h.region_code'); qb.andWhere(sql, params);
 */
export function regionScopeCondition(actor: Pick<Actor, 'id' | 'regionScopes'>, regionColumn: string, options: ScopeOptions = {}): { sql: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (actor.regionScopes.length) {
    params.anjuScopeRoots = [...actor.regionScopes];
    parts.push(
      `${column(regionColumn)} IN (SELECT r.code FROM regions r JOIN regions s ON starts_with(r.path, s.path) ` +
        `WHERE s.code = ANY(:anjuScopeRoots) OR s.code IN (SELECT m.region_code FROM region_group_members m WHERE m.group_code = ANY(:anjuScopeRoots)))`,
    );
  }
  if (options.ownerColumn) {
    params.anjuScopeOwner = actor.id;
    parts.push(`${column(options.ownerColumn)} = :anjuScopeOwner`);
  }
  return { sql: parts.length ? `(${parts.join(' OR ')})` : '(FALSE)', params };
}
