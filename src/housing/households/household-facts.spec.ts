import { checkCategory, subsidyAmountProblem } from './household-facts';

describe('beneficiary facts checked before they are sealed', () => {
  it('takes the list’s category codes only', () => {
    expect(checkCategory('special_care')).toBe('special_care');
    expect(() => checkCategory('tekun')).toThrow(expect.objectContaining({ code: 'CATEGORY_INVALID', details: { fields: [expect.objectContaining({ field: 'category' })] } }));
  });

  it('takes a monthly subsidy of more than 0 and at most 10 000 yuan, in fen', () => {
    expect([0.01, 380, 1234.56, 10000].map(subsidyAmountProblem)).toEqual([null, null, null, null]);
    expect([0, -1, 10000.01, 380.125, Number.NaN].map((a) => subsidyAmountProblem(a) !== null)).toEqual([true, true, true, true, true]);
  });
});
