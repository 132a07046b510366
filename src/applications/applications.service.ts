import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, Role } from '../api';
import { Clock, NotFoundError, isUuid } from '../common';
import { Caller, callerRef } from '../api';
import { inTransaction, withManager } from '../database';
import { PersonalDataService } from '../identity';
import { CHANNEL_LABELS, COMMITMENT_TEXT_VERSION, FiledByRole, MATERIAL_LABELS, MaterialKind, missingMaterials } from './application-types';
import { ApplicationStatus, canMove, isApplicationStatus } from './application.state';
import { ApplicationView } from './application.dto';
import { ApplicationEvents } from './application-events';
import { ApplicationViews } from './application-views';
import { ApplicationErrorCode as C, alreadyOpen, applicationNotFound, badField, notOwnApplication, reasonRequired, regionOutOfScope, transitionNotAllowed } from './applications.errors';
import { ApplicationsRepository, MemberRow, NewAuthorisation } from './applications.repository';
import { caseRegion, formatCaseNumber } from './case-number';
import { HouseholdSnapshot, SnapshotMember, shanghaiDate, totalsOf } from './household';
import { PreparedMember, SubmissionRules } from './submission-rules';
import { SubmitApplicationDto } from './submit-application.dto';

/**
 * Submitting applications and moving their status. Plain methods a process binding (workflows/)
 * can call: `changeStatus` with a process caller and the step's transaction, `missingMaterials`
 * for a 补正 notice, `idByCaseNumber` for the business key.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ApplicationsRepository,
    private readonly rules: SubmissionRules,
    private readonly views: ApplicationViews,
    private readonly personal: PersonalDataService,
    private readonly clock: Clock,
    private readonly events: ApplicationEvents,
  ) {}

  async submit(actor: Actor, dto: SubmitApplicationDto): Promise<ApplicationView> {
    const now = this.clock.now();
    const role: FiledByRole = actor.roles.includes(Role.WindowCaseworker) ? 'window_caseworker' : 'applicant';
    this.rules.checkChannel(role, dto);
    await this.rules.checkRegions(dto);
    const members = this.rules.prepareMembers(dto, now);
    const self = members.find((m) => m.position === 1)!;
    const applicantUserId = await this.checkFiler(actor, role, dto, self);
    const phone = this.personal.protect('phone', this.personal.checkPhone(dto.household.phone, 'household.phone'));
    const address = this.personal.protect('address', dto.household.address);
    const id = randomUUID();
    const snapshot = snapshotOf(dto, members, now);
    return inTransaction(this.ds, async (em) => {
      // numbered by the region that handles the case: the target of a remote application
      const region = caseRegion(dto.targetRegionCode ?? dto.regionCode);
      const year = Number(shanghaiDate(now).slice(0, 4));
      const caseNumber = formatCaseNumber(region, year, await this.repo.nextSequence(em, region, year));
      try {
        await this.repo.insertApplication(em, {
          id,
          case_number: caseNumber,
          type: dto.type,
          channel: dto.channel,
          region_code: dto.regionCode,
          target_region_code: dto.targetRegionCode ?? null,
          status: 'submitted',
          household_snapshot: snapshot,
          address_enc: address.enc,
          phone_enc: phone.enc,
          applicant_id_bidx: self.bidx,
          applicant_user_id: applicantUserId,
          filed_by_user_id: actor.id,
          filed_by_role: role,
          submitted_at: now,
        });
      } catch (e) {
        if (uniqueViolation(e, 'applications_open_applicant_key')) throw alreadyOpen();
        throw e;
      }
      await this.repo.insertMembers(em, members.map((m) => memberRow(id, m, this.personal)));
      await this.repo.insertAuthorisations(em, authorisationRows(id, members, now));
      await this.repo.insertMaterials(
        em,
        (dto.materials ?? []).map((m) => ({
          application_id: id,
          member_id: m.memberIndex === undefined ? null : members[m.memberIndex].id,
          kind: m.kind,
          reference: m.reference,
          sha256: m.sha256,
          file_name: m.fileName ?? null,
          added_at: now,
          added_by_user_id: actor.id,
        })),
      );
      await this.repo.appendHistory(em, id, {
        from_status: null,
        to_status: 'submitted',
        reason: `提交申请（${CHANNEL_LABELS[dto.channel]['zh-CN']}）`,
        changed_by_user_id: actor.id,
        changed_by: actor.username,
        changed_at: now,
      });
      // the application's process starts in this transaction: no application without its process
      await this.events.submitted(em, { applicationId: id, caseNumber });
      return this.views.view(em, (await this.repo.find(id, em))!);
    });
  }

  /**
   * Moves an application to another status with a reason (409 when the move is not allowed),
   * recorded in its history. In the caller's transaction when one is given.
   */
  async changeStatus(applicationId: string, to: ApplicationStatus, reason: string, by: Caller, em?: EntityManager): Promise<{ from: ApplicationStatus; to: ApplicationStatus; at: Date }> {
    if (!isApplicationStatus(to)) throw badField(C.StatusTransition, 'to', `${String(to)} is not an application status`);
    if (!reason?.trim()) throw reasonRequired();
    if (!isUuid(applicationId)) throw applicationNotFound(applicationId);
    return withManager(this.ds, em, async (m) => {
      const app = await this.repo.find(applicationId, m, true);
      if (!app) throw applicationNotFound(applicationId);
      if (!canMove(app.status, to)) throw transitionNotAllowed(app.status, to);
      const at = this.clock.now();
      await this.repo.setStatus(m, applicationId, to, at);
      await this.repo.appendHistory(m, applicationId, {
        from_status: app.status,
        to_status: to,
        reason: reason.trim(),
        changed_by_user_id: by.kind === 'user' ? by.userId : null,
        changed_by: callerRef(by),
        changed_at: at,
      });
      return { from: app.status, to, at };
    });
  }

  /** The required materials of the application's type that it does not reference yet (for a 补正 notice). */
  async missingMaterials(applicationId: string, em?: EntityManager): Promise<{ kind: MaterialKind; label: (typeof MATERIAL_LABELS)[MaterialKind] }[]> {
    const app = isUuid(applicationId) ? await this.repo.find(applicationId, em) : null;
    if (!app) throw applicationNotFound(applicationId);
    const given = (await this.repo.materials(applicationId, em)).map((m) => m.kind);
    return missingMaterials(app.type, given).map((kind) => ({ kind, label: MATERIAL_LABELS[kind] }));
  }

  /** The id behind a case number (the process business key). */
  async idByCaseNumber(caseNumber: string, em?: EntityManager): Promise<string> {
    const id = await this.repo.idByCaseNumber(caseNumber, em);
    if (!id) throw new NotFoundError(C.NotFound, `No application ${caseNumber}`, { caseNumber });
    return id;
  }

  /** An applicant files as themselves; window staff file within their data scope, for the applicant's account if there is one. */
  private async checkFiler(actor: Actor, role: FiledByRole, dto: SubmitApplicationDto, self: PreparedMember): Promise<string | null> {
    if (role === 'applicant') {
      if ((await this.repo.accountIdNumberBidx(actor.id)) !== self.bidx) throw notOwnApplication(`household.members.${self.index}.idNumber`);
      return actor.id;
    }
    const inScope = (await this.repo.inScope(actor, dto.regionCode)) || (!!dto.targetRegionCode && (await this.repo.inScope(actor, dto.targetRegionCode)));
    if (!inScope) throw regionOutOfScope('regionCode', dto.regionCode);
    return this.repo.applicantAccountByBidx(self.bidx);
  }
}

function snapshotOf(dto: SubmitApplicationDto, members: PreparedMember[], now: Date): HouseholdSnapshot {
  const snapshotMembers: SnapshotMember[] = [...members]
    .sort((a, b) => a.position - b.position)
    .map((m) => {
      const d = m.dto;
      return {
        memberId: m.id,
        position: m.position,
        relationship: d.relationship,
        idNumberBidx: m.bidx,
        gender: m.gender,
        birthDate: m.birthDate,
        ageAtSubmission: m.age,
        adult: m.adult,
        hukouRegionCode: d.hukouRegionCode,
        maritalStatus: d.maritalStatus ?? null,
        monthlyIncome: d.monthlyIncome,
        assistanceStatus: d.assistanceStatus ?? 'none',
        socialInsuranceMonths: d.socialInsuranceMonths ?? null,
        assets: {
          ownedHousingArea: d.assets.ownedHousingArea,
          ownedDwellings: d.assets.ownedDwellings,
          vehicles: d.assets.vehicles,
          enterpriseHoldings: d.assets.enterpriseHoldings,
          financialAssets: d.assets.financialAssets ?? null,
        },
        commitment: d.commitment
          ? { signedAt: new Date(d.commitment.signedAt).toISOString(), method: d.commitment.method, textVersion: d.commitment.textVersion ?? COMMITMENT_TEXT_VERSION }
          : null,
        authorisation: d.authorisation
          ? {
              checks: [...d.authorisation.checks],
              signedAt: new Date(d.authorisation.signedAt).toISOString(),
              expiresAt: new Date(d.authorisation.expiresAt).toISOString(),
              method: d.authorisation.method,
              signedBy: d.authorisation.signedBy ?? 'self',
            }
          : null,
      };
    });
  const adults = snapshotMembers.filter((m) => m.adult).length;
  return {
    schemaVersion: 1,
    capturedAt: now.toISOString(),
    type: dto.type,
    channel: dto.channel,
    regionCode: dto.regionCode,
    targetRegionCode: dto.targetRegionCode ?? null,
    category: dto.household.category,
    size: snapshotMembers.length,
    adults,
    minors: snapshotMembers.length - adults,
    totals: totalsOf(snapshotMembers),
    members: snapshotMembers,
  };
}

function memberRow(applicationId: string, m: PreparedMember, personal: PersonalDataService): MemberRow {
  const c = m.dto.commitment;
  const id = personal.protect('idNumber', m.idNumber);
  return {
    id: m.id,
    application_id: applicationId,
    position: m.position,
    relationship: m.dto.relationship,
    name_enc: personal.protect('name', m.dto.name).enc,
    id_number_enc: id.enc,
    id_number_bidx: id.bidx!,
    adult: m.adult,
    commitment_signed_at: c ? new Date(c.signedAt) : null,
    commitment_method: c?.method ?? null,
    commitment_text_version: c ? (c.textVersion ?? COMMITMENT_TEXT_VERSION) : null,
    commitment_document_sha256: c?.documentSha256 ?? null,
  };
}

function authorisationRows(applicationId: string, members: PreparedMember[], now: Date): NewAuthorisation[] {
  return members
    .filter((m) => m.dto.authorisation)
    .map((m) => {
      const a = m.dto.authorisation!;
      return {
        id: randomUUID(),
        application_id: applicationId,
        member_id: m.id,
        checks: [...a.checks],
        signed_by: a.signedBy ?? 'self',
        method: a.method,
        document_sha256: a.documentSha256 ?? null,
        signed_at: new Date(a.signedAt),
        expires_at: new Date(a.expiresAt),
        created_at: now,
      };
    });
}

function uniqueViolation(e: unknown, constraint: string): boolean {
  const err = e as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  return (err.driverError?.code ?? err.code) === '23505' && (err.driverError?.constraint ?? err.constraint) === constraint;
}
