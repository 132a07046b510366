import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  APPLICATION_STATUSES,
  ApplicationChecks,
  ApplicationProcess,
  ApplicationStatus,
  ApplicationsService,
  EligibilityJudgement,
  shanghaiDate,
} from '../applications';
import { CalendarService } from '../calendar';
import { Clock, DomainError } from '../common';
import { DecisionsService, ServiceHandlerRegistry, ServiceTaskContext } from '../engine';
import { departmentResults, eligibilityText, checkSummaryText } from './application-texts';
import { ApplicantMail, ProcessTasks, optionalText, processCaller, required } from './process-context';

/**
 * The application process's service tasks up to the street review's decision (processes/
 * application.bpmn): receipt, the 补正 notice, acceptance, the online comparison, the eligibility
 * judgement, status moves and the record of each level's review. Each runs in one transaction and
 * may run twice (a job is retried after a crash): status moves are skipped when already made,
 * records and mails are written once per job (its idempotency key).
 */
@Injectable()
export class ApplicationTasks implements OnModuleInit {
  constructor(
    private readonly registry: ServiceHandlerRegistry,
    private readonly ds: DataSource,
    private readonly process: ApplicationProcess,
    private readonly applications: ApplicationsService,
    private readonly checks: ApplicationChecks,
    private readonly calendar: CalendarService,
    private readonly mail: ApplicantMail,
    private readonly tasks: ProcessTasks,
    private readonly clock: Clock,
    private readonly decisions: DecisionsService,
  ) {}

  onModuleInit(): void {
    const r = (name: string, h: (ctx: ServiceTaskContext) => Promise<Record<string, unknown>>) => this.registry.register(name, h);
    r('application.receive', (ctx) => this.receive(ctx));
    r('application.requestCorrection', (ctx) => this.requestCorrection(ctx));
    r('application.correctionExpired', (ctx) => this.correctionExpired(ctx));
    r('application.accept', (ctx) => this.accept(ctx));
    r('application.runChecks', (ctx) => this.runChecks(ctx));
    r('application.recordEligibility', (ctx) => this.recordEligibility(ctx));
    r('application.setStatus', (ctx) => this.setStatus(ctx));
    r('application.recordReview', (ctx) => this.recordReview(ctx));
  }

  private today(): string {
    return shanghaiDate(this.clock.now());
  }

  /** 受理审查: are the required materials all there? */
  async receive(ctx: ServiceTaskContext) {
    const missing = await this.applications.missingMaterials(required(ctx, 'applicationId'));
    return { materialsComplete: missing.length === 0, missingMaterials: missing.map((m) => m.label['zh-CN']) };
  }

  /** 一次性告知补正: status 待补正 and one notice listing everything missing, with the day to answer by. */
  async requestCorrection(ctx: ServiceTaskContext) {
    const id = required<string>(ctx, 'applicationId');
    const today = this.today();
    const regionCode = required<string>(ctx, 'regionCode');
    const deadline = this.calendar.deadline({ rule: 'working-days', start: today, n: required<number>(ctx, 'correctionDays'), region: regionCode });
    await this.ds.transaction(async (em) => {
      const missing = (await this.applications.missingMaterials(id, em)).map((m) => m.label['zh-CN']);
      await this.process.moveTo(id, 'correction_requested', `材料不齐全，一次性告知补正：${missing.join('、')}`, processCaller(ctx), em);
      await this.mail.send(em, (ctx.variables.applicantUserId as string | null) ?? null, 'applicant.correction',
        { caseNo: ctx.businessKey, materials: missing, deadline: deadline.due }, `bpmn:${ctx.idempotencyKey}`);
    });
    return { correctionRequestedOn: today };
  }

  /** The applicant did not answer the 补正 notice in time: the refusal's reason. */
  async correctionExpired(ctx: ServiceTaskContext) {
    const missing = (ctx.variables.missingMaterials as string[] | undefined) ?? [];
    return { refusalReasons: [`未在补正期限内补齐申请材料${missing.length ? `（${missing.join('、')}）` : ''}`] };
  }

  /** 受理: status 已受理 and the 受理 notice to the applicant. */
  async accept(ctx: ServiceTaskContext) {
    const id = required<string>(ctx, 'applicationId');
    const corrected = ctx.variables.correctionRequestedOn !== undefined;
    return this.ds.transaction(async (em) => {
      const r = await this.process.moveTo(id, 'accepted', corrected ? '申请人已补正材料，予以受理' : '材料齐全，当日受理', processCaller(ctx), em);
      await this.mail.send(em, (ctx.variables.applicantUserId as string | null) ?? null, 'applicant.accepted',
        { caseNo: ctx.businessKey, acceptedAt: this.clock.now().toISOString() }, `bpmn:${ctx.idempotencyKey}`);
      return { acceptedOn: r.on };
    });
  }

  /** 线上数据比对: every department, within each member's authorisation; results by department for the joint review. */
  async runChecks(ctx: ServiceTaskContext) {
    const id = required<string>(ctx, 'applicationId');
    return this.ds.transaction(async (em) => {
      await this.process.moveTo(id, 'data_comparison', '受理后开展线上数据比对', processCaller(ctx), em);
      const view = await this.checks.runForProcess(id, { kind: 'process', reference: `process:${ctx.idempotencyKey}` }, em);
      const departments = departmentResults(view);
      return {
        departmentResults: departments,
        checkSummary: checkSummaryText(departments),
        mismatchCount: departments.filter((d) => d.result !== 'MATCH').length,
      };
    });
  }

  /**
   * 准入标准判定: evaluates the eligibility decision (input `decisionKey`, its latest version) on the
   * household's declared totals, which it loads itself (they are never process variables), and
   * keeps the judgement with the version that made it. Only the outcome goes back to the
   * process: eligible or not, the standards not met (codes and labels), the standards applied.
   *
   * A diagram of the earlier shape (a business rule task before this one) passes the judgement as
   * inputs `eligibility`, `decision` and `facts`: it is recorded as given (the facts sealed).
   */
  async recordEligibility(ctx: ServiceTaskContext) {
    const id = required<string>(ctx, 'applicationId');
    const given = ctx.inputs.eligibility ?? ctx.variables.eligibility;
    if (given !== undefined && given !== null && ctx.inputs.decisionKey === undefined) return this.recordGiven(ctx, id);
    const key = required<string>(ctx, 'decisionKey');
    const facts = await this.process.eligibilityFacts(id);
    const r = await this.decisions.evaluate(key, {
      cityCode: required(ctx, 'cityCode'),
      applicationType: required(ctx, 'applicationType'),
      applicationDate: required(ctx, 'receivedOn'),
      incomePerCapita: facts.perCapitaMonthlyIncome,
      areaPerCapita: facts.perCapitaHousingArea,
      vehicles: facts.vehicles,
      enterpriseHoldings: facts.enterpriseHoldings,
      hukouLocal: facts.hukouLocal,
      insuranceMonths: facts.insuranceMonths,
    });
    const result = (r.result ?? {}) as { eligible?: boolean; findings?: { code: string; label: string }[] | null; standards?: Record<string, unknown> | null };
    const judgement: EligibilityJudgement = {
      decisionKey: r.key,
      decisionVersion: r.version,
      decisionDefinitionId: r.decisionDefinitionId,
      eligible: result.eligible === true,
      findings: result.findings ?? [],
      standards: result.standards ?? null,
      matchedRules: r.matchedRules,
      facts: { ...facts },
    };
    await this.process.recordEligibility(id, judgement, processCaller(ctx), `bpmn:${ctx.idempotencyKey}`);
    return {
      eligibility: { eligible: judgement.eligible, findings: judgement.findings, standards: judgement.standards },
      eligibilityDecision: { key: r.key, version: r.version, decisionDefinitionId: r.decisionDefinitionId, matchedRules: r.matchedRules },
      eligibilitySummary: eligibilityText(judgement),
    };
  }

  private async recordGiven(ctx: ServiceTaskContext, id: string) {
    const result = required<{ eligible: boolean; findings: { code: string; label: string }[] | null; standards: Record<string, unknown> | null }>(ctx, 'eligibility');
    const decision = required<{ key: string; version: number; decisionDefinitionId: string; matchedRules: string[] }>(ctx, 'decision');
    const judgement: EligibilityJudgement = {
      decisionKey: decision.key,
      decisionVersion: decision.version,
      decisionDefinitionId: decision.decisionDefinitionId,
      eligible: result.eligible === true,
      findings: result.findings ?? [],
      standards: result.standards ?? null,
      matchedRules: decision.matchedRules ?? [],
      facts: (ctx.inputs.facts as Record<string, unknown>) ?? {},
    };
    await this.process.recordEligibility(id, judgement, processCaller(ctx), `bpmn:${ctx.idempotencyKey}`);
    return { eligibilitySummary: eligibilityText(judgement) };
  }

  /** Moves the status (input `status`, `reason`); the day it moved, for the stage's due date. */
  async setStatus(ctx: ServiceTaskContext) {
    const status = required<string>(ctx, 'status');
    if (!(APPLICATION_STATUSES as readonly string[]).includes(status)) {
      throw new DomainError('UNPROCESSABLE', 'PROCESS_VARIABLE_INVALID', `${ctx.elementId}: ${status} is not an application status`, { field: 'status' });
    }
    const r = await this.process.moveTo(required(ctx, 'applicationId'), status as ApplicationStatus, required(ctx, 'reason'), processCaller(ctx));
    return { statusChangedOn: r.on };
  }

  /**
   * Records a level's review (inputs `stage`, `taskElementId`, `decision`, `opinion`, `reason`)
   * against the person who completed the task; a refusal's reason becomes `refusalReasons`.
   */
  async recordReview(ctx: ServiceTaskContext) {
    const id = required<string>(ctx, 'applicationId');
    const decision = required<string>(ctx, 'decision');
    const reason = optionalText(ctx.inputs.reason);
    const reasons = decision === 'reject' && reason ? [reason] : [];
    await this.ds.transaction(async (em) => {
      const done = await this.tasks.completion(em, ctx.processInstanceId, required(ctx, 'taskElementId'));
      await this.process.recordReview(
        id,
        {
          stage: required(ctx, 'stage'),
          outcome: decision === 'approve' ? 'approve' : 'reject',
          reasons,
          opinion: optionalText(ctx.inputs.opinion),
          decidedBy: done?.username ?? processCaller(ctx).reference,
          decidedByUserId: done?.userId ?? null,
          taskId: done?.taskId ?? null,
        },
        `bpmn:${ctx.idempotencyKey}`,
        em,
      );
    });
    return { refusalReasons: reasons };
  }
}

