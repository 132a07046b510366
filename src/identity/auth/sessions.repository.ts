import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rowsOf } from '../../database';

export type RevokeReason = 'logout' | 'idle' | 'expired' | 'refresh_reuse' | 'password_changed' | 'disabled' | 'admin';

export interface SessionRow {
  id: string;
  user_id: string;
  refresh_hash: string;
  previous_refresh_hash: string | null;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

/** A session with everything the guard needs to build the Actor, in one query. */
export interface SessionWithUser extends SessionRow {
  username: string;
  status: string;
  organization_id: string | null;
  department: string | null;
  roles: string[];
  scopes: string[];
}

@Injectable()
export class SessionsRepository {
  constructor(private readonly ds: DataSource) {}

  async create(s: { id: string; userId: string; refreshHash: string; now: Date; expiresAt: Date; ip: string | null; userAgent: string | null }): Promise<void> {
    await this.ds.query(
      `INSERT INTO sessions (id, user_id, refresh_hash, created_at, last_seen_at, expires_at, ip, user_agent)
       VALUES ($1, $2, $3, $4, $4, $5, $6, $7)`,
      [s.id, s.userId, s.refreshHash, s.now, s.expiresAt, s.ip, s.userAgent?.slice(0, 300) ?? null],
    );
  }

  async find(id: string): Promise<SessionRow | null> {
    const rows = (await this.ds.query(
      `SELECT id, user_id, refresh_hash, previous_refresh_hash, last_seen_at, expires_at, revoked_at FROM sessions WHERE id = $1`,
      [id],
    )) as SessionRow[];
    return rows[0] ?? null;
  }

  async findWithUser(id: string): Promise<SessionWithUser | null> {
    const rows = (await this.ds.query(
      `SELECT s.id, s.user_id, s.refresh_hash, s.previous_refresh_hash, s.last_seen_at, s.expires_at, s.revoked_at,
              u.username, u.status, u.organization_id, o.department,
              ARRAY(SELECT r.role FROM user_roles r WHERE r.user_id = u.id ORDER BY r.role) AS roles,
              ARRAY(SELECT c.scope FROM user_scopes c WHERE c.user_id = u.id ORDER BY c.scope) AS scopes
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         LEFT JOIN organizations o ON o.id = u.organization_id
        WHERE s.id = $1`,
      [id],
    )) as SessionWithUser[];
    return rows[0] ?? null;
  }

  /** Records activity, at most once a minute per session (idle expiry is to the minute). */
  async touch(id: string, now: Date): Promise<void> {
    await this.ds.query(`UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $3`, [id, now, new Date(now.getTime() - 60000)]);
  }

  /** Replaces the refresh hash only if it is still the one presented (two racing refreshes: one wins). */
  async rotate(id: string, presentedHash: string, nextHash: string): Promise<boolean> {
    const res = await this.ds.query(
      `UPDATE sessions SET previous_refresh_hash = refresh_hash, refresh_hash = $3 WHERE id = $1 AND refresh_hash = $2 AND revoked_at IS NULL RETURNING id`,
      [id, presentedHash, nextHash],
    );
    return rowsOf(res).length === 1;
  }

  async revoke(id: string, reason: RevokeReason, now: Date): Promise<void> {
    await this.ds.query(`UPDATE sessions SET revoked_at = $3, revoke_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, reason, now]);
  }

  async revokeAllOf(userId: string, reason: RevokeReason, now: Date, exceptId?: string): Promise<void> {
    await this.ds.query(
      `UPDATE sessions SET revoked_at = $3, revoke_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL AND ($4::uuid IS NULL OR id <> $4::uuid)`,
      [userId, reason, now, exceptId ?? null],
    );
  }
}
