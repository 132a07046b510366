import { ENTRY_STATUSES, canMove } from './waiting-list.state';

describe('waiting-list entry status', () => {
  it('leaves waiting for allocation, subsidy or removal, and never comes back', () => {
    expect(canMove('waiting', 'allocated')).toBe(true);
    expect(canMove('waiting', 'switched_to_subsidy')).toBe(true);
    expect(canMove('waiting', 'removed')).toBe(true);
    for (const from of ENTRY_STATUSES.filter((s) => s !== 'waiting')) {
      for (const to of ENTRY_STATUSES) expect(canMove(from, to)).toBe(false);
    }
    expect(canMove('waiting', 'waiting')).toBe(false);
  });
});
