import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../api';
import { Clock, isUuid } from '../common';
import { withManager } from '../database';
import { Permission, PersonalDataService } from '../identity';
import { Caller, callerOf, callerRef, callerUserId } from '../api';
import { ObjectionsRepository } from './objections.repository';
import { TransactionAudit } from '../audit';
import { PublicityEvents } from './publicity-events';
import { objectionView } from './publicity-views';
import { ListObjectionsQuery, ObjectionPage, ObjectionView, RevealedContactView, VerifyObjectionDto } from './publicity.dto';
import { PublicityErrorCode as C, alreadyVerified, badField, objectionNotFound, reasonRequired } from './publicity.errors';
import { OBJECTION_OUTCOMES, ObjectionOutcome } from './publicity.state';

/** Staff's side of objections (异议核查): the queue, the verification outcome (final), the objector's contact. */
@Injectable()
export class ObjectionsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ObjectionsRepository,
    private readonly personal: PersonalDataService,
    private readonly events: PublicityEvents,
    private readonly audit: TransactionAudit,
    private readonly clock: Clock,
  ) {}

  /**
   * Records the outcome of an objection's verification, with reasons and by whom; 409 when one is
   * already recorded. In the caller's transaction when one is given (a process step).
   */
  async verify(em: EntityManager | undefined, objectionId: string, outcome: ObjectionOutcome, reasons: string, by: Caller): Promise<ObjectionView> {
    if (!OBJECTION_OUTCOMES.includes(outcome)) throw badField(C.OutcomeInvalid, 'outcome', `must be one of ${OBJECTION_OUTCOMES.join(', ')}`);
    if (!reasons?.trim()) throw reasonRequired('reasons');
    if (!isUuid(objectionId)) throw objectionNotFound(objectionId);
    const result = await withManager(this.ds, em, async (m) => {
      const o = await this.repo.find(objectionId, m, true);
      if (!o) throw objectionNotFound(objectionId);
      if (o.outcome) throw alreadyVerified(o.outcome);
      const at = this.clock.now();
      await this.repo.verify(m, objectionId, { outcome, reasons: reasons.trim(), at, by: callerRef(by), byUserId: callerUserId(by) });
      await this.audit.record(m, by, 'publicity.objection.verify', 'publicity_objection', objectionId);
      await this.events.objectionVerified(m, {
        objectionId,
        publicityId: o.publicity_id,
        applicationId: o.application_id,
        caseNumber: o.case_number,
        round: o.round,
        outcome,
        reasons: reasons.trim(),
        verifiedBy: callerRef(by),
        verifiedAt: at,
      });
      return objectionView((await this.repo.find(objectionId, m))!, this.personal);
    });
    if (!em) this.audit.done();
    return result;
  }

  async verifyAs(actor: Actor, objectionId: string, dto: VerifyObjectionDto): Promise<ObjectionView> {
    await this.visible(actor, objectionId);
    return this.verify(undefined, objectionId, dto.outcome, dto.reasons, callerOf(actor));
  }

  async listAs(actor: Actor, q: ListObjectionsQuery): Promise<ObjectionPage> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const { rows, total } = await this.repo.list(actor, { status: q.status, region: q.region, limit, offset });
    return { items: rows.map((o) => objectionView(o, this.personal)), total, limit, offset };
  }

  async getAs(actor: Actor, objectionId: string): Promise<ObjectionView> {
    return objectionView(await this.visible(actor, objectionId), this.personal);
  }

  /** The objector's contact in clear: needs personal_data.reveal and a purpose; the audit row is written first. */
  async revealContactAs(actor: Actor, objectionId: string, purpose: string): Promise<RevealedContactView> {
    const o = await this.visible(actor, objectionId);
    const clear = await this.personal.reveal(actor, {
      permission: Permission.PersonalDataReveal,
      objectType: 'publicity_objection',
      objectId: objectionId,
      purpose,
      values: { phone: o.contact_enc },
    });
    return { id: objectionId, contact: clear.phone ?? null };
  }

  private async visible(actor: Actor, objectionId: string) {
    const o = isUuid(objectionId) ? await this.repo.findVisible(actor, objectionId) : null;
    if (!o) throw objectionNotFound(objectionId);
    return o;
  }
}
