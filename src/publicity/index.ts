// 公示's public surface: other modules (and workflows/) import only from here.
export { PublicityModule } from './publicity.module';
export { PublicityService } from './publicity.service';
export type { PublishResult } from './publicity.service';
export { ObjectionsService } from './objections.service';
export { PublicNoticesService } from './public-notices.service';
export { PublicityRules, PERIOD_RULE_LABELS } from './publicity-rules.service';
export type { PeriodRule, PublicityRule } from './publicity-rules.service';
export { OBJECTION_RAISED_MESSAGE } from './publicity-events';
export type { ObjectionListener, ObjectionRaised, ObjectionVerified, VerificationListener } from './publicity-events';
export { PublicityErrorCode } from './publicity.errors';
export {
  OBJECTION_OUTCOMES,
  OBJECTION_OUTCOME_LABELS,
  PUBLICITY_ROUNDS,
  PUBLICITY_ROUND_LABELS,
  PUBLICITY_STATUSES,
  PUBLICITY_STATUS_LABELS,
  publicityStatus,
} from './publicity.state';
export type { ObjectionOutcome, PublicityRound, PublicityStatus } from './publicity.state';
export { CONTENT_FIELDS } from './masked-content';
export type { PublicityContent } from './masked-content';
export { OBJECTION_RATE } from './publicity.dto';
export type { CasePublicityView, ObjectionView, PublicNoticeView, PublicityView } from './publicity.dto';
