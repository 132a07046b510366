import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../api';
import { Clock } from '../common';
import { callerOf } from '../api';
import { inTransaction } from '../database';
import { MATERIAL_LABELS, missingMaterials } from './application-types';
import { ApplicantAction, ApplicationEvents } from './application-events';
import { ApplicationProcess } from './application-process.service';
import { ApplicationQueries } from './application-queries.service';
import { canMove } from './application.state';
import { ApplicationView } from './application.dto';
import { ApplicationViews } from './application-views';
import { appealNotOpen, applicationNotFound, correctionNotRequested, notWithdrawable } from './applications.errors';
import { ApplicationRow, ApplicationsRepository } from './applications.repository';
import { ApplicationsService } from './applications.service';
import { shanghaiDate } from './household';
import { MaterialDto } from './submit-application.dto';

/**
 * What the applicant (or window staff for them) does while the process runs: withdraw, answer a
 * 补正 notice with the missing materials, ask for 复核 of a refusal. Each is one transaction with
 * the application row locked: the change, its history row and the process being told (through
 * ApplicationEvents; a process that cannot take it rolls the change back).
 */
@Injectable()
export class ApplicantActions {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ApplicationsRepository,
    private readonly queries: ApplicationQueries,
    private readonly applications: ApplicationsService,
    private readonly process: ApplicationProcess,
    private readonly views: ApplicationViews,
    private readonly events: ApplicationEvents,
    private readonly clock: Clock,
  ) {}

  /** Withdraws an application under review (撤回申请): status withdrawn at once, the process stops. */
  withdrawAs(actor: Actor, applicationId: string, reason: string): Promise<ApplicationView> {
    return this.act(actor, applicationId, async (em, app) => {
      if (!canMove(app.status, 'withdrawn')) throw notWithdrawable(app.status);
      await this.applications.changeStatus(app.id, 'withdrawn', `申请人撤回申请：${reason}`, callerOf(actor), em);
      return { kind: 'withdrawn', reason };
    });
  }

  /**
   * Adds the materials a 补正 notice asked for. When nothing required is missing any more, the
   * process goes on (the statutory clock runs again); otherwise the answer lists what still is.
   */
  supplyMaterialsAs(actor: Actor, applicationId: string, materials: MaterialDto[]): Promise<ApplicationView> {
    return this.act(actor, applicationId, async (em, app) => {
      if (app.status !== 'correction_requested') throw correctionNotRequested(app.status);
      const now = this.clock.now();
      const members = await this.repo.members(app.id, em);
      await this.repo.insertMaterials(
        em,
        materials.map((m) => ({
          application_id: app.id,
          member_id: m.memberIndex === undefined ? null : (members[m.memberIndex]?.id ?? null),
          kind: m.kind,
          reference: m.reference,
          sha256: m.sha256,
          file_name: m.fileName ?? null,
          added_at: now,
          added_by_user_id: actor.id,
        })),
      );
      const given = (await this.repo.materials(app.id, em)).map((m) => m.kind);
      const missing = missingMaterials(app.type, given);
      if (missing.length) return null;
      return { kind: 'materialsSupplied', reason: `补正材料：${materials.map((m) => MATERIAL_LABELS[m.kind]['zh-CN']).join('、')}` };
    });
  }

  /** Asks for 复核 of a refusal, before the deadline the decision named; once per refusal. */
  appealAs(actor: Actor, applicationId: string, reason: string): Promise<ApplicationView> {
    return this.act(actor, applicationId, async (em, app) => {
      if (app.status !== 'rejected') throw appealNotOpen(`Only a refused application can be appealed (it is ${app.status})`, { status: app.status });
      const { reviews } = await this.process.reviews(app.id, em);
      const refusal = [...reviews].reverse().find((r) => r.stage === 'decision' || r.stage === 'appeal_review');
      if (refusal?.stage === 'appeal_review') throw appealNotOpen('The refusal was already reviewed (复核); it can now be challenged by administrative reconsideration or in court', { status: app.status });
      const today = shanghaiDate(this.clock.now());
      if (refusal?.appealDeadline && today > refusal.appealDeadline) {
        throw appealNotOpen(`The time to ask for 复核 ended on ${refusal.appealDeadline}`, { appealDeadline: refusal.appealDeadline });
      }
      await this.applications.changeStatus(app.id, 'appeal', `申请人申请复核：${reason}`, callerOf(actor), em);
      await this.process.recordReview(app.id, { stage: 'appeal_request', outcome: 'requested', reasons: [reason], decidedBy: actor.username, decidedByUserId: actor.id }, `appeal-request:${app.id}`, em);
      return { kind: 'appealFiled', reason };
    });
  }

  private async act(actor: Actor, applicationId: string, change: (em: EntityManager, app: ApplicationRow) => Promise<Pick<ApplicantAction, 'kind' | 'reason'> | null>): Promise<ApplicationView> {
    const visible = await this.queries.visible(actor, applicationId);
    return inTransaction(this.ds, async (em) => {
      const app = await this.repo.find(visible.id, em, true);
      if (!app) throw applicationNotFound(applicationId);
      const action = await change(em, app);
      if (action) await this.events.applicantAction(em, { applicationId: app.id, caseNumber: app.case_number, ...action, by: actor.username });
      return this.views.view(em, (await this.repo.find(app.id, em))!);
    });
  }
}
