import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEntry, AuditRecord, GENESIS, HASH_ALG, HashAlg, normalize, seal } from './audit-chain';

/** Serialises writers of the chain (pg_advisory_xact_lock key; any constant unique to this use). */
const CHAIN_LOCK = 5_104_042_001;

interface AuditRow {
  seq: string;
  at: Date;
  user_id: string | null;
  username: string | null;
  organization_id: string | null;
  ip: string | null;
  action: string;
  method: string | null;
  path: string | null;
  object_type: string | null;
  object_id: string | null;
  fields: string[];
  purpose: string | null;
  result: AuditRecord['result'];
  status: number | null;
  error_code: string | null;
  request_id: string | null;
  hash_alg: HashAlg;
  prev_hash: string;
  hash: string;
}

export interface AuditFilter {
  from?: Date;
  to?: Date;
  userId?: string;
  username?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  result?: string;
  /** rows with seq below this (paging backwards from the newest) */
  before?: number;
  limit: number;
}

const COLUMNS = `seq, at, user_id, username, organization_id, ip, action, method, path, object_type, object_id,
  fields, purpose, result, status, error_code, request_id, hash_alg, prev_hash, hash`;

@Injectable()
export class AuditRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Appends one row: under a transaction-scoped advisory lock, reads the head of the chain and
   * inserts the next seq with its hash. In the caller's transaction when one is given (the row
   * then commits or rolls back with the change it records).
   */
  append(entry: AuditEntry, at: Date, em?: EntityManager): Promise<AuditRecord> {
    const run = async (m: EntityManager) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [CHAIN_LOCK]);
      const [head] = (await m.query(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`)) as { seq: string; hash: string }[];
      const record = seal({
        ...normalize(entry),
        seq: head ? Number(head.seq) + 1 : 1,
        at,
        hashAlg: HASH_ALG,
        prevHash: head?.hash ?? GENESIS,
      });
      await m.query(
        `INSERT INTO audit_log (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
        [
          record.seq,
          record.at,
          record.userId,
          record.username,
          record.organizationId,
          record.ip,
          record.action,
          record.method,
          record.path,
          record.objectType,
          record.objectId,
          record.fields,
          record.purpose,
          record.result,
          record.status,
          record.errorCode,
          record.requestId,
          record.hashAlg,
          record.prevHash,
          record.hash,
        ],
      );
      return record;
    };
    return em ? run(em) : this.ds.transaction(run);
  }

  async list(f: AuditFilter): Promise<AuditRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      if (value === undefined) return;
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    add('at >= ?', f.from);
    add('at < ?', f.to);
    add('user_id = ?', f.userId);
    add('username = ?', f.username);
    add('action = ?', f.action);
    add('object_type = ?', f.objectType);
    add('object_id = ?', f.objectId);
    add('result = ?', f.result);
    add('seq < ?', f.before);
    params.push(f.limit);
    const rows = (await this.ds.query(
      `SELECT ${COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.length}`,
      params,
    )) as AuditRow[];
    return rows.map(toRecord);
  }

  /** Rows with seq > after, in order: the verifier pages through the chain with it. */
  async batchAfter(after: number, limit: number): Promise<AuditRecord[]> {
    const rows = (await this.ds.query(`SELECT ${COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, limit])) as AuditRow[];
    return rows.map(toRecord);
  }
}

export function toRecord(r: AuditRow): AuditRecord {
  return {
    seq: Number(r.seq),
    at: new Date(r.at),
    userId: r.user_id,
    username: r.username,
    organizationId: r.organization_id,
    ip: r.ip,
    action: r.action,
    method: r.method,
    path: r.path,
    objectType: r.object_type,
    objectId: r.object_id,
    fields: r.fields ?? [],
    purpose: r.purpose,
    result: r.result,
    status: r.status,
    errorCode: r.error_code,
    requestId: r.request_id,
    hashAlg: r.hash_alg,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
