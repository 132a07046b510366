// applications' public surface: other modules (and workflows/) import only from here.
export { ApplicationsModule } from './applications.module';
export { ApplicationsService } from './applications.service';
export { ApplicantActions } from './applicant-actions.service';
export { ApplicationQueries } from './application-queries.service';
export { ApplicationChecks } from './application-checks.service';
export { ApplicationEvents } from './application-events';
export type { ApplicantAction, ApplicationSubmitted } from './application-events';
export { ApplicationPeriodRules } from './application-periods.service';
export type { ApplicationPeriods } from './application-periods.service';
export { ApplicationProcess, regionsOf } from './application-process.service';
export type { EligibilityFacts, EligibilityJudgement, ProcessFacts, ReviewRecord } from './application-process.service';
export { GUARANTEES, GUARANTEE_LABELS, REVIEW_OUTCOMES, REVIEW_OUTCOME_LABELS, REVIEW_STAGES, REVIEW_STAGE_LABELS } from './application-process.dto';
export type { ApplicationReviewsView, Guarantee, ReviewOutcome, ReviewStage, ReviewView } from './application-process.dto';
export { shanghaiDate } from './household';
export { ApplicationErrorCode, processNotWaiting } from './applications.errors';
export { APPLICATION_STATUSES, APPLICATION_STATUS_LABELS, CLOSED_STATUSES, TRANSITIONS, canMove, isApplicationStatus } from './application.state';
export type { ApplicationStatus } from './application.state';
export {
  APPLICATION_TYPES,
  APPLICATION_TYPE_LABELS,
  CHANNELS,
  CHANNEL_LABELS,
  HOUSEHOLD_CATEGORIES,
  HOUSEHOLD_CATEGORY_LABELS,
  MATERIAL_KINDS,
  MATERIAL_LABELS,
  RELATIONSHIPS,
  RELATIONSHIP_LABELS,
  REQUIRED_MATERIALS,
  missingMaterials,
} from './application-types';
export type { ApplicationType, Channel, FiledByRole, HouseholdCategory, MaterialKind, Relationship } from './application-types';
export type { HouseholdSnapshot, SnapshotMember } from './household';
export { FACTS_FIELD, joinSnapshot, splitSnapshot } from './household-facts';
export type { OpenSnapshot, SealedHouseholdFacts } from './household-facts';
export { CASE_NUMBER } from './case-number';
export { SubmitApplicationDto } from './submit-application.dto';
export type { ApplicationView, ChecksView } from './application.dto';
