import type { AssistanceStatus, CheckData, CheckType, DeclaredFacts } from '../department-checks';
import type { SimulatedHousehold, SimulatedPerson } from './simulated-records';

/**
 * A SIMULATED synthetic population: department records for as many fictitious people as a
 * benchmark or a test needs, computed from the ID number alone (nothing is stored), so the
 * simulated departments answer for person 7,531 exactly as they do for person 0, run after run.
 *
 * The reserved range: ID numbers with the address code 510199 (assigned to no county: Chengdu's
 * codes stop well before it, and the regions table does not know it), a birth date from
 * 1960-01-01 on (one day per hundred people) and a sequence code from 900 to 999, with a valid
 * GB 11643 check character. Person n (0 ≤ n < SYNTHETIC_PEOPLE) is born SYNTHETIC_BIRTH_FROM +
 * ⌊n / 100⌋ days with the sequence code 900 + n mod 100: the last, n = 999,999, in May 1987, so
 * every one of them is an adult. The demo households (simulated-records.ts) use sequence codes
 * below 900 and are looked up first; an ID number outside the range, or with a wrong check
 * character, is nobody here (NO_DATA). Tests' own fictitious people use other address codes.
 *
 * Every person's departments hold a full record: hukou in 锦江区, no vehicle, home or enterprise,
 * an income from 900 to 2,800 yuan a month with income tax and a housing-fund base to match, and
 * at least the social-insurance months they declare; one in twenty is a 低收入 household.
 * `syntheticHousehold` gives households of one or two (the second a spouse, person n + 1 of the
 * applicant's pair) declaring exactly that, or, with `differ`, one declaration that a department
 * contradicts.
 */
export const SYNTHETIC_ADDRESS_CODE = '510199';
/** everyone's hukou: 锦江区, where the benchmark's households live */
export const SYNTHETIC_HUKOU_REGION = '510104';
export const SYNTHETIC_BIRTH_FROM = '1960-01-01';
export const SYNTHETIC_SEQUENCE_FROM = 900;
/** people in the reserved range: 100 sequence codes a day over 10,000 days */
export const SYNTHETIC_PEOPLE = 1_000_000;
/** households: person 2h applies, person 2h + 1 is their spouse when the household has two */
export const SYNTHETIC_HOUSEHOLDS = SYNTHETIC_PEOPLE / 2;

const PER_DAY = 100;
const DAY_MS = 86_400_000;
const BIRTH_FROM_MS = Date.parse(`${SYNTHETIC_BIRTH_FROM}T00:00:00Z`);
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11643 (ISO 7064 MOD 11-2) check character of the first 17 digits. */
function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return '10X98765432'[sum % 11];
}

/** The ID number of synthetic person n. */
export function syntheticIdNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= SYNTHETIC_PEOPLE) throw new RangeError(`synthetic person ${n} is outside 0–${SYNTHETIC_PEOPLE - 1}`);
  const birth = new Date(BIRTH_FROM_MS + Math.floor(n / PER_DAY) * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `${SYNTHETIC_ADDRESS_CODE}${birth}${SYNTHETIC_SEQUENCE_FROM + (n % PER_DAY)}`;
  return first17 + checkCharacter(first17);
}

/** Which synthetic person an ID number is, or null when it is outside the reserved range. */
export function syntheticIndex(idNumber: string): number | null {
  const id = idNumber.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id) || !id.startsWith(SYNTHETIC_ADDRESS_CODE) || checkCharacter(id) !== id[17]) return null;
  const sequence = Number(id.slice(14, 17));
  if (sequence < SYNTHETIC_SEQUENCE_FROM) return null;
  const birth = Date.parse(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}T00:00:00Z`);
  if (Number.isNaN(birth) || birth < BIRTH_FROM_MS) return null;
  const n = ((birth - BIRTH_FROM_MS) / DAY_MS) * PER_DAY + (sequence - SYNTHETIC_SEQUENCE_FROM);
  // Date.parse rolls 0230 over into March: only a number that round-trips is one of ours
  return Number.isInteger(n) && n < SYNTHETIC_PEOPLE && syntheticIdNumber(n) === id ? n : null;
}

/** A small integer hash of n (deterministic; spreads neighbours apart). */
function mix(n: number, salt: number): number {
  let x = (n ^ Math.imul(salt, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国文辉力红梅鹏飞宇婷雪琳晨浩然欣怡俊';

/** What person n declares when they declare the truth: what their departments hold. */
export function syntheticFacts(n: number): DeclaredFacts {
  const h = mix(n, 1);
  const assistanceStatus: AssistanceStatus = h % 20 === 0 ? 'low_income' : 'none';
  return {
    hukouRegionCode: SYNTHETIC_HUKOU_REGION,
    monthlyIncome: 900 + (h % 20) * 100,
    ownedHousingArea: 0,
    ownedDwellings: 0,
    vehicles: 0,
    enterpriseHoldings: 0,
    assistanceStatus,
    socialInsuranceMonths: 12 + ((h >>> 8) % 109),
  };
}

/** What the simulated departments hold on synthetic person n: a record in every department, agreeing with syntheticFacts(n). */
export function syntheticRecordsOf(n: number): { [C in CheckType]: CheckData[C] } {
  const d = syntheticFacts(n);
  const extraMonths = (mix(n, 2) % 7) * 2;
  return {
    hukou: { hukouRegionCode: d.hukouRegionCode },
    vehicles: { count: d.vehicles, vehicles: [] },
    assistance_status: { status: d.assistanceStatus, since: d.assistanceStatus === 'none' ? null : '2024-01' },
    income: { monthlyIncome: d.monthlyIncome, assessedMonth: '2025-12' },
    property: { dwellings: d.ownedDwellings, totalArea: d.ownedHousingArea },
    enterprises: { count: d.enterpriseHoldings, holdings: [] },
    social_insurance: { contributing: true, months: (d.socialInsuranceMonths ?? 0) + extraMonths },
    income_tax: { year: 2025, annualIncome: d.monthlyIncome * 12 },
    housing_fund: { contributing: true, monthlyBase: d.monthlyIncome, activeLoans: 0 },
  };
}

/** The records of an ID number in the reserved range, or null (the departments then know nothing). */
export function syntheticRecords(idNumber: string): SimulatedPerson['records'] | null {
  const n = syntheticIndex(idNumber);
  return n === null ? null : syntheticRecordsOf(n);
}

/** A fictitious name for person n (two or three characters). */
export function syntheticName(n: number): string {
  const h = mix(n, 3);
  const given = GIVEN[h % GIVEN.length] + (h % 3 === 0 ? '' : GIVEN[(h >>> 8) % GIVEN.length]);
  return SURNAMES[(h >>> 16) % SURNAMES.length] + given;
}

/**
 * One declaration a department's records contradict, and the department that will say so:
 * civil affairs (民政) confirms no 低收入 status for someone who claims it (or finds one
 * undeclared); public security (公安) has a car the household did not declare.
 */
export type SyntheticDifference = 'assistance_status' | 'vehicles';

/** Person n as a member of a submission, declaring what their departments hold (or, with `differ`, not quite). */
export function syntheticPerson(n: number, relationship: SimulatedPerson['relationship'] = 'self', differ?: SyntheticDifference): SimulatedPerson {
  const declared = syntheticFacts(n);
  if (differ === 'assistance_status') declared.assistanceStatus = declared.assistanceStatus === 'none' ? 'low_income' : 'none';
  if (differ === 'vehicles') declared.vehicles += 1;
  return { idNumber: syntheticIdNumber(n), name: syntheticName(n), relationship, declared, records: syntheticRecordsOf(n) };
}

/**
 * Synthetic household h (0 ≤ h < SYNTHETIC_HOUSEHOLDS) in 锦官驿街道 (510104017): its applicant
 * is person 2h; one in three households also has a spouse, person 2h + 1. Everyone declares what
 * the departments hold, unless `differ` names the applicant's one contradicted declaration.
 */
export function syntheticHousehold(h: number, o: { differ?: SyntheticDifference } = {}): SimulatedHousehold {
  if (!Number.isInteger(h) || h < 0 || h >= SYNTHETIC_HOUSEHOLDS) throw new RangeError(`synthetic household ${h} is outside 0–${SYNTHETIC_HOUSEHOLDS - 1}`);
  const members = [syntheticPerson(2 * h, 'self', o.differ)];
  if (mix(h, 4) % 3 === 0) members.push(syntheticPerson(2 * h + 1, 'spouse'));
  const lowIncome = members.some((m) => m.records.assistance_status?.status === 'low_income');
  return {
    key: `synthetic-${h}`,
    regionCode: '510104017',
    category: lowIncome ? 'low_income' : 'lower_middle_income',
    note: o.differ ? `synthetic; declares ${o.differ} differently from the department's records` : 'synthetic; every department agrees',
    members,
  };
}
