import { UnitStatus } from './housing-codes';
import { allowedNext, transitionProblem } from './unit.state';

describe('unit status transitions', () => {
  it('lets a vacant unit be allocated, leased, repaired, frozen or disposed', () => {
    expect(allowedNext('vacant', 'prh_government')).toEqual(['allocated', 'leased', 'under_repair', 'frozen', 'disposed']);
    expect(transitionProblem('vacant', 'under_repair', 'arh')).toBeNull();
  });

  it('sells only shared-ownership units', () => {
    expect(allowedNext('vacant', 'shared_ownership')).toContain('sold');
    expect(transitionProblem('vacant', 'sold', 'prh_government')).toEqual({ zh: '只有共有产权住房可以出售', en: 'only shared-ownership units can be sold' });
    expect(transitionProblem('vacant', 'sold', 'shared_ownership')).toBeNull();
  });

  it('refuses a change to the same status and changes the table does not allow, in both languages', () => {
    expect(transitionProblem('leased', 'leased', 'arh')).toEqual({ zh: '房源已是“已出租”状态', en: 'the unit is already leased' });
    expect(transitionProblem('under_repair', 'leased', 'arh')).toEqual({ zh: '不能从“维修中”变为“已出租”', en: 'a unit cannot go from under_repair to leased' });
  });

  it('has no way out of disposed, and every status can be reached from some other', () => {
    expect(allowedNext('disposed', 'shared_ownership')).toEqual([]);
    const reachable = new Set(UnitStatus.codes.flatMap((s) => allowedNext(s, 'shared_ownership')));
    expect([...reachable].sort()).toEqual([...UnitStatus.codes].sort());
  });

  it('allows marking a leased unit vacant (the reconciliation report finds a lease still running)', () => {
    expect(transitionProblem('leased', 'vacant', 'prh_enterprise')).toBeNull();
  });
});
