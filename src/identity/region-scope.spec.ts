import { regionScopeCondition, regionScopeSql } from './region-scope';

const caseworker = { id: 'u1', regionScopes: ['510104'] };

describe('regionScopeSql', () => {
  it('numbers its parameter after the ones already there', () => {
    const params: unknown[] = ['case-1'];
    const sql = regionScopeSql(caseworker, 'c.region_code', params);
    expect(params).toEqual(['case-1', ['510104']]);
    expect(sql).toContain('c.region_code IN (SELECT r.code FROM regions r');
    expect(sql).toContain('ANY($2::text[])');
  });

  it('adds the owner for applicants and owners, ORed with the region', () => {
    const params: unknown[] = [];
    const sql = regionScopeSql({ id: 'me', regionScopes: [] }, 'c.region_code', params, { ownerColumn: 'c.owner_id' });
    expect(sql).toBe('(c.owner_id = $1)');
    expect(params).toEqual(['me']);
    const both = regionScopeSql(caseworker, 'region_code', [], { ownerColumn: 'owner_id' });
    expect(both).toMatch(/^\(region_code IN \(.*\) OR owner_id = \$2\)$/);
  });

  it('sees nothing without a scope or an owner column', () => {
    const params: unknown[] = [];
    expect(regionScopeSql({ id: 'x', regionScopes: [] }, 'region_code', params)).toBe('(FALSE)');
    expect(params).toEqual([]);
  });

  it('refuses anything but a plain column reference', () => {
    expect(() => regionScopeSql(caseworker, 'region_code) OR (1=1', [])).toThrow(/not a plain column/);
    expect(() => regionScopeSql(caseworker, 'region_code', [], { ownerColumn: 'x; DROP TABLE users' })).toThrow(/not a plain column/);
  });

  it('has a query-builder form with named parameters', () => {
    const { sql, params } = regionScopeCondition(caseworker, 'h.region_code', { ownerColumn: 'h.owner_id' });
    expect(sql).toContain(':anjuScopeRoots');
    expect(params).toEqual({ anjuScopeRoots: ['510104'], anjuScopeOwner: 'u1' });
  });
});
