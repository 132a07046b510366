import { DomainError } from '../common';
import { viewerOf } from './task-access';
import { countsQuery, decodeCursor, encodeCursor, listQuery } from './task-query';

const viewer = viewerOf(
  { id: '00000000-0000-4000-8000-000000000001', username: 'jgy_street', roles: ['street_reviewer'], groups: ['street_reviewer:510104017'], regionScopes: ['510104017'] },
  { scopeCodes: ['510104017'] },
);
const bounds = { now: new Date('2026-09-30T02:00:00Z'), soon: new Date('2026-10-08T15:59:59.999Z') };
const ID = '6f1c2a9e-0b7d-4c1e-9a55-3f2b8d7c6e10';

describe('queue queries', () => {
  it('round-trips a cursor and refuses one of another sort, naming the parameter', () => {
    const text = encodeCursor({ sort: 'due', key: 'infinity', id: ID });
    expect(decodeCursor(text, 'due')).toEqual({ sort: 'due', key: 'infinity', id: ID });
    for (const [bad, sort] of [[text, 'created'], ['not-a-cursor', 'due'], [encodeCursor({ sort: 'due', key: 'x', id: 'nope' }), 'due']] as const) {
      let err: unknown;
      try {
        decodeCursor(bad, sort);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).details).toEqual({ fields: [{ field: 'cursor', problems: [expect.any(String)] }] });
    }
  });

  it('orders by the expressions the partial indexes hold and pages by row comparison', () => {
    const { sql, params } = listQuery(viewer, { myGroups: true, unassigned: true, sort: 'due' }, bounds, { limit: 50, cursor: { sort: 'due', key: '2026-10-01 00:00:00+00', id: ID } });
    expect(sql).toContain(`t.status = 'open'`);
    expect(sql).toContain('t.assignee IS NULL');
    expect(sql).toContain(`ORDER BY COALESCE(t.due_at, 'infinity'::timestamptz), t.id LIMIT $${params.length}`);
    expect(sql).toMatch(/\(COALESCE\(t\.due_at, 'infinity'::timestamptz\), t\.id\) > \(\$\d+::timestamptz, \$\d+::uuid\)/);
    expect(params[params.length - 1]).toBe(51);
    const desc = listQuery(viewer, { sort: '-priority' }, bounds, { limit: 10, cursor: { sort: '-priority', key: '70', id: ID } });
    expect(desc.sql).toContain('ORDER BY t.priority DESC, t.id DESC');
    expect(desc.sql).toMatch(/\(t\.priority, t\.id\) < \(\$\d+::integer, \$\d+::uuid\)/);
  });

  it('escapes LIKE wildcards in the text search and turns SLA states into due ranges', () => {
    const { sql, params } = listQuery(viewer, { q: '50%_off', sla: ['overdue', 'due_soon'] }, bounds, { limit: 5 });
    expect(params).toContain('%50\\%\\_off%');
    expect(sql).toContain(`COALESCE(t.due_at, 'infinity'::timestamptz) < $`);
    expect(params).toContain(bounds.soon.toISOString());
  });

  it('splits "offered to me" into one branch per way a task is offered, each read in due order', () => {
    const { sql, params } = listQuery(viewer, { myGroups: true, unassigned: true, sort: 'due' }, bounds, { limit: 50 });
    const written = sql.replace(/\$(\d+)/g, (_, n: string) => JSON.stringify(params[Number(n) - 1]));
    // a task offered to my group alone: the candidate_groups index range, in due order
    expect(written).toContain(`t.candidate_groups = ARRAY["street_reviewer:510104017"::text]`);
    // to several groups, one of them mine; to me by name: the small indexes of those exceptions
    expect(written).toContain('cardinality(t.candidate_groups) > 1 AND t.candidate_groups && ["street_reviewer:510104017"]::text[]');
    expect(written).toContain('cardinality(t.candidate_users) > 0 AND t.candidate_users && ARRAY["jgy_street"::text]');
    expect(sql.match(/\bUNION\b/g)).toHaveLength(2);
    // the page's rows are read by id once the page is known
    expect(sql).toMatch(/FROM \(SELECT u\.id, u\.k FROM \(\(SELECT t\.id/);
    expect(sql).toContain('JOIN user_tasks t ON t.id = p.id');
  });

  it('narrows a region filter to the viewer\'s scope, and finds nothing outside it', () => {
    const inside = listQuery(viewer, { region: '510104' }, bounds, { limit: 5 }, new Map([['510104', ['510104', '510104017', '510104018']]]));
    expect(inside.params).toContainEqual(['510104017']);
    // the scope is then implied: no second condition on the region
    expect(inside.sql).not.toContain('t.region_code IS NULL');
    const outside = listQuery(viewer, { region: '510603' }, bounds, { limit: 5 }, new Map([['510603', ['510603']]]));
    expect(outside.sql).toContain('AND FALSE');
  });

  it('counts several queues in one statement, each capped', () => {
    const { sql, params } = countsQuery(viewer, [{ id: ID, filter: { myGroups: true } }, { id: ID, filter: { assignedToMe: true } }], bounds);
    expect(sql.split('UNION ALL')).toHaveLength(2);
    // "offered to me": three branches and the union, each stopping at 1001; "assigned to me": one
    expect(sql.match(/LIMIT 1001/g)).toHaveLength(5);
    expect(params.filter((p) => p === ID)).toHaveLength(2);
  });
});
