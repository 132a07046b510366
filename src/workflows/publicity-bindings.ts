import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicationProcess } from '../applications';
import { isDomainError } from '../common';
import { EngineErrorCode, MessagesService, ServiceHandlerRegistry, ServiceTaskContext } from '../engine';
import { OBJECTION_RAISED_MESSAGE, ObjectionRaised, ObjectionVerified, ObjectionsService, PublicityErrorCode, PublicityService } from '../publicity';
import { ProcessTasks, optionalText, processCaller, required } from './process-context';

/** The message the application process waits for while an objection is verified. */
export const OBJECTION_VERIFIED_MESSAGE = 'objectionVerified';

/**
 * 公示 and the processes: each objection starts its own verification (processes/objection-
 * verification.bpmn, by the message `objectionRaised`) in the transaction that stores it; the
 * verification's outcome is recorded on the objection (final) by the `publicity.verifyObjection`
 * task, and the application process, if it waits for the verifications, is told
 * (`objectionVerified`) in the transaction that records it.
 */
@Injectable()
export class PublicityBindings implements OnModuleInit {
  constructor(
    private readonly registry: ServiceHandlerRegistry,
    private readonly publicity: PublicityService,
    private readonly objections: ObjectionsService,
    private readonly process: ApplicationProcess,
    private readonly messages: MessagesService,
    private readonly tasks: ProcessTasks,
    private readonly ds: DataSource,
  ) {}

  onModuleInit(): void {
    this.publicity.onObjection((em, e) => this.raised(em, e));
    this.publicity.onVerification((em, e) => this.verified(em, e));
    this.registry.register('publicity.verifyObjection', (ctx) => this.verify(ctx));
  }

  async raised(em: EntityManager, e: ObjectionRaised): Promise<void> {
    const f = await this.process.facts(e.applicationId, em);
    await this.messages.correlateIn(
      em,
      {
        name: OBJECTION_RAISED_MESSAGE,
        businessKey: e.caseNumber,
        variables: {
          objectionId: e.objectionId,
          publicityId: e.publicityId,
          applicationId: e.applicationId,
          caseNumber: e.caseNumber,
          round: e.round,
          verificationDueAt: e.verificationDueAt.toISOString(),
          regionCode: f.regionCode,
          streetCode: f.streetCode,
          countyCode: f.countyCode,
        },
      },
      null,
    );
  }

  async verified(em: EntityManager, e: ObjectionVerified): Promise<void> {
    try {
      await this.messages.correlateIn(em, { name: OBJECTION_VERIFIED_MESSAGE, businessKey: e.caseNumber, variables: {} }, null);
    } catch (err) {
      // the application process reads the outcomes when its notice ends; it is told only if it already waits
      if (!(isDomainError(err) && err.code === EngineErrorCode.MessageNotCorrelated)) throw err;
    }
  }

  /** Records the verification (inputs `outcome`, `reasons`, `taskElementId`) against the person who completed the task. */
  async verify(ctx: ServiceTaskContext) {
    const objectionId = required<string>(ctx, 'objectionId');
    const outcome = required<'upheld' | 'not_upheld'>(ctx, 'outcome');
    const reasons = optionalText(ctx.inputs.reasons) ?? '';
    const done = await this.tasks.completion(this.ds.manager, ctx.processInstanceId, required(ctx, 'taskElementId'));
    const by = done?.userId && done.username ? { kind: 'user' as const, userId: done.userId, username: done.username } : processCaller(ctx);
    try {
      await this.objections.verify(undefined, objectionId, outcome, reasons, by);
    } catch (err) {
      // a retried job: the outcome is already recorded (and final)
      if (!(isDomainError(err) && err.code === PublicityErrorCode.AlreadyVerified)) throw err;
    }
    return {};
  }
}
