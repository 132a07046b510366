import type { PersonalDataService } from '../identity';
import type { ObjectionRow } from './objections.repository';
import type { ObjectionView, PublicNoticeView, PublicityView } from './publicity.dto';
import type { PublicityRow } from './publicity.repository';
import { OBJECTION_OUTCOME_LABELS, OBJECTION_STATUS_LABELS, PUBLICITY_ROUND_LABELS, PUBLICITY_STATUS_LABELS, PublicityStatus, publicityStatus } from './publicity.state';

const iso = (d: Date | string) => new Date(d).toISOString();

/** A stored notice's status at `now`. */
export function statusOf(p: Pick<PublicityRow, 'starts_at' | 'ends_at' | 'withdrawn_at'>, now: Date): PublicityStatus {
  return publicityStatus({ startsAt: new Date(p.starts_at), endsAt: new Date(p.ends_at), withdrawnAt: p.withdrawn_at ? new Date(p.withdrawn_at) : null }, now);
}

/** What anyone may read while a notice runs: the masked content and the period, nothing about the case. */
export function publicView(p: PublicityRow): PublicNoticeView {
  return {
    id: p.id,
    round: p.round,
    roundLabel: PUBLICITY_ROUND_LABELS[p.round],
    regionCode: p.region_code,
    regionName: p.region_name,
    content: p.content,
    startsOn: p.starts_on,
    endsOn: p.ends_on,
    endsAt: iso(p.ends_at),
  };
}

/** Staff: the notice, its status at `now`, the rule that set its period, withdrawal, objections. */
export function staffView(p: PublicityRow, objections: ObjectionView[], now: Date): PublicityView {
  const status = statusOf(p, now);
  return {
    ...publicView(p),
    applicationId: p.application_id,
    caseNumber: p.case_number,
    status,
    statusLabel: PUBLICITY_STATUS_LABELS[status],
    startsAt: iso(p.starts_at),
    provisional: p.provisional,
    period: { ruleId: p.rule_id, rule: p.rule, days: p.days, objectionCheckDays: p.objection_check_days },
    publishedAt: iso(p.published_at),
    publishedBy: p.published_by,
    withdrawal: p.withdrawn_at ? { at: iso(p.withdrawn_at), by: p.withdrawn_by!, reason: p.withdraw_reason! } : null,
    objections,
  };
}

/** Staff: an objection with its contact masked (revealing it is a separate, audited request). */
export function objectionView(o: ObjectionRow, personal: PersonalDataService): ObjectionView {
  const status = o.outcome ?? 'pending';
  return {
    id: o.id,
    publicityId: o.publicity_id,
    caseNumber: o.case_number,
    round: o.round,
    receivedAt: iso(o.received_at),
    content: o.content,
    contact: personal.masked('phone', o.contact_enc),
    verificationDueOn: o.verification_due_on,
    verificationDueAt: iso(o.verification_due_at),
    status,
    statusLabel: OBJECTION_STATUS_LABELS[status],
    verification: o.outcome
      ? { outcome: o.outcome, outcomeLabel: OBJECTION_OUTCOME_LABELS[o.outcome], reasons: o.reasons!, verifiedBy: o.verified_by!, verifiedAt: iso(o.verified_at!) }
      : null,
  };
}
