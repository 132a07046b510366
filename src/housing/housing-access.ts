import { EntityManager } from 'typeorm';
import { Actor, Role } from '../api';
import { regionScopeSql } from '../identity';
import { regionOutOfScope, regionUnknown } from './housing.errors';

/**
 * Who may do what with the two lists. No role is dedicated to them yet: the county and city
 * housing bureaus (区县/市住建, our county and city reviewers) and the allocation officers (配租专员)
 * keep the stock and the tenancies; the window and street staff who take applications keep the
 * beneficiary list with them; the provincial assessors read both for the 账实相符 indicators.
 */
export const STOCK_READERS: Role[] = [Role.WindowCaseworker, Role.StreetReviewer, Role.CountyReviewer, Role.CityReviewer, Role.AllocationOfficer, Role.ProvincialAssessor];
export const STOCK_KEEPERS: Role[] = [Role.CountyReviewer, Role.CityReviewer, Role.AllocationOfficer];
export const BENEFICIARY_READERS: Role[] = STOCK_READERS;
export const BENEFICIARY_KEEPERS: Role[] = [Role.WindowCaseworker, Role.StreetReviewer, Role.CountyReviewer, Role.CityReviewer];
export const TENANCY_KEEPERS: Role[] = [Role.CountyReviewer, Role.CityReviewer, Role.AllocationOfficer];

/** The caller's data scope on a region column (identity's regionScopeSql). */
export function scopeSql(actor: Actor, column: string, params: unknown[]): string {
  return regionScopeSql(actor, column, params);
}

/** Rows whose region column lies in the subtree of `code` (the `region` filter of every list). */
export function subtreeSql(code: string, column: string, params: unknown[]): string {
  params.push(code);
  return `${column} IN (SELECT r.code FROM regions r JOIN regions s ON starts_with(r.path, s.path) WHERE s.code = $${params.length} AND s.valid_to IS NULL)`;
}

export interface RegionFacts {
  code: string;
  name: string;
  path: string;
  inScope: boolean;
}

/** A current region code with its path and whether the caller's scope covers it; null when unknown. */
export async function regionFacts(em: EntityManager, actor: Actor, code: string): Promise<RegionFacts | null> {
  const params: unknown[] = [code];
  const scope = scopeSql(actor, 'r.code', params);
  const [row] = (await em.query(`SELECT r.code, r.name, r.path, ${scope} AS in_scope FROM regions r WHERE r.code = $1 AND r.valid_to IS NULL`, params)) as {
    code: string;
    name: string;
    path: string;
    in_scope: boolean;
  }[];
  return row ? { code: row.code, name: row.name, path: row.path, inScope: row.in_scope } : null;
}

/** The region the caller writes a record into: it must exist and lie in the caller's scope (else 400 / 403). */
export async function writableRegion(em: EntityManager, actor: Actor, code: string, field = 'regionCode'): Promise<RegionFacts> {
  const facts = await regionFacts(em, actor, code);
  if (!facts) throw regionUnknown(field, code);
  if (!facts.inScope) throw regionOutOfScope(field, code);
  return facts;
}

/** A Postgres unique violation of the named constraint or index. */
export function uniqueViolation(e: unknown, constraint: string): boolean {
  const err = e as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = err?.driverError?.code ?? err?.code;
  const name = err?.driverError?.constraint ?? err?.constraint;
  return code === '23505' && name === constraint;
}
