import { Role } from '../api';
import { DEPARTMENTS } from './departments';

/**
 * Candidate groups (候选组) of user tasks are derived names, never maintained by hand:
 *
 *   <role>:<scope>                  e.g. county_reviewer:510104, street_reviewer:510104017,
 *                                        city_reviewer:510100, allocation_officer:CDMZ
 *   department_checker:<dept>:<scope>  e.g. department_checker:民政:510104
 *
 * <role> is a role code (api/access.ts), <dept> a department's short Chinese name
 * (departments.ts), <scope> a region code or a region group code (CDMZ). A user is in
 * `<role>:<scope>` for each role they hold and each data-scope root they have; a department
 * checker only in the form that names their organisation's department (so 民政's checkers never
 * see 公安's tasks); applicants are in no group. A diagram therefore says "the 民政 checkers of the
 * applicant's county" as `="department_checker:民政:" + countyCode`, and the work queue shows a
 * task to whoever has that name among their groups (Actor.groups).
 */
export interface CandidateGroup {
  role: Role;
  department: string | null;
  scope: string;
}

export function candidateGroup(role: Role, scope: string, department?: string | null): string {
  if (role === Role.DepartmentChecker) {
    if (!department) throw new Error('a department_checker group names its department');
    return `${role}:${department}:${scope}`;
  }
  return `${role}:${scope}`;
}

export function parseCandidateGroup(name: string): CandidateGroup | null {
  const parts = name.split(':');
  if (parts[0] === Role.DepartmentChecker) {
    if (parts.length !== 3 || !(DEPARTMENTS as readonly string[]).includes(parts[1]) || !parts[2]) return null;
    return { role: Role.DepartmentChecker, department: parts[1], scope: parts[2] };
  }
  const roles: readonly string[] = Object.values(Role);
  if (parts.length !== 2 || !roles.includes(parts[0]) || parts[0] === Role.Applicant || !parts[1]) return null;
  return { role: parts[0] as Role, department: null, scope: parts[1] };
}

/** Every group a user belongs to, from their roles, scope roots and organisation's department. */
export function groupsOf(roles: readonly string[], scopes: readonly string[], department: string | null): string[] {
  const groups: string[] = [];
  for (const role of roles) {
    if (role === Role.Applicant) continue;
    if (role === Role.DepartmentChecker && !department) continue;
    for (const scope of scopes) groups.push(candidateGroup(role as Role, scope, department));
  }
  return [...new Set(groups)].sort();
}
