import { createHash } from 'node:crypto';
import { REQUIRED_MATERIALS } from '../../src/applications';
import { CHECK_TYPES } from '../../src/connectors';
import type { SimulatedHousehold } from '../../src/connectors';

/**
 * POST /api/applications for a synthetic household (src/connectors/simulated/synthetic-population.ts),
 * filed at the 锦江区 window by jj_window for 锦官驿街道: every member signed the commitment and the
 * authorisation for every check a week before `now`, valid for a year; every required material
 * referenced. Everyone in the synthetic population is an adult.
 */
export function applicationBody(h: SimulatedHousehold, now: Date) {
  const signedAt = new Date(now.getTime() - 7 * 86_400_000).toISOString();
  const expiresAt = new Date(now.getTime() + 365 * 86_400_000).toISOString();
  const type = 'prh_in_kind' as const;
  return {
    type,
    channel: 'window',
    regionCode: h.regionCode,
    household: {
      category: h.category,
      address: '四川省成都市锦江区基准测试路 1 号',
      phone: '13912340000',
      members: h.members.map((p) => ({
        relationship: p.relationship,
        name: p.name,
        idNumber: p.idNumber,
        hukouRegionCode: p.declared.hukouRegionCode,
        monthlyIncome: p.declared.monthlyIncome,
        assistanceStatus: p.declared.assistanceStatus,
        ...(p.declared.socialInsuranceMonths !== null ? { socialInsuranceMonths: p.declared.socialInsuranceMonths } : {}),
        assets: {
          ownedHousingArea: p.declared.ownedHousingArea,
          ownedDwellings: p.declared.ownedDwellings,
          vehicles: p.declared.vehicles,
          enterpriseHoldings: p.declared.enterpriseHoldings,
        },
        commitment: { signedAt, method: 'e_signature' },
        authorisation: { checks: [...CHECK_TYPES], signedAt, expiresAt, method: 'e_signature', signedBy: 'self' },
      })),
    },
    materials: REQUIRED_MATERIALS[type].map((kind) => ({
      kind,
      reference: `doc:bench/${h.key}/${kind}`,
      sha256: createHash('sha256').update(`${h.key}/${kind}`).digest('hex'),
      fileName: `${kind}.pdf`,
    })),
  };
}
