import { candidateGroup, groupsOf, parseCandidateGroup } from './candidate-groups';

describe('candidate groups', () => {
  it('names a role in a region, and a department checker with the department', () => {
    expect(candidateGroup('county_reviewer', '510104')).toBe('county_reviewer:510104');
    expect(candidateGroup('department_checker', '510104', '民政')).toBe('department_checker:民政:510104');
    expect(candidateGroup('allocation_officer', 'CDMZ')).toBe('allocation_officer:CDMZ');
  });

  it('derives a user’s groups from roles × scopes, the department only for checkers', () => {
    expect(groupsOf(['department_checker'], ['510104'], '民政')).toEqual(['department_checker:民政:510104']);
    expect(groupsOf(['county_reviewer', 'window_caseworker'], ['510104', '510105'], '住建')).toEqual([
      'county_reviewer:510104',
      'county_reviewer:510105',
      'window_caseworker:510104',
      'window_caseworker:510105',
    ]);
    expect(groupsOf(['applicant'], [], null)).toEqual([]);
    // a checker whose organisation is not a department has no checker group at all
    expect(groupsOf(['department_checker'], ['510104'], null)).toEqual([]);
  });

  it('parses what it builds and refuses what it would not build', () => {
    expect(parseCandidateGroup('department_checker:公安:510104')).toEqual({ role: 'department_checker', department: '公安', scope: '510104' });
    expect(parseCandidateGroup('street_reviewer:510104017')).toEqual({ role: 'street_reviewer', department: null, scope: '510104017' });
    for (const bad of ['department_checker:510104', 'department_checker:外交:510104', 'nobody:510104', 'applicant:510104', 'county_reviewer', 'county_reviewer:']) {
      expect(parseCandidateGroup(bad)).toBeNull();
    }
  });
});
