import type { HouseholdSnapshot, SnapshotMember } from './household';

/**
 * The sensitive part of a frozen household (DOMAIN.md, data rules): its category (低保, 特困,
 * 优抚 …), its totals, and each member's income, 低保/特困 status, social-insurance record and
 * assets. Stored only encrypted (`applications.household_facts_enc`, identity's envelope under the
 * field name `facts`); `applications.household_snapshot` keeps the rest (ages, relationships,
 * hukou regions, signatures, sizes) in clear for the queries that need it.
 *
 * `snapshot_sha256` is, as before, the SHA-256 of PostgreSQL's canonical text of the whole
 * snapshot (`jsonb::text` of both parts joined back): a snapshot's hash does not change when its
 * facts move into the envelope, and it proves the household as submitted — clear part and
 * sealed part together.
 */
export type SealedMemberFacts = Pick<SnapshotMember, 'memberId' | 'monthlyIncome' | 'assistanceStatus' | 'socialInsuranceMonths' | 'assets'>;

export interface SealedHouseholdFacts {
  category: HouseholdSnapshot['category'];
  totals: HouseholdSnapshot['totals'];
  members: SealedMemberFacts[];
}

export type OpenMember = Omit<SnapshotMember, 'monthlyIncome' | 'assistanceStatus' | 'socialInsuranceMonths' | 'assets'>;
export type OpenSnapshot = Omit<HouseholdSnapshot, 'category' | 'totals' | 'members'> & { members: OpenMember[] };

/** The field name the envelopes of household facts (and department answers) are bound to. */
export const FACTS_FIELD = 'facts';

/** Splits a snapshot into what stays in clear and what is sealed. */
export function splitSnapshot(s: HouseholdSnapshot): { open: OpenSnapshot; sealed: SealedHouseholdFacts } {
  const { category, totals, members, ...rest } = s;
  return {
    open: { ...rest, members: members.map(({ monthlyIncome: _i, assistanceStatus: _a, socialInsuranceMonths: _s, assets: _x, ...m }) => m) },
    sealed: {
      category,
      totals,
      members: members.map((m) => ({ memberId: m.memberId, monthlyIncome: m.monthlyIncome, assistanceStatus: m.assistanceStatus, socialInsuranceMonths: m.socialInsuranceMonths, assets: m.assets })),
    },
  };
}

/** The whole snapshot again (what the hash covers, what the views and rules read). */
export function joinSnapshot(open: OpenSnapshot, sealed: SealedHouseholdFacts): HouseholdSnapshot {
  return {
    ...open,
    category: sealed.category,
    totals: sealed.totals,
    members: open.members.map((m) => {
      const f = sealed.members.find((x) => x.memberId === m.memberId);
      if (!f) throw new Error(`household facts: member ${m.memberId} missing from the sealed part`);
      return { ...m, monthlyIncome: f.monthlyIncome, assistanceStatus: f.assistanceStatus, socialInsuranceMonths: f.socialInsuranceMonths, assets: f.assets };
    }),
  };
}

/** True when a stored snapshot still holds its facts in clear (written before they were sealed). */
export function isUnsealed(s: object): boolean {
  return 'totals' in s || 'category' in s;
}
