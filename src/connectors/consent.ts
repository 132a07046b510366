import type { CheckType } from './department-checks';

/**
 * A person's query authorisation (授权查询): which checks it allows, from when, until when.
 * Signed by the person, or for a minor by a guardian.
 */
export interface Authorisation {
  id: string;
  checks: readonly CheckType[];
  signedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** Why no authorisation allows a check now. */
export type ConsentProblem = 'absent' | 'not_covering' | 'expired' | 'not_yet_valid' | 'revoked';

export type ConsentDecision = { ok: true; authorisation: Authorisation } | { ok: false; problem: ConsentProblem; authorisation: Authorisation | null };

/** Valid at `at`: signed at or before it, not yet expired (the expiry instant itself is expired), not revoked. */
function stateAt(a: Authorisation, at: Date): 'valid' | 'expired' | 'not_yet_valid' | 'revoked' {
  if (a.revokedAt && a.revokedAt.getTime() <= at.getTime()) return 'revoked';
  if (a.signedAt.getTime() > at.getTime()) return 'not_yet_valid';
  if (a.expiresAt.getTime() <= at.getTime()) return 'expired';
  return 'valid';
}

/**
 * The authorisation that allows `check` at `at`, or why there is none: no authorisation at all;
 * none that names the check; or the ones naming it are expired, revoked or not yet signed (the
 * most recently signed of them gives the reason).
 */
export function consentFor(authorisations: readonly Authorisation[], check: CheckType, at: Date): ConsentDecision {
  if (!authorisations.length) return { ok: false, problem: 'absent', authorisation: null };
  const covering = authorisations.filter((a) => a.checks.includes(check)).sort((x, y) => y.signedAt.getTime() - x.signedAt.getTime());
  if (!covering.length) return { ok: false, problem: 'not_covering', authorisation: null };
  const valid = covering.find((a) => stateAt(a, at) === 'valid');
  if (valid) return { ok: true, authorisation: valid };
  const latest = covering[0];
  return { ok: false, problem: stateAt(latest, at) as Exclude<ConsentProblem, 'absent' | 'not_covering'>, authorisation: latest };
}

export const CONSENT_PROBLEM_TEXT: Readonly<Record<ConsentProblem, { 'zh-CN': string; en: string }>> = {
  absent: { 'zh-CN': '没有授权查询书', en: 'has signed no query authorisation' },
  not_covering: { 'zh-CN': '授权查询书不包括此项核查', en: 'has no query authorisation covering this check' },
  expired: { 'zh-CN': '授权查询书已过期', en: 'has a query authorisation for this check that has expired' },
  not_yet_valid: { 'zh-CN': '授权查询书尚未生效', en: 'has a query authorisation for this check that is not yet signed' },
  revoked: { 'zh-CN': '授权查询书已撤回', en: 'has revoked the query authorisation for this check' },
};
