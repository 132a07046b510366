import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApplicantAction, ApplicationEvents, ApplicationProcess, ApplicationSubmitted, processNotWaiting, shanghaiDate } from '../applications';
import { Clock, isDomainError } from '../common';
import { EngineErrorCode, InstancesService, MessagesService } from '../engine';

/** The process key of processes/application.bpmn. */
export const APPLICATION_PROCESS = 'housing_application';

/**
 * Ties applications to their process: a submitted application starts `housing_application` (the
 * case number as business key) in the submitting transaction, and what the applicant does while
 * it runs reaches it as a message in the same transaction: `applicationWithdrawn` (interrupts the
 * review), `materialsSupplied` (answers the 补正 notice), `appealFiled` (asks for 复核).
 */
@Injectable()
export class ApplicationBindings implements OnModuleInit {
  private readonly logger = new Logger('ApplicationBindings');

  constructor(
    private readonly events: ApplicationEvents,
    private readonly process: ApplicationProcess,
    private readonly instances: InstancesService,
    private readonly messages: MessagesService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.onSubmitted((em, e) => this.start(em, e));
    this.events.onApplicantAction((em, e) => this.tell(em, e));
  }

  /**
   * The start variables: what routing and due dates need; no personal data and no household facts
   * (income, assets, 低保/优抚 status): the steps that need those load them from the application.
   */
  async start(em: EntityManager, e: ApplicationSubmitted): Promise<void> {
    const f = await this.process.facts(e.applicationId, em);
    const { ruleId, regionCode: _periodsRegion, effectiveFrom: _from, source: _source, ...periods } = f.periods;
    await this.instances.startIn(
      em,
      { key: APPLICATION_PROCESS },
      {
        businessKey: e.caseNumber,
        variables: {
          applicationId: f.applicationId,
          caseNumber: f.caseNumber,
          applicationType: f.type,
          typeLabel: f.typeLabel,
          channel: f.channel,
          regionCode: f.regionCode,
          homeRegionCode: f.homeRegionCode,
          streetCode: f.streetCode,
          countyCode: f.countyCode,
          cityCode: f.cityCode,
          receivedOn: f.receivedOn,
          applicantUserId: f.applicantUserId,
          periodRuleId: ruleId,
          ...periods,
        },
      },
      null,
    );
  }

  async tell(em: EntityManager, e: ApplicantAction): Promise<void> {
    const today = shanghaiDate(this.clock.now());
    const variables: Record<string, unknown> =
      e.kind === 'appealFiled' ? { appealFiledOn: today, appealReasonText: e.reason } : e.kind === 'withdrawn' ? { withdrawnOn: today, withdrawReason: e.reason } : { materialsSuppliedOn: today };
    const name = e.kind === 'withdrawn' ? 'applicationWithdrawn' : e.kind;
    try {
      await this.messages.correlateIn(em, { name, businessKey: e.caseNumber, variables }, e.by);
    } catch (err) {
      if (!(isDomainError(err) && err.code === EngineErrorCode.MessageNotCorrelated)) throw err;
      // an application without a running process (filed before processes/ had one) is withdrawn all the same
      if (e.kind === 'withdrawn') return this.logger.warn(`${e.caseNumber}: withdrawn; no process was waiting for it`);
      throw processNotWaiting(name);
    }
  }
}
