import { Authorisation, consentFor } from './consent';

const at = new Date('2026-03-10T02:00:00Z');
const auth = (over: Partial<Authorisation> = {}): Authorisation => ({
  id: 'a1',
  checks: ['hukou', 'vehicles'],
  signedAt: new Date('2026-03-01T00:00:00Z'),
  expiresAt: new Date('2027-03-01T00:00:00Z'),
  revokedAt: null,
  ...over,
});

describe('consentFor (授权查询)', () => {
  it('allows a check that a running authorisation names', () => {
    expect(consentFor([auth()], 'vehicles', at)).toEqual({ ok: true, authorisation: auth() });
  });

  it('says why not: none at all, none naming the check, expired, revoked, not yet signed', () => {
    expect(consentFor([], 'hukou', at)).toMatchObject({ ok: false, problem: 'absent' });
    expect(consentFor([auth()], 'income_tax', at)).toMatchObject({ ok: false, problem: 'not_covering', authorisation: null });
    expect(consentFor([auth({ expiresAt: new Date('2026-03-05T00:00:00Z') })], 'hukou', at)).toMatchObject({ ok: false, problem: 'expired', authorisation: { id: 'a1' } });
    expect(consentFor([auth({ revokedAt: new Date('2026-03-09T00:00:00Z') })], 'hukou', at)).toMatchObject({ ok: false, problem: 'revoked' });
    expect(consentFor([auth({ signedAt: new Date('2026-03-11T00:00:00Z') })], 'hukou', at)).toMatchObject({ ok: false, problem: 'not_yet_valid' });
  });

  it('treats the expiry instant itself as expired, the instant before as valid', () => {
    const a = auth({ expiresAt: at });
    expect(consentFor([a], 'hukou', at)).toMatchObject({ ok: false, problem: 'expired' });
    expect(consentFor([a], 'hukou', new Date(at.getTime() - 1)).ok).toBe(true);
  });

  it('uses any running authorisation among several, and reports on the latest when none runs', () => {
    const old = auth({ id: 'old', expiresAt: new Date('2026-03-02T00:00:00Z') });
    const renewed = auth({ id: 'new', signedAt: new Date('2026-03-03T00:00:00Z') });
    expect(consentFor([old, renewed], 'hukou', at)).toMatchObject({ ok: true, authorisation: { id: 'new' } });
    const expiredToo = auth({ id: 'later', signedAt: new Date('2026-03-03T00:00:00Z'), expiresAt: new Date('2026-03-04T00:00:00Z') });
    expect(consentFor([old, expiredToo], 'hukou', at)).toMatchObject({ ok: false, problem: 'expired', authorisation: { id: 'later' } });
  });
});
