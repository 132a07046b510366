import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common';
import { withManager } from '../database';
import { Caller } from '../api';
import { Authorisation, consentFor } from './consent';
import { ConnectorCall, ConnectorCallsRepository, NewConnectorCall } from './connector-calls.repository';
import { MissingConsent, consentMissing } from './connectors.errors';
import { CHECKS, CHECK_RESULTS, CheckOutcome, CheckSubject, CheckType, ConnectorSet, Label, askDepartment } from './department-checks';

/** The injection token of the configured connector set. */
export const CONNECTOR_SET = Symbol('CONNECTOR_SET');

/** One check of one person, with the person's authorisations (all of them, in any state). */
export interface CheckRequest {
  applicationId: string;
  memberId: string;
  /** how messages name the member, e.g. 成员2（配偶，李*） */
  member: Label;
  subject: CheckSubject;
  check: CheckType;
  authorisations: readonly Authorisation[];
}

/**
 * Asks departments through the configured connector set. Every call is made under a valid query
 * authorisation of the person that covers the check (409 CONSENT_MISSING otherwise, before any
 * department is asked), and every call is recorded: in the caller's transaction when one is
 * given (a process step's change and its calls commit together), else in one of its own.
 */
@Injectable()
export class DepartmentChecksService {
  private readonly logger = new Logger('Connectors');

  constructor(
    @Inject(CONNECTOR_SET) private readonly set: ConnectorSet,
    private readonly calls: ConnectorCallsRepository,
    private readonly clock: Clock,
    private readonly ds: DataSource,
  ) {}

  /** Which set answers, and whether it is simulated (shown beside every result). */
  get connectorSet(): { name: string; simulated: boolean } {
    return { name: this.set.name, simulated: this.set.simulated };
  }

  async run(requests: readonly CheckRequest[], caller: Caller, em?: EntityManager): Promise<ConnectorCall[]> {
    const at = this.clock.now();
    const missing: MissingConsent[] = [];
    const allowed: { request: CheckRequest; authorisation: Authorisation }[] = [];
    for (const request of requests) {
      const decision = consentFor(request.authorisations, request.check, at);
      if (decision.ok) allowed.push({ request, authorisation: decision.authorisation });
      else {
        missing.push({
          memberId: request.memberId,
          member: request.member,
          check: request.check,
          problem: decision.problem,
          authorisationId: decision.authorisation?.id ?? null,
          expiresAt: decision.authorisation?.expiresAt.toISOString() ?? null,
        });
      }
    }
    if (missing.length) throw consentMissing(missing);
    const answered = await Promise.all(allowed.map(({ request, authorisation }) => this.ask(request, authorisation, caller)));
    return withManager(this.ds, em, (m) => this.calls.insertAll(m, answered));
  }

  list(applicationId: string, em?: EntityManager): Promise<ConnectorCall[]> {
    return this.calls.listByApplication(applicationId, em);
  }

  /** One department call: never throws; a failure is an ERROR result with the reason. */
  private async ask(r: CheckRequest, authorisation: Authorisation, caller: Caller): Promise<NewConnectorCall> {
    const calledAt = this.clock.now();
    // real elapsed time of the call, not business time (the injected clock may stand still in tests)
    const started = process.hrtime.bigint();
    let outcome: CheckOutcome;
    try {
      outcome = checked(await askDepartment(this.set, r.check, r.subject), r.subject);
    } catch (e) {
      this.logger.warn({ err: e, check: r.check, applicationId: r.applicationId }, `department call failed: ${(e as Error).message}`);
      outcome = {
        result: 'ERROR',
        data: null,
        message: { 'zh-CN': `部门接口调用失败：${(e as Error).message}`, en: `The department call failed: ${(e as Error).message}` },
        simulated: this.set.simulated,
      };
    }
    const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
    return {
      applicationId: r.applicationId,
      memberId: r.memberId,
      authorisationId: authorisation.id,
      department: CHECKS[r.check].department,
      check: r.check,
      result: outcome.result,
      data: outcome.data,
      message: outcome.message,
      connectorSet: this.set.name,
      simulated: this.set.simulated || outcome.simulated,
      caller,
      calledAt,
      durationMs,
    };
  }
}

/** A connector's answer, made safe to store: a known result, and no echo of the ID number in the data. */
function checked(outcome: CheckOutcome, subject: CheckSubject): CheckOutcome {
  if (!(CHECK_RESULTS as readonly string[]).includes(outcome.result)) {
    return { ...outcome, result: 'ERROR', data: null, message: { 'zh-CN': '部门返回了无法识别的结果', en: `The department answered an unknown result ${String(outcome.result)}` } };
  }
  if (outcome.data !== null && outcome.data !== undefined && JSON.stringify(outcome.data).includes(subject.idNumber)) {
    // personal identifiers are never stored in clear: keep the verdict, drop the echoed data
    return { ...outcome, data: null };
  }
  return outcome;
}
