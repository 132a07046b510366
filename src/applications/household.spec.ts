import { ADULT_AGE, ageOn, genderOf, shanghaiDate, signatureProblems, totalsOf } from './household';

describe('household rules', () => {
  it('takes the date in Asia/Shanghai', () => {
    expect(shanghaiDate(new Date('2026-03-09T15:59:59Z'))).toBe('2026-03-09');
    expect(shanghaiDate(new Date('2026-03-09T16:00:00Z'))).toBe('2026-03-10');
  });

  it('counts full years, the birthday included', () => {
    expect(ageOn('2008-03-10', '2026-03-09')).toBe(17);
    expect(ageOn('2008-03-10', '2026-03-10')).toBe(ADULT_AGE);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOn('1990-01-01', '2026-03-10')).toBe(36);
  });

  it('reads the gender from the 17th character', () => {
    expect(genderOf('510104199001011230')).toBe('male');
    expect(genderOf('510104199203152429')).toBe('female');
  });

  describe('signatures (申请承诺制, 授权查询制)', () => {
    const now = new Date('2026-03-10T02:00:00Z');
    const signed = { signedAt: new Date('2026-03-01T00:00:00Z') };
    const authorised = { ...signed, expiresAt: new Date('2027-03-01T00:00:00Z') };

    it('asks both of every adult and neither of a minor', () => {
      expect(signatureProblems([{ adult: true, commitment: signed, authorisation: authorised }, { adult: false }], now)).toEqual([]);
      expect(signatureProblems([{ adult: true }, { adult: true, commitment: signed }], now)).toEqual([
        { index: 0, part: 'commitment', problem: 'missing' },
        { index: 0, part: 'authorisation', problem: 'missing' },
        { index: 1, part: 'authorisation', problem: 'missing' },
      ]);
    });

    it('refuses an authorisation that has expired, ends before it starts, or any signature dated after now', () => {
      const problems = signatureProblems(
        [
          { adult: true, commitment: signed, authorisation: { ...signed, expiresAt: new Date('2026-03-10T02:00:00Z') } },
          { adult: true, commitment: { signedAt: new Date('2026-03-11T00:00:00Z') }, authorisation: { ...signed, expiresAt: signed.signedAt } },
          { adult: false, authorisation: { signedAt: new Date('2026-03-12T00:00:00Z'), expiresAt: new Date('2027-01-01T00:00:00Z') } },
        ],
        now,
      );
      expect(problems).toEqual([
        { index: 0, part: 'authorisation', problem: 'expired' },
        { index: 1, part: 'commitment', problem: 'signed_in_future' },
        { index: 1, part: 'authorisation', problem: 'ends_before_signed' },
        { index: 2, part: 'authorisation', problem: 'signed_in_future' },
      ]);
    });
  });

  it('totals income and assets without floating-point drift', () => {
    const assets = (area: number, vehicles = 0) => ({ ownedHousingArea: area, ownedDwellings: area ? 1 : 0, vehicles, enterpriseHoldings: 0, financialAssets: null });
    expect(totalsOf([
      { monthlyIncome: 0.1, assets: assets(10.1, 1) },
      { monthlyIncome: 0.2, assets: assets(20.2) },
      { monthlyIncome: 1000, assets: assets(0) },
    ])).toEqual({
      monthlyIncome: 1000.3,
      perCapitaMonthlyIncome: 333.43,
      ownedHousingArea: 30.3,
      perCapitaHousingArea: 10.1,
      ownedDwellings: 2,
      vehicles: 1,
      enterpriseHoldings: 0,
      financialAssets: 0,
    });
  });
});
