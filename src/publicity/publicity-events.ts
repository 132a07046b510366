import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ObjectionOutcome, PublicityRound } from './publicity.state';

/**
 * The BPMN message a workflows binding correlates for each objection: name `objectionRaised`,
 * correlation key the case number (the application process's business key).
 */
export const OBJECTION_RAISED_MESSAGE = 'objectionRaised';

export interface ObjectionRaised {
  objectionId: string;
  publicityId: string;
  applicationId: string;
  /** the process business key */
  caseNumber: string;
  round: PublicityRound;
  receivedAt: Date;
  /** when the verification (异议核查) is due, by the notice's rule */
  verificationDueOn: string;
  verificationDueAt: Date;
}

export interface ObjectionVerified {
  objectionId: string;
  publicityId: string;
  applicationId: string;
  caseNumber: string;
  round: PublicityRound;
  outcome: ObjectionOutcome;
  reasons: string;
  verifiedBy: string;
  verifiedAt: Date;
}

/**
 * Called inside the transaction that stores the objection (or its verification): a listener that
 * throws rolls it back, so an objection is never stored without the process having been told.
 */
export type ObjectionListener = (em: EntityManager, event: ObjectionRaised) => Promise<void>;
export type VerificationListener = (em: EntityManager, event: ObjectionVerified) => Promise<void>;

/** The in-process domain events of 公示; workflows/ registers its listeners at boot. */
@Injectable()
export class PublicityEvents {
  private readonly objection: ObjectionListener[] = [];
  private readonly verification: VerificationListener[] = [];

  onObjection(listener: ObjectionListener): void {
    this.objection.push(listener);
  }

  onVerification(listener: VerificationListener): void {
    this.verification.push(listener);
  }

  async objectionRaised(em: EntityManager, event: ObjectionRaised): Promise<void> {
    for (const l of this.objection) await l(em, event);
  }

  async objectionVerified(em: EntityManager, event: ObjectionVerified): Promise<void> {
    for (const l of this.verification) await l(em, event);
  }
}
