import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../api';
import { Clock, isUuid } from '../common';
import { Caller, callerRef } from '../api';
import { withManager } from '../database';
import { PersonalDataService } from '../identity';
import { FACTS_FIELD } from './household-facts';
import { APPLICATION_TYPE_LABELS, ApplicationType, Channel } from './application-types';
import { ApplicationPeriodRules, ApplicationPeriods } from './application-periods.service';
import { ApplicationQueries } from './application-queries.service';
import {
  ApplicationReviewsView,
  EligibilityView,
  GUARANTEE_LABELS,
  Guarantee,
  REVIEW_OUTCOME_LABELS,
  REVIEW_STAGE_LABELS,
  ReviewOutcome,
  ReviewStage,
  ReviewView,
} from './application-process.dto';
import { ApplicationStatus } from './application.state';
import { applicationNotFound } from './applications.errors';
import { ApplicationsRepository } from './applications.repository';
import { ApplicationsService } from './applications.service';
import { shanghaiDate } from './household';

/** What the application process needs of a case: routing, regions, periods; no names, no ID numbers. */
export interface ProcessFacts {
  applicationId: string;
  caseNumber: string;
  type: ApplicationType;
  typeLabel: string;
  channel: Channel;
  status: ApplicationStatus;
  /** the region that reviews the case (a remote application's target), and its street, county and city */
  regionCode: string;
  homeRegionCode: string;
  streetCode: string;
  countyCode: string;
  cityCode: string;
  /** the submission day in China time (YYYY-MM-DD) */
  receivedOn: string;
  applicantUserId: string | null;
  periods: ApplicationPeriods;
}

/**
 * The declared totals the eligibility decision reads: income and assets, so never a process
 * variable (DOMAIN.md data rules). The eligibility step loads them itself (`eligibilityFacts`).
 */
export interface EligibilityFacts {
    size: number;
    category: string;
    perCapitaMonthlyIncome: number;
    perCapitaHousingArea: number;
    vehicles: number;
    enterpriseHoldings: number;
    financialAssetsPerCapita: number;
    /** a member's hukou lies in the reviewing city */
    hukouLocal: boolean;
    /** the longest social-insurance record of any member, in months */
    insuranceMonths: number;
}

export interface EligibilityJudgement {
  decisionKey: string;
  decisionVersion: number;
  decisionDefinitionId: string;
  eligible: boolean;
  findings: { code: string; label: string }[];
  standards: Record<string, unknown> | null;
  matchedRules: string[];
  facts: Record<string, unknown>;
}

export interface ReviewRecord {
  stage: ReviewStage;
  outcome: ReviewOutcome;
  reasons?: string[];
  opinion?: string | null;
  department?: string | null;
  onlineResult?: string | null;
  /** who decided: a user (username and id) or, when nobody did, the process step */
  decidedBy: string;
  decidedByUserId?: string | null;
  escalated?: boolean;
  taskId?: string | null;
  guarantee?: Guarantee | null;
  appealDeadline?: string | null;
}

/** The street of a reviewing region: the region itself when it is a street (9 digits), else its county. */
export function regionsOf(code: string): { streetCode: string; countyCode: string; cityCode: string } {
  const county = /^\d{6}/.exec(code)?.[0] ?? code;
  return { streetCode: /^\d{9}$/.test(code) ? code : county, countyCode: county, cityCode: `${county.slice(0, 4)}00` };
}

/**
 * What the application process (processes/application.bpmn, through workflows/) reads and
 * records: the case's facts at start, idempotent status moves, the eligibility judgement with the
 * decision version that made it, and every decision taken (each level of review, each department,
 * the decision, the appeal). Writes take the caller's transaction and the job's idempotency key.
 */
@Injectable()
export class ApplicationProcess {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ApplicationsRepository,
    private readonly applications: ApplicationsService,
    private readonly queries: ApplicationQueries,
    private readonly periods: ApplicationPeriodRules,
    private readonly personal: PersonalDataService,
    private readonly clock: Clock,
  ) {}

  async facts(applicationId: string, em?: EntityManager): Promise<ProcessFacts> {
    const app = isUuid(applicationId) ? await this.repo.find(applicationId, em) : null;
    if (!app) throw applicationNotFound(applicationId);
    const review = app.target_region_code ?? app.region_code;
    const regions = regionsOf(review);
    const receivedOn = shanghaiDate(app.submitted_at);
    return {
      applicationId: app.id,
      caseNumber: app.case_number,
      type: app.type,
      typeLabel: APPLICATION_TYPE_LABELS[app.type]['zh-CN'],
      channel: app.channel,
      status: app.status,
      regionCode: review,
      homeRegionCode: app.region_code,
      ...regions,
      receivedOn,
      applicantUserId: app.applicant_user_id,
      periods: await this.periods.inForce(review, receivedOn, em),
    };
  }

  /** The declared totals of the frozen household, for the eligibility decision (read by the step that judges, never kept in variables). */
  async eligibilityFacts(applicationId: string, em?: EntityManager): Promise<EligibilityFacts> {
    const app = isUuid(applicationId) ? await this.repo.find(applicationId, em) : null;
    if (!app) throw applicationNotFound(applicationId);
    const s = app.household_snapshot;
    const { cityCode } = regionsOf(app.target_region_code ?? app.region_code);
    return {
      size: s.size,
      category: s.category,
      perCapitaMonthlyIncome: s.totals.perCapitaMonthlyIncome,
      perCapitaHousingArea: s.totals.perCapitaHousingArea,
      vehicles: s.totals.vehicles,
      enterpriseHoldings: s.totals.enterpriseHoldings,
      financialAssetsPerCapita: Math.round((s.totals.financialAssets / Math.max(s.size, 1)) * 100) / 100,
      hukouLocal: s.members.some((m) => m.hukouRegionCode.slice(0, 4) === cityCode.slice(0, 4)),
      insuranceMonths: Math.max(0, ...s.members.map((m) => m.socialInsuranceMonths ?? 0)),
    };
  }

  /**
   * Moves the status unless it is there already (a job that runs twice moves once); 409 when the
   * move is not allowed. Returns the day of the move in China time.
   */
  async moveTo(applicationId: string, to: ApplicationStatus, reason: string, by: Caller, em?: EntityManager): Promise<{ moved: boolean; on: string }> {
    return withManager(this.ds, em, async (m) => {
      const app = await this.repo.find(applicationId, m, true);
      if (!app) throw applicationNotFound(applicationId);
      if (app.status === to) return { moved: false, on: shanghaiDate(app.status_changed_at) };
      const r = await this.applications.changeStatus(applicationId, to, reason, by, m);
      return { moved: true, on: shanghaiDate(r.at) };
    });
  }

  /** Records the eligibility decision's judgement (and which version made it; the facts it read sealed); once per idempotency key. */
  async recordEligibility(applicationId: string, j: EligibilityJudgement, by: Caller, idempotencyKey: string, em?: EntityManager): Promise<void> {
    await (em ?? this.ds).query(
      `INSERT INTO application_eligibility (application_id, decision_key, decision_version, decision_definition_id, eligible, findings, standards,
                                            matched_rules, facts_enc, judged_at, judged_by, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::text[], $9, $10, $11, $12)
       ON CONFLICT ON CONSTRAINT application_eligibility_idempotency_key DO NOTHING`,
      [applicationId, j.decisionKey, j.decisionVersion, j.decisionDefinitionId, j.eligible, JSON.stringify(j.findings), j.standards ? JSON.stringify(j.standards) : null,
        j.matchedRules, this.personal.protect(FACTS_FIELD, JSON.stringify(j.facts)).enc, this.clock.now(), callerRef(by), idempotencyKey],
    );
  }

  /** Records one decision on the case; once per idempotency key. */
  async recordReview(applicationId: string, r: ReviewRecord, idempotencyKey: string, em?: EntityManager): Promise<void> {
    await (em ?? this.ds).query(
      `INSERT INTO application_reviews (application_id, stage, department, online_result, outcome, reasons, opinion, decided_by, decided_by_user_id,
                                        decided_at, escalated, task_id, guarantee, appeal_deadline, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14::date, $15)
       ON CONFLICT ON CONSTRAINT application_reviews_idempotency_key DO NOTHING`,
      [applicationId, r.stage, r.department ?? null, r.onlineResult ?? null, r.outcome, JSON.stringify(r.reasons ?? []), r.opinion ?? null, r.decidedBy,
        r.decidedByUserId ?? null, this.clock.now(), r.escalated ?? false, r.taskId ?? null, r.guarantee ?? null, r.appealDeadline ?? null, idempotencyKey],
    );
  }

  async reviewsAs(actor: Actor, applicationId: string): Promise<ApplicationReviewsView> {
    const app = await this.queries.visible(actor, applicationId);
    return { applicationId: app.id, caseNumber: app.case_number, ...(await this.reviews(app.id)) };
  }

  async reviews(applicationId: string, em?: EntityManager): Promise<{ eligibility: EligibilityView[]; reviews: ReviewView[] }> {
    const q = em ?? this.ds;
    const eligibility = (await q.query(
      `SELECT decision_key, decision_version, decision_definition_id, eligible, findings, standards, matched_rules, facts_enc, judged_at, judged_by
         FROM application_eligibility WHERE application_id = $1 ORDER BY judged_at, id`,
      [applicationId],
    )) as EligibilityRow[];
    const reviews = (await q.query(
      `SELECT stage, department, online_result, outcome, reasons, opinion, decided_by, decided_at, escalated, task_id, guarantee,
              to_char(appeal_deadline, 'YYYY-MM-DD') AS appeal_deadline
         FROM application_reviews WHERE application_id = $1 ORDER BY id`,
      [applicationId],
    )) as ReviewRow[];
    return {
      eligibility: eligibility.map((e) => ({
        decisionKey: e.decision_key,
        decisionVersion: e.decision_version,
        decisionDefinitionId: e.decision_definition_id,
        eligible: e.eligible,
        findings: e.findings,
        standards: e.standards,
        matchedRules: e.matched_rules,
        facts: JSON.parse(this.personal.decryptForUse(FACTS_FIELD, e.facts_enc)) as Record<string, unknown>,
        judgedAt: new Date(e.judged_at).toISOString(),
        judgedBy: e.judged_by,
      })),
      reviews: reviews.map(reviewView),
    };
  }
}

interface EligibilityRow {
  decision_key: string;
  decision_version: number;
  decision_definition_id: string;
  eligible: boolean;
  findings: { code: string; label: string }[];
  standards: Record<string, unknown> | null;
  matched_rules: string[];
  /** the facts the decision read, sealed (income, assets: DOMAIN.md data rules) */
  facts_enc: string;
  judged_at: Date;
  judged_by: string;
}

interface ReviewRow {
  stage: ReviewStage;
  department: string | null;
  online_result: string | null;
  outcome: ReviewOutcome;
  reasons: string[];
  opinion: string | null;
  decided_by: string;
  decided_at: Date;
  escalated: boolean;
  task_id: string | null;
  guarantee: Guarantee | null;
  appeal_deadline: string | null;
}

function reviewView(r: ReviewRow): ReviewView {
  return {
    stage: r.stage,
    stageLabel: REVIEW_STAGE_LABELS[r.stage],
    department: r.department,
    onlineResult: r.online_result,
    outcome: r.outcome,
    outcomeLabel: REVIEW_OUTCOME_LABELS[r.outcome],
    reasons: r.reasons,
    opinion: r.opinion,
    decidedBy: r.decided_by,
    decidedAt: new Date(r.decided_at).toISOString(),
    escalated: r.escalated,
    taskId: r.task_id,
    guarantee: r.guarantee,
    guaranteeLabel: r.guarantee ? GUARANTEE_LABELS[r.guarantee] : null,
    appealDeadline: r.appeal_deadline,
  };
}
