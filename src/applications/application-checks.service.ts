import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor, Caller, callerOf, callerRef } from '../api';
import { Clock, isUuid } from '../common';
import {
  CHECKS,
  CHECK_DEPARTMENT_LABELS,
  CHECK_RESULTS,
  CHECK_RESULT_LABELS,
  CHECK_TYPES,
  CheckRequest,
  CheckResult,
  CheckType,
  ConnectorCall,
  DepartmentChecksService,
  Label,
  consentFor,
} from '../connectors';
import { PersonalDataService, maskName } from '../identity';
import { ApplicationQueries } from './application-queries.service';
import { CLOSED_STATUSES } from './application.state';
import { CheckCallView, ChecksView, RunChecksDto } from './application.dto';
import { memberLabel } from './application-views';
import { ApplicationErrorCode as C, applicationClosed, applicationNotFound, badField } from './applications.errors';
import { ApplicationRow, ApplicationsRepository, AuthorisationRow, MemberRow } from './applications.repository';
import { declaredFacts } from './household';

/**
 * The online data comparison (线上数据比对) of an application: every check (or the ones asked for)
 * for every member (or the ones asked for), each under that member's authorisation, through the
 * configured connector set. `run` is what a process step calls (with its transaction); `runAs`
 * and `listAs` are the HTTP side, within the caller's reach.
 */
@Injectable()
export class ApplicationChecks {
  constructor(
    private readonly repo: ApplicationsRepository,
    private readonly queries: ApplicationQueries,
    private readonly checks: DepartmentChecksService,
    private readonly personal: PersonalDataService,
    private readonly clock: Clock,
  ) {}

  async runAs(actor: Actor, applicationId: string, options: RunChecksDto): Promise<ChecksView> {
    await this.queries.visible(actor, applicationId);
    return this.run(applicationId, callerOf(actor), options);
  }

  async listAs(actor: Actor, applicationId: string): Promise<ChecksView> {
    const app = await this.queries.visible(actor, applicationId);
    const members = await this.repo.members(app.id);
    return this.view(app, members, await this.checks.list(app.id));
  }

  /** Runs the checks; 409 CONSENT_MISSING (nothing asked) when an authorisation is absent, expired or does not cover a check. */
  async run(applicationId: string, by: Caller, options: { checks?: CheckType[]; memberIds?: string[] } = {}, em?: EntityManager): Promise<ChecksView> {
    const app = isUuid(applicationId) ? await this.repo.find(applicationId, em) : null;
    if (!app) throw applicationNotFound(applicationId);
    if (CLOSED_STATUSES.includes(app.status)) throw applicationClosed(app.status);
    const all = await this.repo.members(app.id, em);
    const unknown = (options.memberIds ?? []).filter((id) => !all.some((m) => m.id === id));
    if (unknown.length) throw badField(C.MemberUnknown, 'memberIds', `not members of this application: ${unknown.join(', ')}`);
    const members = options.memberIds ? all.filter((m) => options.memberIds!.includes(m.id)) : all;
    const authorisations = await this.repo.authorisations(app.id, em);
    const checks = options.checks ?? CHECK_TYPES;
    const requests: CheckRequest[] = members.flatMap((m) => {
      const facts = app.household_snapshot.members.find((s) => s.memberId === m.id)!;
      const name = this.personal.decryptForUse('name', m.name_enc);
      const subject = { idNumber: this.personal.decryptForUse('idNumber', m.id_number_enc), name, declared: declaredFacts(facts) };
      const own = authorisations
        .filter((a) => a.member_id === m.id)
        .map((a) => ({ id: a.id, checks: a.checks, signedAt: a.signed_at, expiresAt: a.expires_at, revokedAt: a.revoked_at }));
      return checks.map((check) => ({ applicationId: app.id, memberId: m.id, member: memberLabel(m, maskName(name)), subject, check, authorisations: own }));
    });
    const calls = await this.checks.run(requests, by, em);
    return this.view(app, all, calls);
  }

  /**
   * The online comparison as the application process runs it: each member is asked only what a
   * running authorisation of theirs covers (a minor without one is asked nothing), and the checks
   * nobody authorised are listed for a person to confirm instead. Idempotent per caller: a process
   * step that runs again gets the calls it already made, not new ones.
   */
  async runForProcess(applicationId: string, by: Caller, em?: EntityManager): Promise<ChecksView & { notAuthorised: { memberId: string; member: Label; check: CheckType }[] }> {
    const app = isUuid(applicationId) ? await this.repo.find(applicationId, em) : null;
    if (!app) throw applicationNotFound(applicationId);
    const members = await this.repo.members(app.id, em);
    const authorisations = await this.repo.authorisations(app.id, em);
    const at = this.clock.now();
    const covered = (m: MemberRow) =>
      CHECK_TYPES.filter((c) => consentFor(authorisations.filter((a) => a.member_id === m.id).map(toAuthorisation), c, at).ok);
    const labelled = (m: MemberRow) => memberLabel(m, this.personal.masked('name', m.name_enc) ?? '');
    const notAuthorised = members.flatMap((m) => CHECK_TYPES.filter((c) => !covered(m).includes(c)).map((check) => ({ memberId: m.id, member: labelled(m), check })));
    const ref = callerRef(by);
    const earlier = (await this.checks.list(app.id, em)).filter((c) => c.caller.reference === ref);
    if (earlier.length) return { ...this.view(app, members, earlier), notAuthorised };
    for (const m of members) {
      const checks = covered(m);
      if (checks.length) await this.run(app.id, by, { checks, memberIds: [m.id] }, em);
    }
    return { ...this.view(app, members, await this.callsOf(app.id, ref, em)), notAuthorised };
  }

  private async callsOf(applicationId: string, ref: string, em?: EntityManager): Promise<ConnectorCall[]> {
    return (await this.checks.list(applicationId, em)).filter((c) => c.caller.reference === ref);
  }

  private view(app: ApplicationRow, members: MemberRow[], calls: ConnectorCall[]): ChecksView {
    const labels = new Map<string, { position: number; label: Label }>(
      members.map((m) => [m.id, { position: m.position, label: memberLabel(m, this.personal.masked('name', m.name_enc) ?? '') }]),
    );
    const results: CheckCallView[] = calls.map((c) => ({
      id: c.id,
      memberId: c.memberId,
      memberPosition: labels.get(c.memberId)?.position ?? 0,
      member: labels.get(c.memberId)?.label ?? { 'zh-CN': '', en: '' },
      department: c.department,
      departmentLabel: CHECK_DEPARTMENT_LABELS[c.department] ?? { 'zh-CN': c.department, en: c.department },
      check: c.check,
      checkLabel: CHECKS[c.check].label,
      result: c.result,
      resultLabel: CHECK_RESULT_LABELS[c.result],
      message: c.message,
      data: c.data,
      simulated: c.simulated,
      connectorSet: c.connectorSet,
      authorisationId: c.authorisationId,
      calledBy: c.caller,
      calledAt: c.calledAt.toISOString(),
      durationMs: c.durationMs,
    }));
    const summary = Object.fromEntries(CHECK_RESULTS.map((r) => [r, calls.filter((c) => c.result === r).length])) as Record<CheckResult, number>;
    const set = this.checks.connectorSet;
    return { applicationId: app.id, caseNumber: app.case_number, connectorSet: set.name, simulated: set.simulated, results, summary };
  }
}

function toAuthorisation(a: AuthorisationRow) {
  return { id: a.id, checks: a.checks, signedAt: a.signed_at, expiresAt: a.expires_at, revokedAt: a.revoked_at };
}
