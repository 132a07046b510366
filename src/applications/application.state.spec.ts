import { APPLICATION_STATUSES, APPLICATION_STATUS_LABELS, CLOSED_STATUSES, TRANSITIONS, canMove } from './application.state';

describe('application status', () => {
  it('walks the three reviews and two notices (三级审核两级公示) to a decision', () => {
    const path = ['submitted', 'accepted', 'data_comparison', 'street_review', 'publicity_first', 'county_review', 'city_review', 'publicity_second', 'approved'] as const;
    for (let i = 1; i < path.length; i++) expect(canMove(path[i - 1], path[i])).toBe(true);
  });

  it('skips no level of review', () => {
    expect(canMove('street_review', 'county_review')).toBe(false);
    expect(canMove('county_review', 'publicity_second')).toBe(false);
    expect(canMove('submitted', 'approved')).toBe(false);
  });

  it('lets the applicant withdraw before an outcome, and appeal (复核) only a refusal', () => {
    for (const s of APPLICATION_STATUSES) expect(canMove(s, 'withdrawn')).toBe(!['approved', 'rejected', 'appeal', 'withdrawn'].includes(s));
    expect(APPLICATION_STATUSES.filter((s) => canMove(s, 'appeal'))).toEqual(['rejected']);
  });

  it('ends at approved or withdrawn, and names only known statuses, each labelled', () => {
    expect(TRANSITIONS.approved).toEqual([]);
    expect(TRANSITIONS.withdrawn).toEqual([]);
    for (const s of APPLICATION_STATUSES) {
      for (const to of TRANSITIONS[s]) expect(APPLICATION_STATUSES).toContain(to);
      expect(APPLICATION_STATUS_LABELS[s]['zh-CN']).toBeTruthy();
    }
    expect(CLOSED_STATUSES).toEqual(['approved', 'rejected', 'withdrawn']);
  });
});
