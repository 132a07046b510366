import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isUuid } from '../../common';
import { groupsOf, parseCandidateGroup } from '../candidate-groups';

/** Who a message can go to: an active account with its work address and language. */
export interface Recipient {
  userId: string;
  username: string;
  email: string | null;
  locale: 'zh-CN' | 'en';
}

/** A staff member with the candidate groups they are in (for digests of their queues). */
export interface StaffMember extends Recipient {
  groups: string[];
}

const COLUMNS = `u.id AS "userId", u.username, u.email, u.locale`;

/**
 * Read-only lookups of accounts for notifications: by id or username, by candidate group (the
 * active holders of the role with that scope root, and for department checkers that department),
 * by role. Disabled accounts are never recipients.
 */
@Injectable()
export class UserDirectory {
  constructor(private readonly ds: DataSource) {}

  /** Accounts named by id or by username (a task's assignee may be either); unknown names are left out. */
  async byRefs(refs: readonly string[], em?: EntityManager): Promise<Recipient[]> {
    if (!refs.length) return [];
    const ids = refs.filter(isUuid);
    return (await (em ?? this.ds).query(
      `SELECT ${COLUMNS} FROM users u WHERE u.status = 'active' AND (u.id = ANY($1::uuid[]) OR u.username = ANY($2::text[])) ORDER BY u.username`,
      [ids, [...refs]],
    )) as Recipient[];
  }

  /** The members of candidate groups; a name that is not a candidate group has none. */
  async membersOf(groups: readonly string[], em?: EntityManager): Promise<Recipient[]> {
    const parsed = groups.map(parseCandidateGroup).filter((g) => g !== null);
    if (!parsed.length) return [];
    return (await (em ?? this.ds).query(
      `SELECT DISTINCT ${COLUMNS}
         FROM unnest($1::text[], $2::text[], $3::text[]) AS g (role, scope, department)
         JOIN user_roles r ON r.role = g.role
         JOIN user_scopes s ON s.user_id = r.user_id AND s.scope = g.scope
         JOIN users u ON u.id = r.user_id
         LEFT JOIN organizations o ON o.id = u.organization_id
        WHERE u.status = 'active' AND (g.department IS NULL OR o.department = g.department)
        ORDER BY u.username`,
      [parsed.map((g) => g.role), parsed.map((g) => g.scope), parsed.map((g) => g.department)],
    )) as Recipient[];
  }

  /** Every active holder of any of these roles, whatever their scope. */
  async withRoles(roles: readonly string[], em?: EntityManager): Promise<Recipient[]> {
    if (!roles.length) return [];
    return (await (em ?? this.ds).query(
      `SELECT ${COLUMNS} FROM users u
        WHERE u.status = 'active' AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = ANY($1::text[]))
        ORDER BY u.username`,
      [[...roles]],
    )) as Recipient[];
  }

  /** Every active staff member with an address, and their candidate groups. */
  async staffWithMail(em?: EntityManager): Promise<StaffMember[]> {
    const rows = (await (em ?? this.ds).query(
      `SELECT ${COLUMNS},
              ARRAY(SELECT r.role FROM user_roles r WHERE r.user_id = u.id) AS roles,
              ARRAY(SELECT c.scope FROM user_scopes c WHERE c.user_id = u.id) AS scopes,
              o.department
         FROM users u LEFT JOIN organizations o ON o.id = u.organization_id
        WHERE u.status = 'active' AND u.kind = 'staff' AND u.email IS NOT NULL
        ORDER BY u.username`,
    )) as (Recipient & { roles: string[]; scopes: string[]; department: string | null })[];
    return rows.map(({ roles, scopes, department, ...r }) => ({ ...r, groups: groupsOf(roles, scopes, department) }));
  }
}
