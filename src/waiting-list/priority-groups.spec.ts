import { addMonths } from './months';
import { DEFAULT_PRIORITY_ORDER, bandLabel, bandOf, derivedGroups, mergeGroups } from './priority-groups';

describe('priority bands', () => {
  it('ranks an entry by its highest group under the region’s order; no group comes last', () => {
    const order = ['special_care', 'dibao_tekun', 'disability'];
    expect(bandOf(['disability', 'dibao_tekun'], order)).toBe(2);
    expect(bandOf(['special_care'], order)).toBe(1);
    expect(bandOf([], order)).toBe(4);
    // a group the region does not rank counts as none
    expect(bandOf(['elderly'], order)).toBe(4);
    expect(bandLabel(4, order)).toEqual({ group: null, label: { 'zh-CN': '一般轮候家庭', en: 'No priority group' } });
    expect(bandLabel(2, order).group).toBe('dibao_tekun');
    expect(bandOf(['special_care'], DEFAULT_PRIORITY_ORDER)).toBe(1);
  });

  it('derives 低保/特困, elderly and several minors from the frozen household on the qualification day', () => {
    const household = {
      category: 'dibao',
      members: [
        { position: 1, relationship: 'self', birthDate: '1966-03-11' },
        { position: 2, relationship: 'child', birthDate: '2010-01-01' },
        { position: 3, relationship: 'child', birthDate: '2008-03-10' },
      ],
    };
    // on 2026-03-10 the applicant is 59 (60 tomorrow) and the second child turns 18 that day
    expect(derivedGroups(household, '2026-03-10')).toEqual(['dibao_tekun']);
    expect(derivedGroups(household, '2026-03-09')).toEqual(['dibao_tekun', 'several_minors']);
    expect(derivedGroups({ ...household, category: 'low_income' }, '2026-03-11')).toEqual(['elderly']);
  });

  it('merges groups once each, in the canonical order', () => {
    expect(mergeGroups(['elderly', 'special_care'], ['special_care', 'dibao_tekun'])).toEqual(['special_care', 'dibao_tekun', 'elderly']);
  });
});

describe('addMonths', () => {
  it('keeps the day, or takes the month’s last day when it has none', () => {
    expect(addMonths('2026-03-10', 33)).toBe('2028-12-10');
    expect(addMonths('2026-03-10', 36)).toBe('2029-03-10');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2026-01-31', 0)).toBe('2026-01-31');
  });
});
