import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../api';
import { CLOSED_STATUSES } from '../applications';
import { CalendarDeadlinesService, CalendarService, MovedDeadline, toCalendarDate } from '../calendar';
import { Clock, isUuid } from '../common';
import { withManager } from '../database';
import { PersonalDataService } from '../identity';
import { Caller, callerOf, callerRef, callerUserId } from '../api';
import { maskedContent } from './masked-content';
import { ObjectionsRepository } from './objections.repository';
import { TransactionAudit } from '../audit';
import { ObjectionListener, PublicityEvents, VerificationListener } from './publicity-events';
import { PublicityRules } from './publicity-rules.service';
import { objectionView, staffView, statusOf } from './publicity-views';
import { CasePublicityView, ObjectionView, PublicityView } from './publicity.dto';
import { applicationClosed, applicationNotFound, notWithdrawable, publicityNotFound, reasonRequired, roundInvalid } from './publicity.errors';
import { PublicityRepository, PublicityRow } from './publicity.repository';
import { PublicityRound, isPublicityRound } from './publicity.state';

/** Tracked calendar deadlines of notices whose end lies in a year without a confirmed calendar. */
const DEADLINE_KIND = 'publicity';

export interface PublishResult extends PublicityView {
  /** false when the round was already published (and not withdrawn): the existing notice is returned */
  created: boolean;
}

/**
 * 公示 of applications. Plain methods the application process calls from its service tasks, in
 * the step's transaction: `publish(em, applicationId, round, by)` (idempotent per round),
 * `withdraw`, `withdrawAllOf`, `objectionsOf`, `onObjection`. A notice's status is computed from
 * the clock on every read, so it ends at 24:00 of its last day without any job.
 */
@Injectable()
export class PublicityService implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: PublicityRepository,
    private readonly objections: ObjectionsRepository,
    private readonly rules: PublicityRules,
    private readonly calendar: CalendarService,
    private readonly deadlines: CalendarDeadlinesService,
    private readonly personal: PersonalDataService,
    private readonly events: PublicityEvents,
    private readonly audit: TransactionAudit,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.deadlines.onMoved((em, moved) => this.moveProvisionalEnds(em, moved));
  }

  /** Registers a listener called in the transaction that stores each objection (see PublicityEvents). */
  onObjection(listener: ObjectionListener): void {
    this.events.onObjection(listener);
  }

  /** Registers a listener called in the transaction that records each verification outcome. */
  onVerification(listener: VerificationListener): void {
    this.events.onVerification(listener);
  }

  /**
   * Publishes round 1 or 2 of an application: masked content frozen now; it starts on the working
   * day it is published (or the next one) and ends N working days later by the region's rule.
   * Publishing a round that already has a notice (not withdrawn) returns that notice.
   */
  async publish(em: EntityManager | undefined, applicationId: string, round: PublicityRound, by: Caller): Promise<PublishResult> {
    if (!isPublicityRound(round)) throw roundInvalid(round);
    if (!isUuid(applicationId)) throw applicationNotFound(applicationId);
    const result = await withManager(this.ds, em, async (m) => {
      const app = await this.repo.lockApplication(m, applicationId);
      if (!app) throw applicationNotFound(applicationId);
      const existing = await this.repo.active(m, applicationId, round);
      if (existing) return { ...(await this.view(existing, m)), created: false };
      if (CLOSED_STATUSES.includes(app.status)) throw applicationClosed(app.status);
      const now = this.clock.now();
      const today = toCalendarDate(now);
      const region = app.target_region_code ?? app.region_code;
      const rule = await this.rules.inForce(region, round, today, m);
      const first = this.calendar.deadline({ rule: 'working-days', start: today, n: 0, region });
      const end = this.calendar.deadline({ rule: rule.rule, start: first.due, n: rule.days, region });
      const id = randomUUID();
      const content = maskedContent({
        name: this.personal.decryptForUse('name', app.name_enc),
        idNumber: this.personal.decryptForUse('idNumber', app.id_number_enc),
        householdSize: app.household_size,
        type: app.type,
        street: app.home_region_name ?? app.region_code,
      });
      await this.repo.insert(m, {
        id,
        application_id: app.id,
        case_number: app.case_number,
        round,
        region_code: region,
        content,
        rule_id: rule.id,
        rule: rule.rule,
        days: rule.days,
        objection_check_days: rule.objection_check_days,
        starts_on: first.due,
        ends_on: end.due,
        // published on a working day it runs at once; otherwise from 00:00 of the next working day
        starts_at: first.due === today ? now : new Date(`${first.due}T00:00:00+08:00`),
        ends_at: end.dueInstant,
        provisional: end.provisional,
        published_at: now,
        published_by: callerRef(by),
        published_by_user_id: callerUserId(by),
      });
      if (end.provisional) await this.deadlines.track(m, { kind: DEADLINE_KIND, id }, { rule: rule.rule, start: first.due, n: rule.days, region });
      await this.audit.record(m, by, 'publicity.publish', 'publicity', id);
      return { ...(await this.view((await this.repo.find(id, m))!, m)), created: true };
    });
    if (!em) this.audit.done();
    return result;
  }

  /** Withdraws a notice that has not ended (a scheduled or running one): it leaves the public list at once. */
  async withdraw(em: EntityManager | undefined, publicityId: string, reason: string, by: Caller): Promise<PublicityView> {
    if (!reason?.trim()) throw reasonRequired();
    if (!isUuid(publicityId)) throw publicityNotFound(publicityId);
    const result = await withManager(this.ds, em, async (m) => {
      const p = await this.repo.find(publicityId, m, true);
      if (!p) throw publicityNotFound(publicityId);
      await this.withdrawRow(m, p, reason.trim(), by);
      return this.view((await this.repo.find(publicityId, m))!, m);
    });
    if (!em) this.audit.done();
    return result;
  }

  /** Withdraws every notice of an application still scheduled or running (the applicant withdrew the application); how many. */
  async withdrawAllOf(em: EntityManager, applicationId: string, reason: string, by: Caller): Promise<number> {
    if (!reason?.trim()) throw reasonRequired();
    const now = this.clock.now();
    let n = 0;
    for (const p of await this.repo.ofApplication(applicationId, em)) {
      const status = statusOf(p, now);
      if (status !== 'scheduled' && status !== 'running') continue;
      await this.repo.find(p.id, em, true);
      await this.withdrawRow(em, p, reason.trim(), by);
      n++;
    }
    return n;
  }

  async withdrawAs(actor: Actor, publicityId: string, reason: string): Promise<PublicityView> {
    if (!isUuid(publicityId) || !(await this.repo.findVisible(actor, publicityId))) throw publicityNotFound(publicityId);
    return this.withdraw(undefined, publicityId, reason, callerOf(actor));
  }

  /** Every notice of an application (both rounds, withdrawn ones too) with its objections. */
  async publicationsOf(applicationId: string, em?: EntityManager): Promise<PublicityView[]> {
    const rows = await this.repo.ofApplication(applicationId, em);
    const objections = await this.objectionViews(rows.map((r) => r.id), em);
    const now = this.clock.now();
    return rows.map((p) => staffView(p, objections.get(p.id) ?? [], now));
  }

  /** Every objection to an application's notices, oldest first (for the process and the case file). */
  async objectionsOf(applicationId: string, em?: EntityManager): Promise<ObjectionView[]> {
    const rows = await this.repo.ofApplication(applicationId, em);
    return [...(await this.objectionViews(rows.map((r) => r.id), em)).values()].flat().sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  }

  async ofCaseAs(actor: Actor, caseNumber: string): Promise<CasePublicityView> {
    const applicationId = await this.repo.applicationIdByCase(caseNumber);
    if (!applicationId || !(await this.repo.applicationVisible(actor, applicationId))) throw applicationNotFound(caseNumber);
    return { applicationId, caseNumber, notices: await this.publicationsOf(applicationId) };
  }

  async getAs(actor: Actor, publicityId: string): Promise<PublicityView> {
    const p = isUuid(publicityId) ? await this.repo.findVisible(actor, publicityId) : null;
    if (!p) throw publicityNotFound(publicityId);
    return this.view(p);
  }

  private async withdrawRow(em: EntityManager, p: PublicityRow, reason: string, by: Caller): Promise<void> {
    const now = this.clock.now();
    const status = statusOf(p, now);
    if (status === 'ended' || status === 'withdrawn') throw notWithdrawable(status);
    await this.repo.withdraw(em, p.id, now, callerRef(by), callerUserId(by), reason);
    if (p.provisional) await this.deadlines.close(em, { kind: DEADLINE_KIND, id: p.id });
    await this.audit.record(em, by, 'publicity.withdraw', 'publicity', p.id);
  }

  private async view(p: PublicityRow, em?: EntityManager): Promise<PublicityView> {
    const objections = await this.objectionViews([p.id], em);
    return staffView(p, objections.get(p.id) ?? [], this.clock.now());
  }

  private async objectionViews(publicityIds: string[], em?: EntityManager): Promise<Map<string, ObjectionView[]>> {
    const out = new Map<string, ObjectionView[]>();
    for (const o of await this.objections.ofPublicities(publicityIds, em)) {
      const list = out.get(o.publicity_id) ?? [];
      list.push(objectionView(o, this.personal));
      out.set(o.publicity_id, list);
    }
    return out;
  }

  /** A year's calendar was confirmed: provisional ends move to the real N-th working day. */
  private async moveProvisionalEnds(em: EntityManager, moved: MovedDeadline[]): Promise<void> {
    for (const d of moved) {
      if (d.owner.kind !== DEADLINE_KIND) continue;
      await this.repo.moveEnd(em, d.owner.id, d.after.due, d.after.dueAt, d.after.provisional);
      if (!d.after.provisional) await this.deadlines.close(em, d.owner);
    }
  }
}
