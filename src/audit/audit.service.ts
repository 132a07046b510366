import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor, Role } from '../api';
import { Clock } from '../common';
import { AuditEntry, AuditRecord, ChainBreak, ChainVerifier, GENESIS, HASH_ALG } from './audit-chain';
import { AuditContext } from './audit-context';
import { auditReadForbidden, auditWriteFailed } from './audit.errors';
import { AuditFilter, AuditRepository } from './audit.repository';

export interface ChainReport {
  ok: boolean;
  /** rows verified before the first break (all of them when ok) */
  checked: number;
  headSeq: number;
  headHash: string;
  algorithm: string;
  firstBroken: ChainBreak | null;
}

/** Who did it, from an actor (or nobody). */
export function actorFacts(actor: Actor | null | undefined): Pick<AuditEntry, 'userId' | 'username' | 'organizationId'> {
  return actor ? { userId: actor.id, username: actor.username, organizationId: actor.organizationId } : {};
}

@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly repo: AuditRepository,
    private readonly clock: Clock,
    private readonly context: AuditContext,
  ) {}

  /** Appends a row; throws when it cannot be written. */
  record(entry: AuditEntry, em?: EntityManager): Promise<AuditRecord> {
    return this.repo.append(entry, this.clock.now(), em);
  }

  /** Appends a row, logging (never throwing) a failure: an audit problem must not break a request. */
  async tryRecord(entry: AuditEntry): Promise<AuditRecord | null> {
    try {
      return await this.record(entry);
    } catch (e) {
      this.logger.error({ err: e, action: entry.action, requestId: entry.requestId }, `audit row not written: ${(e as Error).message}`);
      return null;
    }
  }

  /**
   * Writes the current request's row now, before the action it records happens (revealing
   * personal data: no row, no disclosure), and tells the interceptor it is written.
   */
  async recordNow(entry: Omit<AuditEntry, 'result'> & { result?: AuditEntry['result'] }): Promise<void> {
    const store = this.context.current();
    const request = store ? { ip: store.request.ip, method: store.request.method, path: store.request.path, requestId: store.request.requestId } : {};
    try {
      await this.record({ ...request, ...store?.notes, result: 'success', ...entry });
    } catch (e) {
      this.logger.error({ err: e, action: entry.action }, `audit row not written: ${(e as Error).message}`);
      throw auditWriteFailed(entry.action);
    }
    if (store) store.recorded = true;
  }

  list(actor: Actor, filter: AuditFilter): Promise<AuditRecord[]> {
    if (!actor.roles.includes(Role.AuditAdmin)) throw auditReadForbidden();
    return this.repo.list(filter);
  }

  verifyAs(actor: Actor): Promise<ChainReport> {
    if (!actor.roles.includes(Role.AuditAdmin)) throw auditReadForbidden();
    return this.verify();
  }

  /** Walks the whole chain in batches and reports the first broken row, if any. */
  async verify(batchSize = 5000): Promise<ChainReport> {
    const v = new ChainVerifier();
    let after = 0;
    for (;;) {
      const rows = await this.repo.batchAfter(after, batchSize);
      for (const row of rows) {
        const broken = v.check(row);
        if (broken) return { ok: false, checked: v.checked, headSeq: v.checked, headHash: v.headHash, algorithm: HASH_ALG, firstBroken: broken };
      }
      if (rows.length < batchSize) break;
      after = rows[rows.length - 1].seq;
    }
    return { ok: true, checked: v.checked, headSeq: v.checked, headHash: v.checked ? v.headHash : GENESIS, algorithm: HASH_ALG, firstBroken: null };
  }
}
