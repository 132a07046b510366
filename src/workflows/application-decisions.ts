import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicationProcess, Guarantee, shanghaiDate } from '../applications';
import { CalendarService } from '../calendar';
import { Clock, DomainError, isDomainError } from '../common';
import { EngineErrorCode, InstancesService, ServiceHandlerRegistry, ServiceTaskContext } from '../engine';
import { PublicityRound, PublicityService } from '../publicity';
import { WaitingListService } from '../waiting-list';
import { ApplicantMail, ProcessTasks, optionalText, processCaller, required } from './process-context';

/** The process key of processes/objection-verification.bpmn (one instance per objection, the case number as business key). */
const OBJECTION_PROCESS = 'objection_verification';

/** 行政复议 may be asked within 60 days of learning of a decision (行政复议法 art. 20): the deadline in the decision letter after 复核. */
const RECONSIDERATION_DAYS = 60;

/**
 * The application process's service tasks from 公示 to the outcome: publishing the two notices,
 * reading their objections, the decision (onto the waiting list or the subsidy roll, or a refusal
 * with reasons and the 复核 deadline), the withdrawal, and the 复核's decision. Each in one
 * transaction, each safe to run twice.
 */
@Injectable()
export class ApplicationDecisions implements OnModuleInit {
  constructor(
    private readonly registry: ServiceHandlerRegistry,
    private readonly ds: DataSource,
    private readonly process: ApplicationProcess,
    private readonly publicity: PublicityService,
    private readonly waitingList: WaitingListService,
    private readonly calendar: CalendarService,
    private readonly mail: ApplicantMail,
    private readonly tasks: ProcessTasks,
    private readonly clock: Clock,
    private readonly instances: InstancesService,
  ) {}

  onModuleInit(): void {
    const r = (name: string, h: (ctx: ServiceTaskContext) => Promise<Record<string, unknown>>) => this.registry.register(name, h);
    r('application.publish', (ctx) => this.publish(ctx));
    r('application.objections', (ctx) => this.objections(ctx));
    r('application.approve', (ctx) => this.approve(ctx));
    r('application.refuse', (ctx) => this.refuse(ctx));
    r('application.withdrawn', (ctx) => this.withdrawn(ctx));
    r('application.appealDecision', (ctx) => this.appealDecision(ctx));
  }

  /** 公示 round 1 or 2 (inputs `round`, `status`): the status, the notice (once per round), the mail; when it ends. */
  async publish(ctx: ServiceTaskContext) {
    const id = required<string>(ctx, 'applicationId');
    const round = Number(required(ctx, 'round')) as PublicityRound;
    const status = required<'publicity_first' | 'publicity_second'>(ctx, 'status');
    return this.ds.transaction(async (em) => {
      await this.process.moveTo(id, status, round === 1 ? '街道初审通过，第一次公示' : '市级复核通过，第二次公示', processCaller(ctx), em);
      const notice = await this.publicity.publish(em, id, round, processCaller(ctx));
      await this.mail.send(em, applicant(ctx), 'applicant.publicity', { caseNo: ctx.businessKey, startDate: notice.startsOn, endDate: notice.endsOn }, `bpmn:${ctx.idempotencyKey}`);
      return { publicityEndsAt: notice.endsAt };
    });
  }

  /** The objections to a round's notice: how many wait for their verification, how many were upheld (with their reasons). */
  async objections(ctx: ServiceTaskContext) {
    const round = Number(required(ctx, 'round'));
    const all = (await this.publicity.objectionsOf(required(ctx, 'applicationId'))).filter((o) => o.round === round);
    const upheld = all.filter((o) => o.status === 'upheld');
    return {
      objectionsPending: all.filter((o) => o.status === 'pending').length,
      objectionsUpheld: upheld.length,
      refusalReasons: upheld.map((o) => `公示期间异议经核查成立：${o.verification?.reasons ?? ''}`),
    };
  }

  /** 准予保障: approved, onto the waiting list (in kind, affordable rental) or the rental-subsidy roll, and the decision letter. */
  async approve(ctx: ServiceTaskContext) {
    await this.ds.transaction((em) => this.grant(em, ctx, 'decision', 'approved', ['两级公示期满，无异议或异议不成立，经审核符合保障条件'], null));
    return {};
  }

  /** 不予保障: refused with its reasons, and the last day to ask for 复核; the letter says both. */
  async refuse(ctx: ServiceTaskContext) {
    const id = required<string>(ctx, 'applicationId');
    const given = ctx.inputs.reasons;
    const reasons = Array.isArray(given) && given.some((r) => typeof r === 'string' && r.trim()) ? (given as string[]).filter((r) => r.trim()) : ['经审核不符合住房保障条件'];
    const today = shanghaiDate(this.clock.now());
    const deadline = this.calendar.deadline({ rule: 'working-days', start: today, n: required<number>(ctx, 'appealRequestDays'), region: required<string>(ctx, 'regionCode') });
    await this.ds.transaction(async (em) => {
      await this.process.moveTo(id, 'rejected', `不予保障：${reasons.join('；')}`, processCaller(ctx), em);
      await this.process.recordReview(id, { stage: 'decision', outcome: 'rejected', reasons, decidedBy: processCaller(ctx).reference, appealDeadline: deadline.due }, `bpmn:${ctx.idempotencyKey}`, em);
      await this.mail.send(em, applicant(ctx), 'applicant.decision',
        { caseNo: ctx.businessKey, approved: false, reasons, appealDeadline: deadline.due, decisionDate: today }, `bpmn:${ctx.idempotencyKey}`);
    });
    return { appealDeadlineAt: deadline.dueAt, refusalText: reasons.map((r, i) => `${i + 1}. ${r}`).join('\n') };
  }

  /** The applicant withdrew (the status moved already, with their reason): the notices come down, objections are no longer verified. */
  async withdrawn(ctx: ServiceTaskContext) {
    const id = required<string>(ctx, 'applicationId');
    await this.ds.transaction(async (em) => {
      await this.process.moveTo(id, 'withdrawn', '申请人撤回申请', processCaller(ctx), em);
      await this.publicity.withdrawAllOf(em, id, '申请人撤回申请', processCaller(ctx));
    });
    const open = (await this.ds.query(`SELECT id FROM engine_process_instances WHERE process_key = $1 AND business_key = $2 AND status = 'running'`, [
      OBJECTION_PROCESS,
      ctx.businessKey,
    ])) as { id: string }[];
    for (const o of open) {
      // a retried job may find one already ended
      await this.instances.cancel(o.id, '申请人撤回申请', null).catch((e: unknown) => {
        if (!(isDomainError(e) && e.code === EngineErrorCode.InstanceNotRunning)) throw e;
      });
    }
    return {};
  }

  /** 复核's decision (inputs `taskElementId`, `outcome` maintain|overturn, `reason`), recorded against the reviewer and sent to the applicant. */
  async appealDecision(ctx: ServiceTaskContext) {
    const id = required<string>(ctx, 'applicationId');
    const outcome = required<string>(ctx, 'outcome');
    const reason = optionalText(ctx.inputs.reason) ?? '复核决定';
    if (outcome !== 'maintain' && outcome !== 'overturn') {
      throw new DomainError('UNPROCESSABLE', 'PROCESS_VARIABLE_INVALID', `${ctx.elementId}: outcome must be maintain or overturn, not ${outcome}`, { field: 'outcome' });
    }
    await this.ds.transaction(async (em) => {
      const done = await this.tasks.completion(em, ctx.processInstanceId, required(ctx, 'taskElementId'));
      const who = { decidedBy: done?.username ?? processCaller(ctx).reference, decidedByUserId: done?.userId ?? null, taskId: done?.taskId ?? null };
      if (outcome === 'overturn') return this.grant(em, ctx, 'appeal_review', 'overturned', [reason], who);
      const today = shanghaiDate(this.clock.now());
      const deadline = this.calendar.deadline({ rule: 'calendar-rolling', start: today, n: RECONSIDERATION_DAYS, region: required<string>(ctx, 'regionCode') });
      await this.process.moveTo(id, 'rejected', `复核维持不予保障决定：${reason}`, processCaller(ctx), em);
      await this.process.recordReview(id, { stage: 'appeal_review', outcome: 'maintained', reasons: [reason], ...who, appealDeadline: deadline.due }, `bpmn:${ctx.idempotencyKey}`, em);
      await this.mail.send(em, applicant(ctx), 'applicant.decision',
        { caseNo: ctx.businessKey, approved: false, reasons: [`复核维持原决定：${reason}`], appealDeadline: deadline.due, decisionDate: today }, `bpmn:${ctx.idempotencyKey}`);
    });
    return {};
  }

  /** Approved (by the decision or by 复核): status, the guarantee by type, the record, the letter. */
  private async grant(
    em: EntityManager,
    ctx: ServiceTaskContext,
    stage: 'decision' | 'appeal_review',
    outcome: 'approved' | 'overturned',
    reasons: string[],
    who: { decidedBy: string; decidedByUserId: string | null; taskId: string | null } | null,
  ): Promise<void> {
    const id = required<string>(ctx, 'applicationId');
    const by = processCaller(ctx);
    const guarantee: Guarantee = ctx.variables.applicationType === 'prh_rental_subsidy' ? 'rental_subsidy' : 'waiting_list';
    await this.process.moveTo(id, 'approved', stage === 'decision' ? '准予保障' : `复核撤销原决定，准予保障：${reasons.join('；')}`, by, em);
    if (guarantee === 'waiting_list') await this.waitingList.enqueue(em, id, {}, by);
    const today = shanghaiDate(this.clock.now());
    const deadline = this.calendar.deadline({ rule: 'calendar-rolling', start: today, n: RECONSIDERATION_DAYS, region: required<string>(ctx, 'regionCode') });
    await this.process.recordReview(id, { stage, outcome, reasons, guarantee, decidedBy: who?.decidedBy ?? by.reference, decidedByUserId: who?.decidedByUserId, taskId: who?.taskId }, `bpmn:${ctx.idempotencyKey}`, em);
    const form = guarantee === 'waiting_list' ? '纳入公共租赁住房（保障性租赁住房）轮候库，按轮候顺序配租' : '纳入租赁补贴发放名册，按月发放租赁补贴';
    await this.mail.send(em, applicant(ctx), 'applicant.decision',
      { caseNo: ctx.businessKey, approved: true, reasons: [...reasons, form], appealDeadline: deadline.due, decisionDate: today }, `bpmn:${ctx.idempotencyKey}`);
  }
}

function applicant(ctx: ServiceTaskContext): string | null {
  return (ctx.variables.applicantUserId as string | null | undefined) ?? null;
}
