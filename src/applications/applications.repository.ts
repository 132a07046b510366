import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../api';
import { rowsOf } from '../database';
import { PersonalDataService, regionScopeSql } from '../identity';
import type { CheckType } from '../connectors';
import type { ApplicationType, Channel, MaterialKind, Relationship, SignatureMethod } from './application-types';
import type { ApplicationStatus } from './application.state';
import type { HouseholdSnapshot } from './household';
import { FACTS_FIELD, OpenSnapshot, SealedHouseholdFacts, isUnsealed, joinSnapshot, splitSnapshot } from './household-facts';

export interface ApplicationRow {
  id: string;
  case_number: string;
  type: ApplicationType;
  channel: Channel;
  region_code: string;
  target_region_code: string | null;
  status: ApplicationStatus;
  /** the whole frozen household: the clear part joined with the sealed facts (household-facts.ts) */
  household_snapshot: HouseholdSnapshot;
  snapshot_sha256: string;
  snapshot_intact: boolean;
  address_enc: string;
  phone_enc: string;
  applicant_id_bidx: string;
  applicant_user_id: string | null;
  filed_by_user_id: string;
  filed_by_username: string | null;
  filed_by_role: string;
  submitted_at: Date;
  status_changed_at: Date;
  version: number;
}

export interface MemberRow {
  id: string;
  application_id: string;
  position: number;
  relationship: Relationship;
  name_enc: string;
  id_number_enc: string;
  id_number_bidx: string;
  adult: boolean;
  commitment_signed_at: Date | null;
  commitment_method: SignatureMethod | null;
  commitment_text_version: string | null;
  commitment_document_sha256: string | null;
}

export interface AuthorisationRow {
  id: string;
  application_id: string;
  member_id: string;
  checks: CheckType[];
  signed_by: 'self' | 'guardian';
  method: SignatureMethod;
  document_sha256: string | null;
  signed_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface MaterialRow {
  id: string;
  application_id: string;
  member_id: string | null;
  kind: MaterialKind;
  reference: string;
  sha256: string;
  file_name: string | null;
  added_at: Date;
  added_by_user_id: string;
}

export interface HistoryRow {
  from_status: ApplicationStatus | null;
  to_status: ApplicationStatus;
  reason: string;
  changed_by_user_id: string | null;
  changed_by: string;
  changed_at: Date;
}

export type NewApplication = Omit<ApplicationRow, 'snapshot_sha256' | 'snapshot_intact' | 'filed_by_username' | 'status_changed_at' | 'version'>;
export type NewAuthorisation = Omit<AuthorisationRow, 'revoked_at'> & { created_at: Date };
export type NewMaterial = Omit<MaterialRow, 'id'>;

export interface ApplicationFilter {
  status?: ApplicationStatus;
  type?: ApplicationType;
  channel?: Channel;
  regionCode?: string;
  caseNumber?: string;
  submittedFrom?: string;
  submittedTo?: string;
  limit: number;
  offset: number;
}

const APPLICATION_COLUMNS = `a.*, u.username AS filed_by_username`;

/** A row as stored: the snapshot's clear part and the envelope of its facts. */
type StoredRow = Omit<ApplicationRow, 'household_snapshot' | 'snapshot_intact'> & { household_snapshot: OpenSnapshot | HouseholdSnapshot; household_facts_enc: string | null };
const SELECT_APPLICATION = `SELECT ${APPLICATION_COLUMNS} FROM applications a LEFT JOIN users u ON u.id = a.filed_by_user_id`;

/** The subtree of region codes under the code in parameter $n (the code itself included). */
const SUBTREE = (n: number) => `SELECT r.code FROM regions r JOIN regions s ON starts_with(r.path, s.path) WHERE s.code = $${n}`;

/** Who may see an application: the household's or the target region in scope, or the applicant's own. */
function scopeOf(actor: Actor, params: unknown[]): string {
  const home = regionScopeSql(actor, 'a.region_code', params, { ownerColumn: 'a.applicant_user_id' });
  const target = regionScopeSql(actor, 'a.target_region_code', params);
  return `(${home} OR ${target})`;
}

@Injectable()
export class ApplicationsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly personal: PersonalDataService,
  ) {}

  private q(em?: EntityManager) {
    return em ?? this.ds;
  }

  /**
   * The whole snapshot of a stored row (its sealed facts opened for use inside the platform) and,
   * with `verify`, whether it still hashes to `snapshot_sha256` (PostgreSQL's jsonb text, as at submission).
   */
  private async hydrate<R extends StoredRow>(row: R, em: EntityManager | undefined, verify: boolean): Promise<Omit<R, 'household_facts_enc'> & ApplicationRow> {
    const { household_facts_enc: enc, ...rest } = row;
    const snapshot =
      enc === null || isUnsealed(row.household_snapshot)
        ? (row.household_snapshot as HouseholdSnapshot)
        : joinSnapshot(row.household_snapshot as OpenSnapshot, JSON.parse(this.personal.decryptForUse(FACTS_FIELD, enc)) as SealedHouseholdFacts);
    let intact = false;
    if (verify) {
      const [h] = (await this.q(em).query(`SELECT encode(sha256(convert_to($1::jsonb::text, 'UTF8')), 'hex') = $2 AS intact`, [JSON.stringify(snapshot), row.snapshot_sha256])) as {
        intact: boolean;
      }[];
      intact = h.intact;
    }
    return { ...rest, household_snapshot: snapshot, snapshot_intact: intact } as Omit<R, 'household_facts_enc'> & ApplicationRow;
  }

  /** The next sequence number of a region's year; the counter row stays locked until the transaction ends. */
  async nextSequence(em: EntityManager, region: string, year: number): Promise<number> {
    const [row] = (await em.query(
      `INSERT INTO application_case_counters (region_code, year, last_value) VALUES ($1, $2, 1)
       ON CONFLICT (region_code, year) DO UPDATE SET last_value = application_case_counters.last_value + 1
       RETURNING last_value`,
      [region, year],
    )) as { last_value: number }[];
    return row.last_value;
  }

  /** True when the region code lies inside the actor's data scope. */
  async inScope(actor: Actor, code: string, em?: EntityManager): Promise<boolean> {
    const params: unknown[] = [code];
    const scope = regionScopeSql(actor, 'v.code', params);
    const rows: unknown[] = await this.q(em).query(`SELECT 1 FROM (VALUES ($1::text)) AS v (code) WHERE ${scope}`, params);
    return rows.length > 0;
  }

  // identity's accounts, read-only: an applicant files only as the person their account belongs
  // to, and an application filed at a window reaches the applicant's own account when there is one.
  async accountIdNumberBidx(userId: string, em?: EntityManager): Promise<string | null> {
    const [row] = (await this.q(em).query(`SELECT id_number_bidx FROM users WHERE id = $1`, [userId])) as { id_number_bidx: string | null }[];
    return row?.id_number_bidx ?? null;
  }

  async applicantAccountByBidx(bidx: string, em?: EntityManager): Promise<string | null> {
    const [row] = (await this.q(em).query(`SELECT id FROM users WHERE id_number_bidx = $1 AND kind = 'applicant' AND status = 'active'`, [bidx])) as { id: string }[];
    return row?.id ?? null;
  }

  /** Stores the household's clear part and its sealed facts; the hash covers the whole snapshot (household-facts.ts). */
  async insertApplication(em: EntityManager, a: NewApplication): Promise<void> {
    const { open, sealed } = splitSnapshot(a.household_snapshot);
    await em.query(
      `INSERT INTO applications (id, case_number, type, channel, region_code, target_region_code, status, household_snapshot, snapshot_sha256,
                                 household_facts_enc, address_enc, phone_enc, applicant_id_bidx, applicant_user_id, filed_by_user_id, filed_by_role,
                                 submitted_at, status_changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, encode(sha256(convert_to($16::jsonb::text, 'UTF8')), 'hex'),
               $17, $9, $10, $11, $12, $13, $14, $15, $15)`,
      [a.id, a.case_number, a.type, a.channel, a.region_code, a.target_region_code, a.status, JSON.stringify(open),
        a.address_enc, a.phone_enc, a.applicant_id_bidx, a.applicant_user_id, a.filed_by_user_id, a.filed_by_role, a.submitted_at,
        JSON.stringify(a.household_snapshot), this.personal.protect(FACTS_FIELD, JSON.stringify(sealed)).enc],
    );
  }

  async insertMembers(em: EntityManager, members: MemberRow[]): Promise<void> {
    for (const m of members) {
      await em.query(
        `INSERT INTO application_members (id, application_id, position, relationship, name_enc, id_number_enc, id_number_bidx, adult,
                                          commitment_signed_at, commitment_method, commitment_text_version, commitment_document_sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [m.id, m.application_id, m.position, m.relationship, m.name_enc, m.id_number_enc, m.id_number_bidx, m.adult,
          m.commitment_signed_at, m.commitment_method, m.commitment_text_version, m.commitment_document_sha256],
      );
    }
  }

  async insertAuthorisations(em: EntityManager, rows: NewAuthorisation[]): Promise<void> {
    for (const a of rows) {
      await em.query(
        `INSERT INTO application_authorisations (id, application_id, member_id, checks, signed_by, method, document_sha256, signed_at, expires_at, created_at)
         VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8, $9, $10)`,
        [a.id, a.application_id, a.member_id, a.checks, a.signed_by, a.method, a.document_sha256, a.signed_at, a.expires_at, a.created_at],
      );
    }
  }

  async insertMaterials(em: EntityManager, rows: NewMaterial[]): Promise<void> {
    for (const m of rows) {
      await em.query(
        `INSERT INTO application_materials (application_id, member_id, kind, reference, sha256, file_name, added_at, added_by_user_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [m.application_id, m.member_id, m.kind, m.reference, m.sha256, m.file_name, m.added_at, m.added_by_user_id],
      );
    }
  }

  async appendHistory(em: EntityManager, applicationId: string, h: HistoryRow): Promise<void> {
    await em.query(
      `INSERT INTO application_status_history (application_id, from_status, to_status, reason, changed_by_user_id, changed_by, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [applicationId, h.from_status, h.to_status, h.reason, h.changed_by_user_id, h.changed_by, h.changed_at],
    );
  }

  async setStatus(em: EntityManager, id: string, status: ApplicationStatus, at: Date): Promise<void> {
    await em.query(`UPDATE applications SET status = $2, status_changed_at = $3, version = version + 1 WHERE id = $1`, [id, status, at]);
  }

  /** One application, whoever asks (services and process steps); `lock` holds its row until the transaction ends. */
  async find(id: string, em?: EntityManager, lock = false): Promise<ApplicationRow | null> {
    if (lock) await this.q(em).query(`SELECT 1 FROM applications WHERE id = $1 FOR UPDATE`, [id]);
    const rows: StoredRow[] = await this.q(em).query(`${SELECT_APPLICATION} WHERE a.id = $1`, [id]);
    return rows[0] ? this.hydrate(rows[0], em, true) : null;
  }

  async idByCaseNumber(caseNumber: string, em?: EntityManager): Promise<string | null> {
    const [row] = (await this.q(em).query(`SELECT id FROM applications WHERE case_number = $1`, [caseNumber])) as { id: string }[];
    return row?.id ?? null;
  }

  /** One application if the actor may see it (else null: a 404 that does not tell whether it exists). */
  async findVisible(actor: Actor, id: string, em?: EntityManager): Promise<ApplicationRow | null> {
    const params: unknown[] = [id];
    const scope = scopeOf(actor, params);
    const rows: StoredRow[] = await this.q(em).query(`${SELECT_APPLICATION} WHERE a.id = $1 AND ${scope}`, params);
    return rows[0] ? this.hydrate(rows[0], em, true) : null;
  }

  async list(actor: Actor, f: ApplicationFilter): Promise<{ rows: (ApplicationRow & { applicant_name_enc: string })[]; total: number }> {
    const params: unknown[] = [];
    const where = [scopeOf(actor, params)];
    const add = (sql: (n: number) => string, value: unknown) => where.push(sql(params.push(value)));
    if (f.status) add((n) => `a.status = $${n}`, f.status);
    if (f.type) add((n) => `a.type = $${n}`, f.type);
    if (f.channel) add((n) => `a.channel = $${n}`, f.channel);
    if (f.caseNumber) add((n) => `a.case_number = $${n}`, f.caseNumber);
    if (f.submittedFrom) add((n) => `a.submitted_at >= $${n}`, f.submittedFrom);
    if (f.submittedTo) add((n) => `a.submitted_at < $${n}`, f.submittedTo);
    if (f.regionCode) add((n) => `(a.region_code IN (${SUBTREE(n)}) OR a.target_region_code IN (${SUBTREE(n)}))`, f.regionCode);
    const sql = where.join(' AND ');
    const [{ total }] = (await this.ds.query(`SELECT count(*)::int AS total FROM applications a WHERE ${sql}`, params)) as { total: number }[];
    const rows = (await this.ds.query(
      `SELECT ${APPLICATION_COLUMNS}, m.name_enc AS applicant_name_enc
         FROM applications a LEFT JOIN users u ON u.id = a.filed_by_user_id
         JOIN application_members m ON m.application_id = a.id AND m.position = 1
        WHERE ${sql} ORDER BY a.submitted_at DESC, a.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, f.limit, f.offset],
    )) as (StoredRow & { applicant_name_enc: string })[];
    // a list shows no hash check (snapshot_intact stays false here); one application's view does
    return { rows: await Promise.all(rows.map((r) => this.hydrate(r, undefined, false))), total };
  }

  members(applicationId: string, em?: EntityManager): Promise<MemberRow[]> {
    return this.q(em).query(`SELECT * FROM application_members WHERE application_id = $1 ORDER BY position`, [applicationId]);
  }

  authorisations(applicationId: string, em?: EntityManager): Promise<AuthorisationRow[]> {
    return this.q(em).query(`SELECT * FROM application_authorisations WHERE application_id = $1 ORDER BY signed_at, id`, [applicationId]);
  }

  materials(applicationId: string, em?: EntityManager): Promise<MaterialRow[]> {
    return this.q(em).query(`SELECT * FROM application_materials WHERE application_id = $1 ORDER BY added_at, id`, [applicationId]);
  }

  async history(applicationId: string, em?: EntityManager): Promise<HistoryRow[]> {
    return rowsOf<HistoryRow>(
      await this.q(em).query(
        `SELECT from_status, to_status, reason, changed_by_user_id, changed_by, changed_at FROM application_status_history WHERE application_id = $1 ORDER BY id`,
        [applicationId],
      ),
    );
  }
}
