import { TaskHolders, isCandidate, isSupervisor, relationsOf, splitGroup, viewerOf, visibilitySql } from './task-access';

const actor = (username: string, roles: string[], groups: string[], regionScopes: string[]) => ({ id: `id-${username}`, username, roles, groups, regionScopes });
const task = (over: Partial<TaskHolders> = {}): TaskHolders => ({ candidate_groups: [], candidate_users: [], group_keys: [], assignee: null, owner: null, ...over });

// group keys as user_task_group_keys() writes them for street_reviewer:510104017 (成都 is in 成德眉资)
const streetTask = task({
  candidate_groups: ['street_reviewer:510104017'],
  group_keys: ['street_reviewer@510000', 'street_reviewer@510100', 'street_reviewer@510104', 'street_reviewer@CDMZ'],
});

describe('task access rules', () => {
  const street = viewerOf(actor('jgy_street', ['street_reviewer'], ['street_reviewer:510104017'], ['510104017']));
  const county = viewerOf(actor('jj_county', ['county_reviewer'], ['county_reviewer:510104'], ['510104']));
  const city = viewerOf(actor('cd_city', ['city_reviewer'], ['city_reviewer:510100'], ['510100']));
  const window = viewerOf(actor('jj_window', ['window_caseworker'], ['window_caseworker:510104'], ['510104']));

  it('splits a group into its role (department kept) and its scope', () => {
    expect(splitGroup('county_reviewer:510104')).toEqual({ role: 'county_reviewer', scope: '510104' });
    expect(splitGroup('department_checker:民政:510104')).toEqual({ role: 'department_checker:民政', scope: '510104' });
    expect(splitGroup('reviewer')).toBeNull();
    expect(splitGroup('reviewer:')).toBeNull();
  });

  it('makes a group member a candidate, and a named candidate user too', () => {
    expect(isCandidate(street, streetTask)).toBe(true);
    expect(isCandidate(window, streetTask)).toBe(false);
    expect(isCandidate(window, task({ candidate_users: ['jj_window'] }))).toBe(true);
  });

  it('makes the county reviewer of a subtree the supervisor of the street reviewers in it, one rung only', () => {
    expect(isSupervisor(county, streetTask)).toBe(true);
    // the city reviewer supervises county reviewers, not street reviewers
    expect(isSupervisor(city, streetTask)).toBe(false);
    expect(isSupervisor(city, task({ candidate_groups: ['county_reviewer:510104'], group_keys: ['county_reviewer@510000', 'county_reviewer@510100', 'county_reviewer@CDMZ'] }))).toBe(true);
    // a window caseworker of the same county supervises nobody
    expect(isSupervisor(window, streetTask)).toBe(false);
    // nor does a member supervise their own group
    expect(isSupervisor(street, streetTask)).toBe(false);
  });

  it('makes a supervisor of a group at the same scope through the ladder (window caseworkers of the county)', () => {
    expect(county.supervisedGroups).toEqual(['street_reviewer:510104', 'window_caseworker:510104']);
    expect(isSupervisor(county, task({ candidate_groups: ['window_caseworker:510104'], group_keys: ['window_caseworker@510000', 'window_caseworker@510100', 'window_caseworker@CDMZ'] }))).toBe(true);
  });

  it("makes a department's checkers at a broader scope the supervisors of the county's checkers of that department only", () => {
    const cityMz = viewerOf(actor('cd_mz', ['department_checker'], ['department_checker:民政:510100'], ['510100']));
    const keys = ['department_checker:民政@510000', 'department_checker:民政@510100', 'department_checker:民政@CDMZ'];
    expect(isSupervisor(cityMz, task({ candidate_groups: ['department_checker:民政:510104'], group_keys: keys }))).toBe(true);
    expect(isSupervisor(cityMz, task({ candidate_groups: ['department_checker:公安:510104'], group_keys: keys.map((k) => k.replace('民政', '公安')) }))).toBe(false);
  });

  it('lists every relation: assignee, owner, candidate, supervisor', () => {
    expect([...relationsOf(street, { ...streetTask, assignee: 'jgy_street' })].sort()).toEqual(['assignee', 'candidate']);
    expect([...relationsOf(county, { ...streetTask, assignee: 'jj_county', owner: 'jgy_street' })].sort()).toEqual(['assignee', 'supervisor']);
    expect([...relationsOf(street, { ...streetTask, assignee: 'jj_county', owner: 'jgy_street' })].sort()).toEqual(['candidate', 'owner']);
    expect(relationsOf(window, streetTask).size).toBe(0);
  });

  it('lets a policy modeler supervise everything only in a diagram walk-through', () => {
    const modeler = actor('sc_modeler', ['policy_modeler'], ['policy_modeler:510000'], ['510000']);
    expect(isSupervisor(viewerOf(modeler), streetTask)).toBe(false);
    expect(isSupervisor(viewerOf(modeler, { walkthrough: true }), streetTask)).toBe(true);
    expect(isSupervisor(viewerOf(actor('jj_window', ['window_caseworker'], ['window_caseworker:510104'], ['510104']), { walkthrough: true }), streetTask)).toBe(false);
  });

  it('writes the same rules as SQL with numbered parameters: through the groups, or in the region scope', () => {
    expect(() => visibilitySql(county, [])).toThrow(/not resolved/);
    const resolved = viewerOf(actor('jj_county', ['county_reviewer'], ['county_reviewer:510104'], ['510104']), { scopeCodes: ['510104', '510104017'] });
    const params: unknown[] = ['x'];
    // the SQL with each parameter written in, to read it as the database will
    const sql = visibilitySql(resolved, params).replace(/\$(\d+)/g, (_, n: string) => JSON.stringify(params[Number(n) - 1]));
    expect(params[0]).toBe('x');
    expect(sql).toBe(
      '((t.region_in_group_scope AND (t.candidate_groups && ["county_reviewer:510104"]::text[] OR t.candidate_groups && ["street_reviewer:510104","window_caseworker:510104"]::text[] OR t.group_keys && ["county_reviewer@510104","street_reviewer@510104","window_caseworker@510104"]::text[]))' +
        ' OR ((t.region_code IS NULL OR t.region_code = ANY(["510104","510104017"]::text[])) AND (t.candidate_groups && ["county_reviewer:510104"]::text[] OR t.candidate_users && ARRAY["jj_county"::text]' +
        ' OR t.assignee = "jj_county" OR t.owner = "jj_county" OR t.completed_by = "id-jj_county" OR t.candidate_groups && ["street_reviewer:510104","window_caseworker:510104"]::text[]' +
        ' OR t.group_keys && ["county_reviewer@510104","street_reviewer@510104","window_caseworker@510104"]::text[])))',
    );
    // the walk-through is bound by the region scope alone
    const walk = viewerOf(actor('sc_modeler', ['policy_modeler'], ['policy_modeler:510000'], ['510000']), { walkthrough: true, scopeCodes: ['510000'] });
    expect(visibilitySql(walk, [])).toBe('(t.region_code IS NULL OR t.region_code = ANY($1::text[]))');
  });
});
