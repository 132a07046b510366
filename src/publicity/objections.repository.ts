import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../api';
import { regionScopeSql } from '../identity';
import type { ObjectionOutcome, PublicityRound } from './publicity.state';

export interface ObjectionRow {
  id: string;
  publicity_id: string;
  application_id: string;
  case_number: string;
  round: PublicityRound;
  region_code: string;
  content: string;
  contact_enc: string | null;
  received_at: Date;
  verification_due_on: string;
  verification_due_at: Date;
  outcome: ObjectionOutcome | null;
  reasons: string | null;
  verified_at: Date | null;
  verified_by: string | null;
}

export interface NewObjection {
  id: string;
  publicity_id: string;
  content: string;
  contact_enc: string | null;
  client_key: string;
  received_at: Date;
  verification_due_on: string;
  verification_due_at: Date;
}

const SELECT = `
  SELECT o.id, o.publicity_id, p.application_id, p.case_number, p.round, p.region_code, o.content, o.contact_enc, o.received_at,
         to_char(o.verification_due_on, 'YYYY-MM-DD') AS verification_due_on, o.verification_due_at,
         o.outcome, o.reasons, o.verified_at, o.verified_by
    FROM publicity_objections o JOIN publicities p ON p.id = o.publicity_id`;

@Injectable()
export class ObjectionsRepository {
  constructor(private readonly ds: DataSource) {}

  private q(em?: EntityManager) {
    return em ?? this.ds;
  }

  async insert(em: EntityManager, o: NewObjection): Promise<void> {
    await em.query(
      `INSERT INTO publicity_objections (id, publicity_id, content, contact_enc, client_key, received_at, verification_due_on, verification_due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8)`,
      [o.id, o.publicity_id, o.content, o.contact_enc, o.client_key, o.received_at, o.verification_due_on, o.verification_due_at],
    );
  }

  /** One address's objections to one notice since `since`: how many, and when the oldest came. */
  async recent(em: EntityManager, publicityId: string, clientKey: string, since: Date): Promise<{ count: number; oldest: Date | null }> {
    const [row] = (await em.query(
      `SELECT count(*)::int AS count, min(received_at) AS oldest FROM publicity_objections WHERE publicity_id = $1 AND client_key = $2 AND received_at > $3`,
      [publicityId, clientKey, since],
    )) as { count: number; oldest: Date | null }[];
    return { count: row.count, oldest: row.oldest ? new Date(row.oldest) : null };
  }

  async find(id: string, em?: EntityManager, lock = false): Promise<ObjectionRow | null> {
    if (lock) await this.q(em).query(`SELECT 1 FROM publicity_objections WHERE id = $1 FOR UPDATE`, [id]);
    const rows: ObjectionRow[] = await this.q(em).query(`${SELECT} WHERE o.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** An objection if the actor may see its notice (the notice's or the household's region in scope). */
  async findVisible(actor: Actor, id: string, em?: EntityManager): Promise<ObjectionRow | null> {
    const params: unknown[] = [id];
    const scope = `(${regionScopeSql(actor, 'p.region_code', params)} OR ${regionScopeSql(actor, 'a.region_code', params)})`;
    const rows: ObjectionRow[] = await this.q(em).query(`${SELECT} JOIN applications a ON a.id = p.application_id WHERE o.id = $1 AND ${scope}`, params);
    return rows[0] ?? null;
  }

  ofPublicities(ids: string[], em?: EntityManager): Promise<ObjectionRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.q(em).query(`${SELECT} WHERE o.publicity_id = ANY($1::uuid[]) ORDER BY o.received_at, o.id`, [ids]);
  }

  /** Objections in the actor's scope, by status, soonest due first. */
  async list(actor: Actor, f: { status?: 'pending' | ObjectionOutcome; region?: string; limit: number; offset: number }): Promise<{ rows: ObjectionRow[]; total: number }> {
    const params: unknown[] = [];
    const where = [`(${regionScopeSql(actor, 'p.region_code', params)} OR ${regionScopeSql(actor, 'a.region_code', params)})`];
    if (f.status === 'pending') where.push('o.outcome IS NULL');
    else if (f.status) where.push(`o.outcome = $${params.push(f.status)}`);
    if (f.region) {
      const n = params.push(f.region);
      where.push(`p.region_code IN (SELECT r.code FROM regions r JOIN regions s ON starts_with(r.path, s.path) WHERE s.code = $${n})`);
    }
    const from = `FROM publicity_objections o JOIN publicities p ON p.id = o.publicity_id JOIN applications a ON a.id = p.application_id WHERE ${where.join(' AND ')}`;
    const [{ total }] = (await this.ds.query(`SELECT count(*)::int AS total ${from}`, params)) as { total: number }[];
    const rows: ObjectionRow[] = await this.ds.query(
      `${SELECT} JOIN applications a ON a.id = p.application_id WHERE ${where.join(' AND ')}
        ORDER BY o.verification_due_at, o.received_at, o.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, f.limit, f.offset],
    );
    return { rows, total };
  }

  async verify(em: EntityManager, id: string, v: { outcome: ObjectionOutcome; reasons: string; at: Date; by: string; byUserId: string | null }): Promise<void> {
    await em.query(`UPDATE publicity_objections SET outcome = $2, reasons = $3, verified_at = $4, verified_by = $5, verified_by_user_id = $6 WHERE id = $1`, [
      id, v.outcome, v.reasons, v.at, v.by, v.byUserId,
    ]);
  }
}
