import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CalendarService, toCalendarDate } from '../calendar';
import { Clock, isUuid } from '../common';
import { inTransaction } from '../database';
import { PersonalDataService } from '../identity';
import { ObjectionsRepository } from './objections.repository';
import { PublicityEvents } from './publicity-events';
import { publicView, statusOf } from './publicity-views';
import { OBJECTION_RATE, ObjectionReceipt, PublicNoticePage, PublicNoticeView, RaiseObjectionDto } from './publicity.dto';
import { contentRequired, noticeNotFound, notRunning, rateLimited, regionUnknown } from './publicity.errors';
import { PublicityRepository } from './publicity.repository';

/**
 * The public side of 公示, for anyone without logging in: the notices running in a region, one
 * notice while it runs (404 before it starts and once it has ended or been withdrawn: nothing
 * after it ends), and objections (异议) while it runs, rate-limited per address and notice.
 */
@Injectable()
export class PublicNoticesService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: PublicityRepository,
    private readonly objections: ObjectionsRepository,
    private readonly calendar: CalendarService,
    private readonly personal: PersonalDataService,
    private readonly events: PublicityEvents,
    private readonly clock: Clock,
  ) {}

  async list(q: { region: string; limit?: number; offset?: number }): Promise<PublicNoticePage> {
    if (!(await this.repo.regionPath(q.region))) throw regionUnknown('region', q.region);
    const limit = q.limit ?? 100;
    const offset = q.offset ?? 0;
    const { rows, total } = await this.repo.running(q.region, this.clock.now(), limit, offset);
    return { items: rows.map(publicView), total, limit, offset };
  }

  async get(id: string): Promise<PublicNoticeView> {
    const p = isUuid(id) ? await this.repo.find(id) : null;
    if (!p || statusOf(p, this.clock.now()) !== 'running') throw noticeNotFound(id);
    return publicView(p);
  }

  /**
   * Stores an objection to a running notice: 409 once it is not running, 429 after
   * OBJECTION_RATE.limit objections from the same address to the same notice within the window.
   * The count is kept in the database (the objections themselves, under the notice's row lock), so
   * it holds across nodes and restarts; the address is kept only as a keyed hash.
   */
  async raise(id: string, dto: RaiseObjectionDto, address: string): Promise<ObjectionReceipt> {
    if (!isUuid(id)) throw noticeNotFound(id);
    const content = dto.content?.trim();
    if (!content) throw contentRequired();
    const contact = dto.contact?.trim() || null;
    // a keyed hash under the address field's index key, with a prefix of its own
    const clientKey = this.personal.blindIndex('address', `publicity-objection-client|${address}`);
    return inTransaction(this.ds, async (em) => {
      const p = await this.repo.find(id, em, true);
      if (!p) throw noticeNotFound(id);
      const now = this.clock.now();
      const status = statusOf(p, now);
      if (status !== 'running') throw notRunning(status);
      const recent = await this.objections.recent(em, id, clientKey, new Date(now.getTime() - OBJECTION_RATE.windowMs));
      if (recent.count >= OBJECTION_RATE.limit) {
        const retry = Math.max(1, Math.ceil(((recent.oldest?.getTime() ?? now.getTime()) + OBJECTION_RATE.windowMs - now.getTime()) / 1000));
        throw rateLimited(retry, OBJECTION_RATE.limit);
      }
      const due = this.calendar.deadline({ rule: 'working-days', start: toCalendarDate(now), n: p.objection_check_days, region: p.region_code });
      const objectionId = randomUUID();
      await this.objections.insert(em, {
        id: objectionId,
        publicity_id: id,
        content,
        contact_enc: contact ? this.personal.protect('phone', contact).enc : null,
        client_key: clientKey,
        received_at: now,
        verification_due_on: due.due,
        verification_due_at: due.dueInstant,
      });
      await this.events.objectionRaised(em, {
        objectionId,
        publicityId: id,
        applicationId: p.application_id,
        caseNumber: p.case_number,
        round: p.round,
        receivedAt: now,
        verificationDueOn: due.due,
        verificationDueAt: due.dueInstant,
      });
      return {
        id: objectionId,
        receivedAt: now.toISOString(),
        message: { 'zh-CN': '异议已收到，我们将在核查后处理。', en: 'Your objection has been received and will be verified.' },
      };
    });
  }
}
