import { ROLES } from '../api';
import { Permission, ROLE_PERMISSIONS, assertRolesCompatible, can, permissionToGrant } from './roles';

describe('roles and permissions', () => {
  it('gives every role an entry, and no permission to two of the three administrators', () => {
    expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual([...ROLES].sort());
    const holders = (p: Permission) => ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(p));
    expect(holders(Permission.AuditRead)).toEqual(['audit_admin']);
    expect(holders(Permission.UsersGrantAdmin)).toEqual(['system_admin']);
    expect(holders(Permission.UsersGrantRoles)).toEqual(['security_admin']);
    // administrators do no casework; caseworkers administer nothing
    for (const admin of ['system_admin', 'security_admin', 'audit_admin'] as const) expect(ROLE_PERMISSIONS[admin]).not.toContain(Permission.PersonalDataReveal);
    expect(ROLE_PERMISSIONS.applicant).toEqual([]);
  });

  it('checks an actor by any of their roles', () => {
    expect(can({ roles: ['county_reviewer'] }, Permission.PersonalDataReveal)).toBe(true);
    expect(can({ roles: ['policy_modeler'] }, Permission.PersonalDataReveal)).toBe(false);
    expect(can({ roles: ['not-a-role'] }, Permission.AuditRead)).toBe(false);
  });

  it('allows at most one administrator role, and then no other role', () => {
    expect(() => assertRolesCompatible(['system_admin'])).not.toThrow();
    expect(() => assertRolesCompatible(['county_reviewer', 'window_caseworker'])).not.toThrow();
    expect(() => assertRolesCompatible(['system_admin', 'audit_admin'])).toThrow(expect.objectContaining({ code: 'ADMIN_ROLES_SEPARATE' }));
    expect(() => assertRolesCompatible(['security_admin', 'county_reviewer'])).toThrow(expect.objectContaining({ code: 'ADMIN_ROLES_SEPARATE' }));
  });

  it('needs the system administrator to designate administrators, the security administrator for the rest', () => {
    expect(permissionToGrant('audit_admin')).toBe(Permission.UsersGrantAdmin);
    expect(permissionToGrant('department_checker')).toBe(Permission.UsersGrantRoles);
  });
});
