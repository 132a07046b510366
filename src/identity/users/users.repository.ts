import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../../database';

export interface UserRow {
  id: string;
  username: string;
  kind: 'staff' | 'applicant';
  organization_id: string | null;
  status: 'active' | 'disabled';
  password_hash: string;
  password_changed_at: Date;
  must_change_password: boolean;
  failed_logins: number;
  locked_until: Date | null;
  last_login_at: Date | null;
  name_enc: string | null;
  phone_enc: string | null;
  id_number_enc: string | null;
  /** work e-mail for notifications (not a protected field: a work address, see notify/) */
  email: string | null;
  locale: 'zh-CN' | 'en';
  created_at: Date;
  roles: string[];
  scopes: string[];
  org_code: string | null;
  org_name: string | null;
  department: string | null;
  org_region_code: string | null;
}

export interface NewUser {
  username: string;
  kind: 'staff' | 'applicant';
  organizationId: string | null;
  passwordHash: string;
  mustChangePassword: boolean;
  nameEnc: string | null;
  phoneEnc: string | null;
  phoneBidx: string | null;
  idNumberEnc: string | null;
  idNumberBidx: string | null;
  email?: string | null;
  locale?: 'zh-CN' | 'en';
  now: Date;
}

export interface UserFilter {
  organizationId?: string;
  role?: string;
  usernamePrefix?: string;
  status?: string;
  limit: number;
  offset: number;
}

const SELECT = `
  SELECT u.id, u.username, u.kind, u.organization_id, u.status, u.password_hash, u.password_changed_at, u.must_change_password,
         u.failed_logins, u.locked_until, u.last_login_at, u.name_enc, u.phone_enc, u.id_number_enc, u.email, u.locale, u.created_at,
         ARRAY(SELECT r.role FROM user_roles r WHERE r.user_id = u.id ORDER BY r.role) AS roles,
         ARRAY(SELECT c.scope FROM user_scopes c WHERE c.user_id = u.id ORDER BY c.scope) AS scopes,
         o.code AS org_code, o.name AS org_name, o.department, o.region_code AS org_region_code
    FROM users u LEFT JOIN organizations o ON o.id = u.organization_id`;

@Injectable()
export class UsersRepository {
  constructor(private readonly ds: DataSource) {}

  private q(em?: EntityManager) {
    return em ?? this.ds;
  }

  async findById(id: string, em?: EntityManager): Promise<UserRow | null> {
    const rows = (await this.q(em).query(`${SELECT} WHERE u.id = $1`, [id])) as UserRow[];
    return rows[0] ?? null;
  }

  async findByUsername(username: string, em?: EntityManager): Promise<UserRow | null> {
    const rows = (await this.q(em).query(`${SELECT} WHERE u.username = $1`, [username])) as UserRow[];
    return rows[0] ?? null;
  }

  async findByBlindIndex(column: 'phone_bidx' | 'id_number_bidx', bidx: string): Promise<UserRow[]> {
    return (await this.ds.query(`${SELECT} WHERE u.${column} = $1 ORDER BY u.username LIMIT 100`, [bidx])) as UserRow[];
  }

  async list(f: UserFilter): Promise<UserRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (n: number) => string, value: unknown) => {
      if (value === undefined) return;
      params.push(value);
      where.push(sql(params.length));
    };
    add((n) => `u.organization_id = $${n}`, f.organizationId);
    add((n) => `EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = $${n})`, f.role);
    add((n) => `starts_with(u.username, $${n})`, f.usernamePrefix);
    add((n) => `u.status = $${n}`, f.status);
    params.push(f.limit, f.offset);
    const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY u.username LIMIT $${params.length - 1} OFFSET $${params.length}`;
    return (await this.ds.query(sql, params)) as UserRow[];
  }

  async create(u: NewUser, em?: EntityManager): Promise<string> {
    const [row] = (await this.q(em).query(
      `INSERT INTO users (username, kind, organization_id, password_hash, password_changed_at, must_change_password,
                          name_enc, phone_enc, phone_bidx, id_number_enc, id_number_bidx, email, locale, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $5, $5) RETURNING id`,
      [u.username, u.kind, u.organizationId, u.passwordHash, u.now, u.mustChangePassword, u.nameEnc, u.phoneEnc, u.phoneBidx, u.idNumberEnc, u.idNumberBidx,
        u.email ?? null, u.locale ?? 'zh-CN'],
    )) as { id: string }[];
    return row.id;
  }

  async setRoles(userId: string, roles: readonly string[], em: EntityManager): Promise<void> {
    await em.query(`DELETE FROM user_roles WHERE user_id = $1`, [userId]);
    if (roles.length) await em.query(`INSERT INTO user_roles (user_id, role) SELECT $1, unnest($2::text[])`, [userId, roles]);
  }

  async setScopes(userId: string, scopes: readonly string[], em: EntityManager): Promise<void> {
    await em.query(`DELETE FROM user_scopes WHERE user_id = $1`, [userId]);
    if (scopes.length) await em.query(`INSERT INTO user_scopes (user_id, scope) SELECT $1, unnest($2::text[])`, [userId, scopes]);
  }

  /**
   * Counts a failed login atomically; the failure that reaches `max` locks the account until
   * `lockUntil` and starts the count again. Returns the lock, if this failure set one.
   */
  async recordFailure(id: string, max: number, lockUntil: Date): Promise<Date | null> {
    const rows = rowsOf<{ locked_until: Date | null; locked_now: boolean }>(
      await this.ds.query(
        `UPDATE users SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
                          locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END
          WHERE id = $1 RETURNING locked_until, (locked_until = $3) AS locked_now`,
        [id, max, lockUntil],
      ),
    );
    return rows[0]?.locked_now ? rows[0].locked_until : null;
  }

  async recordSuccess(id: string, now: Date): Promise<void> {
    await this.ds.query(`UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $2 WHERE id = $1`, [id, now]);
  }

  async setPassword(id: string, hash: string, mustChange: boolean, now: Date, em?: EntityManager): Promise<void> {
    await this.q(em).query(
      `UPDATE users SET password_hash = $2, must_change_password = $3, password_changed_at = $4, updated_at = $4, failed_logins = 0, locked_until = NULL WHERE id = $1`,
      [id, hash, mustChange, now],
    );
  }

  async setStatus(id: string, status: 'active' | 'disabled', now: Date, em?: EntityManager): Promise<void> {
    await this.q(em).query(`UPDATE users SET status = $2, updated_at = $3 WHERE id = $1`, [id, status, now]);
  }

  async unlock(id: string, now: Date): Promise<void> {
    await this.ds.query(`UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = $2 WHERE id = $1`, [id, now]);
  }

  async touch(id: string, now: Date, em: EntityManager): Promise<void> {
    await em.query(`UPDATE users SET updated_at = $2 WHERE id = $1`, [id, now]);
  }
}
