import type { AssistanceStatus, CheckType, DeclaredFacts } from '../connectors';
import type { ApplicationType, Channel, HouseholdCategory, MaritalStatus, Relationship, SignatureMethod } from './application-types';

/** Adulthood (成年) for commitments and authorisations: 18 full years at submission. */
export const ADULT_AGE = 18;

/** The calendar date (YYYY-MM-DD) of an instant in Asia/Shanghai (UTC+8 all year: China has kept no summer time since 1991). */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Full years from a birth date to a date (both YYYY-MM-DD); the birthday itself counts. */
export function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** GB 11643: the 17th character is odd for men, even for women. */
export function genderOf(idNumber: string): 'male' | 'female' {
  return Number(idNumber[16]) % 2 === 1 ? 'male' : 'female';
}

export interface Signed {
  signedAt: Date;
}

export interface SignedAuthorisation extends Signed {
  expiresAt: Date;
}

/** What the signature rules look at for one member (in the order given). */
export interface SignatureInput {
  adult: boolean;
  commitment?: Signed;
  authorisation?: SignedAuthorisation;
}

export type SignatureProblem = {
  /** index in household.members as given */
  index: number;
  part: 'commitment' | 'authorisation';
  problem: 'missing' | 'expired' | 'signed_in_future' | 'ends_before_signed';
};

/**
 * 申请承诺制 and 授权查询制: every adult signs a commitment and a query authorisation, and the
 * authorisation must still run at submission. A minor needs neither (a guardian may sign an
 * authorisation for them). No signature may be dated after the submission.
 */
export function signatureProblems(members: readonly SignatureInput[], now: Date): SignatureProblem[] {
  const out: SignatureProblem[] = [];
  members.forEach((m, index) => {
    if (!m.commitment) {
      if (m.adult) out.push({ index, part: 'commitment', problem: 'missing' });
    } else if (m.commitment.signedAt.getTime() > now.getTime()) out.push({ index, part: 'commitment', problem: 'signed_in_future' });
    const a = m.authorisation;
    if (!a) {
      if (m.adult) out.push({ index, part: 'authorisation', problem: 'missing' });
    } else if (a.signedAt.getTime() > now.getTime()) out.push({ index, part: 'authorisation', problem: 'signed_in_future' });
    else if (a.expiresAt.getTime() <= a.signedAt.getTime()) out.push({ index, part: 'authorisation', problem: 'ends_before_signed' });
    else if (a.expiresAt.getTime() <= now.getTime()) out.push({ index, part: 'authorisation', problem: 'expired' });
  });
  return out;
}

/** A member's assets as declared (家庭资产). */
export interface DeclaredAssets {
  /** m² of homes owned */
  ownedHousingArea: number;
  ownedDwellings: number;
  vehicles: number;
  /** enterprises in which the member holds shares, is legal representative, or runs as 个体户 */
  enterpriseHoldings: number;
  /** deposits, securities and the like, yuan; null when not declared */
  financialAssets: number | null;
}

export interface SnapshotMember {
  memberId: string;
  /** 1 = the applicant */
  position: number;
  relationship: Relationship;
  /** keyed hash of the ID number: who the member was, without the number itself */
  idNumberBidx: string;
  gender: 'male' | 'female';
  birthDate: string;
  ageAtSubmission: number;
  adult: boolean;
  hukouRegionCode: string;
  maritalStatus: MaritalStatus | null;
  /** yuan per month */
  monthlyIncome: number;
  assistanceStatus: AssistanceStatus;
  socialInsuranceMonths: number | null;
  assets: DeclaredAssets;
  commitment: { signedAt: string; method: SignatureMethod; textVersion: string } | null;
  authorisation: { checks: CheckType[]; signedAt: string; expiresAt: string; method: SignatureMethod; signedBy: 'self' | 'guardian' } | null;
}

/** The household as it was at submission (frozen; the eligibility rules read it). */
export interface HouseholdSnapshot {
  schemaVersion: 1;
  capturedAt: string;
  type: ApplicationType;
  channel: Channel;
  regionCode: string;
  targetRegionCode: string | null;
  category: HouseholdCategory;
  size: number;
  adults: number;
  minors: number;
  totals: {
    monthlyIncome: number;
    perCapitaMonthlyIncome: number;
    ownedHousingArea: number;
    perCapitaHousingArea: number;
    ownedDwellings: number;
    vehicles: number;
    enterpriseHoldings: number;
    financialAssets: number;
  };
  members: SnapshotMember[];
}

const cents = (n: number) => Math.round(n * 100);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Household totals, summed in hundredths so 0.1 + 0.2 stays 0.3. */
export function totalsOf(members: readonly Pick<SnapshotMember, 'monthlyIncome' | 'assets'>[]): HouseholdSnapshot['totals'] {
  const size = Math.max(members.length, 1);
  const income = sum(members.map((m) => cents(m.monthlyIncome)));
  const area = sum(members.map((m) => cents(m.assets.ownedHousingArea)));
  return {
    monthlyIncome: income / 100,
    perCapitaMonthlyIncome: Math.round(income / size) / 100,
    ownedHousingArea: area / 100,
    perCapitaHousingArea: Math.round(area / size) / 100,
    ownedDwellings: sum(members.map((m) => m.assets.ownedDwellings)),
    vehicles: sum(members.map((m) => m.assets.vehicles)),
    enterpriseHoldings: sum(members.map((m) => m.assets.enterpriseHoldings)),
    financialAssets: sum(members.map((m) => cents(m.assets.financialAssets ?? 0))) / 100,
  };
}

/** What the department checks compare their data with, for one member of a snapshot. */
export function declaredFacts(m: SnapshotMember): DeclaredFacts {
  return {
    hukouRegionCode: m.hukouRegionCode,
    monthlyIncome: m.monthlyIncome,
    ownedHousingArea: m.assets.ownedHousingArea,
    ownedDwellings: m.assets.ownedDwellings,
    vehicles: m.assets.vehicles,
    enterpriseHoldings: m.assets.enterpriseHoldings,
    assistanceStatus: m.assistanceStatus,
    socialInsuranceMonths: m.socialInsuranceMonths,
  };
}
