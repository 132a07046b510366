import { createHash, getHashes } from 'node:crypto';

/**
 * The hash chain of the audit log, pure. Each row's hash covers its own content and the previous
 * row's hash, so changing a row breaks its own hash, and removing one breaks the link (and the
 * gap-free sequence) at the next row. The hash is SM3 (GB/T 32905, 商用密码) through Node's
 * OpenSSL; where a Node build lacks SM3 the chain falls back to SHA-256, and each row names the
 * algorithm that sealed it so a chain stays verifiable across such a change.
 */
export type HashAlg = 'sm3' | 'sha256';

export const HASH_ALG: HashAlg = getHashes().includes('sm3') ? 'sm3' : 'sha256';

/** prev_hash of the first row */
export const GENESIS = '0'.repeat(64);

export type AuditResult = 'success' | 'failure' | 'denied' | 'error';

/** What a caller records; everything but action and result is optional. */
export interface AuditEntry {
  userId?: string | null;
  username?: string | null;
  organizationId?: string | null;
  ip?: string | null;
  action: string;
  method?: string | null;
  path?: string | null;
  objectType?: string | null;
  objectId?: string | null;
  /** the personal-data fields read or revealed, e.g. ['idNumber', 'phone'] */
  fields?: string[];
  /** the purpose stated by the caller (required to unmask) */
  purpose?: string | null;
  result: AuditResult;
  status?: number | null;
  errorCode?: string | null;
  requestId?: string | null;
}

/** A sealed row, as stored. */
export interface AuditRecord extends Required<AuditEntry> {
  seq: number;
  at: Date;
  hashAlg: HashAlg;
  prevHash: string;
  hash: string;
}

export type Unsealed = Omit<AuditRecord, 'hash'>;

/** Fills the optional fields with null (or []), so the stored and the hashed row are the same. */
export function normalize(e: AuditEntry): Required<AuditEntry> {
  return {
    userId: e.userId ?? null,
    username: e.username ?? null,
    organizationId: e.organizationId ?? null,
    ip: e.ip ?? null,
    action: e.action,
    method: e.method ?? null,
    path: e.path ?? null,
    objectType: e.objectType ?? null,
    objectId: e.objectId ?? null,
    fields: e.fields ?? [],
    purpose: e.purpose ?? null,
    result: e.result,
    status: e.status ?? null,
    errorCode: e.errorCode ?? null,
    requestId: e.requestId ?? null,
  };
}

/** The exact bytes a row's hash covers: a JSON array in a fixed order, ending with prev_hash. */
export function canonical(r: Unsealed): string {
  return JSON.stringify([
    r.seq,
    r.at.toISOString(),
    r.userId,
    r.username,
    r.organizationId,
    r.ip,
    r.action,
    r.method,
    r.path,
    r.objectType,
    r.objectId,
    r.fields,
    r.purpose,
    r.result,
    r.status,
    r.errorCode,
    r.requestId,
    r.hashAlg,
    r.prevHash,
  ]);
}

export function hashOf(r: Unsealed): string {
  return createHash(r.hashAlg).update(canonical(r), 'utf8').digest('hex');
}

export function seal(r: Unsealed): AuditRecord {
  return { ...r, hash: hashOf(r) };
}

export type ChainBreakReason = 'SEQUENCE_GAP' | 'LINK_BROKEN' | 'HASH_MISMATCH';

export interface ChainBreak {
  seq: number;
  reason: ChainBreakReason;
  message: string;
}

const EXPLAIN: Record<ChainBreakReason, string> = {
  SEQUENCE_GAP: 'rows are missing before this one (the sequence skips)',
  LINK_BROKEN: "prev_hash does not match the previous row's hash (a row before it was changed or removed)",
  HASH_MISMATCH: "the row's content does not match its hash (the row was changed)",
};

/** Walks a chain in seq order, one row at a time (so millions of rows stream through in batches). */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS;
  checked = 0;
  headHash = GENESIS;

  /** The first problem with this row, or null when it continues the chain. */
  check(row: AuditRecord): ChainBreak | null {
    const broken = (reason: ChainBreakReason): ChainBreak => ({ seq: row.seq, reason, message: `row ${row.seq}: ${EXPLAIN[reason]}` });
    if (row.seq !== this.expectedSeq) return broken('SEQUENCE_GAP');
    if (row.prevHash !== this.prevHash) return broken('LINK_BROKEN');
    if (row.hashAlg !== 'sm3' && row.hashAlg !== 'sha256') return broken('HASH_MISMATCH');
    if (hashOf(row) !== row.hash) return broken('HASH_MISMATCH');
    this.expectedSeq = row.seq + 1;
    this.prevHash = row.hash;
    this.headHash = row.hash;
    this.checked++;
    return null;
  }
}
