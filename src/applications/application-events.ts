import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** An application was submitted: its process starts in the same transaction. */
export interface ApplicationSubmitted {
  applicationId: string;
  /** the process business key */
  caseNumber: string;
}

/** The applicant (or window staff for them) withdrew, supplied the missing materials, or asked for 复核. */
export interface ApplicantAction {
  applicationId: string;
  caseNumber: string;
  kind: 'withdrawn' | 'materialsSupplied' | 'appealFiled';
  reason: string | null;
  /** the username who acted */
  by: string;
}

/**
 * Called inside the transaction of the change: a listener that throws rolls it back, so an
 * application never exists without its process, and a withdrawal never happens without the
 * process having been told. workflows/ registers the listeners at boot (the only module that
 * knows process keys and message names).
 */
export type SubmittedListener = (em: EntityManager, event: ApplicationSubmitted) => Promise<void>;
export type ApplicantActionListener = (em: EntityManager, event: ApplicantAction) => Promise<void>;

/** The in-process domain events of applications. */
@Injectable()
export class ApplicationEvents {
  private readonly submittedListeners: SubmittedListener[] = [];
  private readonly actionListeners: ApplicantActionListener[] = [];

  onSubmitted(listener: SubmittedListener): void {
    this.submittedListeners.push(listener);
  }

  onApplicantAction(listener: ApplicantActionListener): void {
    this.actionListeners.push(listener);
  }

  async submitted(em: EntityManager, event: ApplicationSubmitted): Promise<void> {
    for (const l of this.submittedListeners) await l(em, event);
  }

  async applicantAction(em: EntityManager, event: ApplicantAction): Promise<void> {
    for (const l of this.actionListeners) await l(em, event);
  }
}
