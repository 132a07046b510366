import { ADMIN_ROLES, Actor, ROLES, Role } from '../api';
import { adminRolesSeparate, permissionDenied } from './identity.errors';

/**
 * What each role may do. Controllers declare who may call an endpoint (@Roles); services check
 * the permission on the object itself with `assertCan`, so a job or another module calling the
 * service is held to the same rule.
 */
export const Permission = {
  /** list and read accounts (masked) */
  UsersRead: 'users.read',
  /** create, disable, enable accounts; reset passwords */
  UsersManage: 'users.manage',
  /** designate the system, security and audit administrators */
  UsersGrantAdmin: 'users.grant_admin',
  /** grant business roles and data scopes */
  UsersGrantRoles: 'users.grant_roles',
  UsersUnlock: 'users.unlock',
  /** unmask an account's personal data, with a stated purpose */
  UsersReveal: 'users.reveal',
  OrganizationsManage: 'organizations.manage',
  /** unmask applicants' and household members' personal data in casework, with a stated purpose */
  PersonalDataReveal: 'personal_data.reveal',
  AuditRead: 'audit.read',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

const P = Permission;
const CASEWORK: Permission[] = [P.PersonalDataReveal];

/**
 * 三员分立 (GB/T 22239 8.1.5): the system administrator runs accounts and organisations and
 * designates the other two; the security administrator grants business roles and scopes and
 * unlocks accounts; the audit administrator only reads the audit log. None of them does casework.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  window_caseworker: CASEWORK,
  street_reviewer: CASEWORK,
  county_reviewer: CASEWORK,
  city_reviewer: CASEWORK,
  department_checker: CASEWORK,
  allocation_officer: CASEWORK,
  policy_modeler: [],
  policy_approver: [],
  provincial_assessor: [],
  system_admin: [P.UsersRead, P.UsersManage, P.UsersGrantAdmin, P.UsersReveal, P.OrganizationsManage],
  security_admin: [P.UsersRead, P.UsersGrantRoles, P.UsersUnlock],
  audit_admin: [P.AuditRead],
  applicant: [],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isAdminRole(role: string): boolean {
  return (ADMIN_ROLES as readonly string[]).includes(role);
}

export function can(actor: Pick<Actor, 'roles'>, permission: Permission): boolean {
  return actor.roles.some((r) => isRole(r) && ROLE_PERMISSIONS[r].includes(permission));
}

export function assertCan(actor: Pick<Actor, 'roles'>, permission: Permission): void {
  if (!can(actor, permission)) throw permissionDenied(permission);
}

/** The roles one account may hold together: at most one administrator role, and then nothing else. */
export function assertRolesCompatible(roles: readonly string[]): void {
  const admin = roles.filter(isAdminRole);
  if (admin.length > 1 || (admin.length === 1 && roles.length > 1)) throw adminRolesSeparate([...roles]);
}

/** The permission needed to add or remove this role on someone else's account. */
export function permissionToGrant(role: Role): Permission {
  return isAdminRole(role) ? P.UsersGrantAdmin : P.UsersGrantRoles;
}
