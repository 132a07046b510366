import { createHash } from 'node:crypto';
import request from 'supertest';
import { REQUIRED_MATERIALS } from '../../src/applications';
import type { ApplicationType, Channel } from '../../src/applications';
import { CHECK_TYPES, SIMULATED_HOUSEHOLDS } from '../../src/connectors';
import type { CheckType, SimulatedPerson } from '../../src/connectors';
import { AuthService } from '../../src/identity';
import { TestApp } from '../support/app';
import { bearer, loginAs } from '../support/identity';
import { checkCharacterFor } from '../identity/fixtures';

/** The tests' clock: 10:00 in Chengdu on a Tuesday in March 2026. */
export const NOW = '2026-03-10T10:00:00+08:00';
export const SIGNED = '2026-03-01T09:00:00+08:00';
export const EXPIRES = '2027-03-01T00:00:00+08:00';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Adult at NOW: born on or before 2008-03-10. */
export function adultAtNow(idNumber: string): boolean {
  return idNumber.slice(6, 14) <= '20080310';
}

/** A fictitious person with a valid ID number: region + birth date + 3-digit sequence + check character. */
export function fictitiousId(sequence: number, birth = '19800101', region = '510104'): string {
  return checkCharacterFor(`${region}${birth}${String(sequence).padStart(3, '0')}`);
}

export interface MemberOptions {
  commitment?: boolean;
  authorisation?: boolean | { checks?: CheckType[]; expiresAt?: string; signedAt?: string };
}

/** One member of a submission, declaring what the simulated departments hold about them. */
export function memberBody(p: Pick<SimulatedPerson, 'idNumber' | 'name' | 'relationship' | 'declared'>, o: MemberOptions = {}) {
  const adult = adultAtNow(p.idNumber);
  const d = p.declared;
  const wantAuth = o.authorisation ?? true;
  const auth = typeof wantAuth === 'object' ? wantAuth : {};
  return {
    relationship: p.relationship,
    name: p.name,
    idNumber: p.idNumber,
    hukouRegionCode: d.hukouRegionCode,
    monthlyIncome: d.monthlyIncome,
    assistanceStatus: d.assistanceStatus,
    ...(d.socialInsuranceMonths !== null ? { socialInsuranceMonths: d.socialInsuranceMonths } : {}),
    assets: { ownedHousingArea: d.ownedHousingArea, ownedDwellings: d.ownedDwellings, vehicles: d.vehicles, enterpriseHoldings: d.enterpriseHoldings },
    ...((o.commitment ?? adult) ? { commitment: { signedAt: SIGNED, method: 'e_signature' } } : {}),
    ...(wantAuth
      ? {
          authorisation: {
            checks: auth.checks ?? [...CHECK_TYPES],
            signedAt: auth.signedAt ?? SIGNED,
            expiresAt: auth.expiresAt ?? EXPIRES,
            method: adult ? 'e_signature' : 'handwritten_scan',
            signedBy: adult ? 'self' : 'guardian',
          },
        }
      : {}),
  };
}

export interface BodyOptions {
  type?: ApplicationType;
  channel?: Channel;
  regionCode?: string;
  targetRegionCode?: string;
  /** per member index */
  members?: Record<number, MemberOptions>;
  materials?: boolean;
}

/** A submission for one of the simulated demo households (src/connectors/simulated/simulated-records.ts). */
export function householdBody(key: string, o: BodyOptions = {}) {
  const h = SIMULATED_HOUSEHOLDS.find((x) => x.key === key);
  if (!h) throw new Error(`no simulated household ${key}`);
  const type = o.type ?? 'prh_in_kind';
  return {
    type,
    channel: o.channel ?? 'window',
    regionCode: o.regionCode ?? h.regionCode,
    ...(o.targetRegionCode ? { targetRegionCode: o.targetRegionCode } : {}),
    household: {
      category: h.category,
      address: `四川省成都市测试路 ${h.key} 号`,
      phone: '13912340000',
      members: h.members.map((m, i) => memberBody(m, o.members?.[i])),
    },
    materials:
      o.materials === false
        ? []
        : REQUIRED_MATERIALS[type].slice(0, -1).map((kind) => ({ kind, reference: `doc:test/${h.key}/${kind}`, sha256: sha256(`${h.key}:${kind}`), fileName: `${kind}.pdf` })),
  };
}

/** A one-person household of a generated adult (for volume and concurrency). */
export function soloBody(idNumber: string, regionCode = '510104') {
  return {
    type: 'prh_rental_subsidy',
    channel: 'window',
    regionCode,
    household: {
      category: 'low_income',
      address: '四川省成都市锦江区测试街 1 号',
      phone: '13912340001',
      members: [
        memberBody({
          idNumber,
          name: '测试甲',
          relationship: 'self',
          declared: { hukouRegionCode: regionCode.slice(0, 6), monthlyIncome: 1800, ownedHousingArea: 0, ownedDwellings: 0, vehicles: 0, enterpriseHoldings: 0, assistanceStatus: 'none', socialInsuranceMonths: null },
        }),
      ],
    },
  };
}

/** Creates an applicant account (as the system administrator) and logs in as it. */
export async function applicantAccount(t: TestApp, username: string, idNumber: string): Promise<{ header: { Authorization: string }; id: string }> {
  const res = await request(t.http)
    .post('/api/users')
    .set(await loginAs(t, 'sys_admin'))
    .send({ username, kind: 'applicant', password: 'Applicant-pass-2026', idNumber })
    .expect(201);
  const { accessToken } = await t.app.get(AuthService).login(username, 'Applicant-pass-2026', { ip: '127.0.0.1', userAgent: 'test/applications' });
  return { header: bearer(accessToken), id: res.body.id };
}
