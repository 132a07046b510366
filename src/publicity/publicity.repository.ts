import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../api';
import type { ApplicationStatus, ApplicationType } from '../applications';
import { rowsOf } from '../database';
import { regionScopeSql } from '../identity';
import type { PublicityContent } from './masked-content';
import type { PublicityRound } from './publicity.state';

export interface PublicityRow {
  id: string;
  application_id: string;
  case_number: string;
  round: PublicityRound;
  region_code: string;
  region_name: string | null;
  content: PublicityContent;
  rule_id: number;
  rule: 'working-days' | 'calendar-rolling';
  days: number;
  objection_check_days: number;
  starts_on: string;
  ends_on: string;
  starts_at: Date;
  ends_at: Date;
  provisional: boolean;
  published_at: Date;
  published_by: string;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdraw_reason: string | null;
}

export type NewPublicity = Omit<PublicityRow, 'region_name' | 'withdrawn_at' | 'withdrawn_by' | 'withdraw_reason'> & { published_by_user_id: string | null };

/** What publishing needs of an application (applications' tables, read-only; the row stays locked). */
export interface ApplicationFacts {
  id: string;
  case_number: string;
  type: ApplicationType;
  status: ApplicationStatus;
  region_code: string;
  target_region_code: string | null;
  household_size: number;
  name_enc: string;
  id_number_enc: string;
  home_region_name: string | null;
}

const SELECT = `
  SELECT p.id, p.application_id, p.case_number, p.round, p.region_code, p.content, p.rule_id, p.rule, p.days, p.objection_check_days,
         to_char(p.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(p.ends_on, 'YYYY-MM-DD') AS ends_on, p.starts_at, p.ends_at,
         p.provisional, p.published_at, p.published_by, p.withdrawn_at, p.withdrawn_by, p.withdraw_reason,
         (SELECT r.name FROM regions r WHERE r.code = p.region_code ORDER BY r.valid_to DESC NULLS FIRST LIMIT 1) AS region_name
    FROM publicities p`;

/** The subtree of region codes under the code in parameter $n (the code itself included). */
export const SUBTREE = (n: number) => `SELECT r.code FROM regions r JOIN regions s ON starts_with(r.path, s.path) WHERE s.code = $${n}`;

/** Staff see a notice when the region it is published in, or the household's own region, is in their scope. */
function scopeOf(actor: Actor, params: unknown[]): string {
  const published = regionScopeSql(actor, 'p.region_code', params);
  const home = regionScopeSql(actor, 'a.region_code', params);
  return `(${published} OR ${home})`;
}

@Injectable()
export class PublicityRepository {
  constructor(private readonly ds: DataSource) {}

  private q(em?: EntityManager) {
    return em ?? this.ds;
  }

  /** Locks the application row (one publication at a time per case) and reads what the notice shows. */
  async lockApplication(em: EntityManager, applicationId: string): Promise<ApplicationFacts | null> {
    const rows = (await em.query(
      `SELECT a.id, a.case_number, a.type, a.status, a.region_code, a.target_region_code,
              (a.household_snapshot->>'size')::int AS household_size, m.name_enc, m.id_number_enc,
              (SELECT r.name FROM regions r WHERE r.code = a.region_code ORDER BY r.valid_to DESC NULLS FIRST LIMIT 1) AS home_region_name
         FROM applications a JOIN application_members m ON m.application_id = a.id AND m.position = 1
        WHERE a.id = $1 FOR UPDATE OF a`,
      [applicationId],
    )) as ApplicationFacts[];
    return rows[0] ?? null;
  }

  async applicationIdByCase(caseNumber: string, em?: EntityManager): Promise<string | null> {
    const [row] = (await this.q(em).query(`SELECT id FROM applications WHERE case_number = $1`, [caseNumber])) as { id: string }[];
    return row?.id ?? null;
  }

  /** The notice of an application and round that was not withdrawn, if any. */
  async active(em: EntityManager, applicationId: string, round: PublicityRound): Promise<PublicityRow | null> {
    const rows: PublicityRow[] = await em.query(`${SELECT} WHERE p.application_id = $1 AND p.round = $2 AND p.withdrawn_at IS NULL`, [applicationId, round]);
    return rows[0] ?? null;
  }

  async insert(em: EntityManager, p: NewPublicity): Promise<void> {
    await em.query(
      `INSERT INTO publicities (id, application_id, case_number, round, region_code, content, rule_id, rule, days, objection_check_days,
                                starts_on, ends_on, starts_at, ends_at, provisional, published_at, published_by, published_by_user_id)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11::date, $12::date, $13, $14, $15, $16, $17, $18)`,
      [p.id, p.application_id, p.case_number, p.round, p.region_code, JSON.stringify(p.content), p.rule_id, p.rule, p.days, p.objection_check_days,
        p.starts_on, p.ends_on, p.starts_at, p.ends_at, p.provisional, p.published_at, p.published_by, p.published_by_user_id],
    );
  }

  async find(id: string, em?: EntityManager, lock = false): Promise<PublicityRow | null> {
    if (lock) await this.q(em).query(`SELECT 1 FROM publicities WHERE id = $1 FOR UPDATE`, [id]);
    const rows: PublicityRow[] = await this.q(em).query(`${SELECT} WHERE p.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** A notice if the actor may see it (else null: a 404 that does not tell whether it exists). */
  async findVisible(actor: Actor, id: string, em?: EntityManager): Promise<PublicityRow | null> {
    const params: unknown[] = [id];
    const scope = scopeOf(actor, params);
    const rows: PublicityRow[] = await this.q(em).query(`${SELECT} JOIN applications a ON a.id = p.application_id WHERE p.id = $1 AND ${scope}`, params);
    return rows[0] ?? null;
  }

  /** True when the actor may see the application's notices (its region or the region it is reviewed in). */
  async applicationVisible(actor: Actor, applicationId: string, em?: EntityManager): Promise<boolean> {
    const params: unknown[] = [applicationId];
    const home = regionScopeSql(actor, 'a.region_code', params);
    const target = regionScopeSql(actor, 'a.target_region_code', params);
    const rows: unknown[] = await this.q(em).query(`SELECT 1 FROM applications a WHERE a.id = $1 AND (${home} OR ${target})`, params);
    return rows.length > 0;
  }

  /** An application's notices, every round, withdrawn ones included, oldest first. */
  ofApplication(applicationId: string, em?: EntityManager): Promise<PublicityRow[]> {
    return this.q(em).query(`${SELECT} WHERE p.application_id = $1 ORDER BY p.published_at, p.id`, [applicationId]);
  }

  /** The notices running at `now` in a region and below it (the public list), ending soonest first. */
  async running(region: string, now: Date, limit: number, offset: number): Promise<{ rows: PublicityRow[]; total: number }> {
    const where = `p.withdrawn_at IS NULL AND p.starts_at <= $2 AND p.ends_at >= $2 AND p.region_code IN (${SUBTREE(1)})`;
    const [{ total }] = (await this.ds.query(`SELECT count(*)::int AS total FROM publicities p WHERE ${where}`, [region, now])) as { total: number }[];
    const rows: PublicityRow[] = await this.ds.query(`${SELECT} WHERE ${where} ORDER BY p.ends_at, p.starts_at, p.id LIMIT $3 OFFSET $4`, [region, now, limit, offset]);
    return { rows, total };
  }

  async withdraw(em: EntityManager, id: string, at: Date, by: string, byUserId: string | null, reason: string): Promise<void> {
    await em.query(`UPDATE publicities SET withdrawn_at = $2, withdrawn_by = $3, withdrawn_by_user_id = $4, withdraw_reason = $5 WHERE id = $1`, [
      id, at, by, byUserId, reason,
    ]);
  }

  /** A provisional end moved once its year's calendar was confirmed (withdrawn notices keep theirs). */
  async moveEnd(em: EntityManager, id: string, endsOn: string, endsAt: Date, provisional: boolean): Promise<number> {
    const rows = rowsOf<{ id: string }>(
      await em.query(`UPDATE publicities SET ends_on = $2::date, ends_at = $3, provisional = $4 WHERE id = $1 AND withdrawn_at IS NULL RETURNING id`, [
        id, endsOn, endsAt, provisional,
      ]),
    );
    return rows.length;
  }

  /** Region codes from the province down to the code itself (its latest node), [] when unknown. */
  async regionPath(code: string, em?: EntityManager): Promise<{ path: string[]; level: string; name: string } | null> {
    const [row] = (await this.q(em).query(`SELECT path, level, name FROM regions WHERE code = $1 ORDER BY valid_to DESC NULLS FIRST LIMIT 1`, [code])) as {
      path: string;
      level: string;
      name: string;
    }[];
    return row ? { path: row.path.split('/').filter(Boolean), level: row.level, name: row.name } : null;
  }
}
