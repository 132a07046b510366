import { APPLICATION_TYPE_LABELS } from '../applications';
import type { PersonalDataService } from '../identity';
import { PRIORITY_GROUP_LABELS, bandLabel } from './priority-groups';
import type { EntryView, MyEntryView } from './waiting-list.dto';
import type { EntryRow, HistoryRow, RankedRow } from './waiting-list.repository';
import { ALARM_OUTCOME_LABELS, ENTRY_STATUS_LABELS, HISTORY_EVENT_LABELS } from './waiting-list.state';

const iso = (d: Date | string) => new Date(d).toISOString();

function band(rank: number | undefined, order: readonly string[] | undefined) {
  return rank === undefined || !order ? null : { rank, ...bandLabel(rank, order) };
}

/** Staff: an entry with the applicant's name masked and, when it waits, its place in the county's list. */
export function entryView(e: EntryRow | RankedRow, personal: PersonalDataService, order?: readonly string[]): EntryView {
  const ranked = 'position' in e ? e : undefined;
  return {
    id: e.id,
    applicationId: e.application_id,
    caseNumber: e.case_number,
    applicantName: personal.masked('name', e.applicant_name_enc),
    housingType: e.housing_type,
    housingTypeLabel: APPLICATION_TYPE_LABELS[e.housing_type],
    householdSize: e.household_size,
    householdSnapshotSha256: e.household_snapshot_sha256,
    regionCode: e.region_code,
    regionName: e.region_name,
    priorityGroups: e.priority_groups.map((code) => ({ code, label: PRIORITY_GROUP_LABELS[code] })),
    qualifiedOn: e.qualified_on,
    maxWaitUntil: e.max_wait_until,
    alarmOn: e.alarm_on,
    alarmRaisedAt: e.alarm_raised_at ? iso(e.alarm_raised_at) : null,
    status: e.status,
    statusLabel: ENTRY_STATUS_LABELS[e.status],
    statusReason: e.status_reason,
    allocationReference: e.allocation_reference,
    statusChangedAt: iso(e.status_changed_at),
    statusChangedBy: e.status_changed_by,
    position: ranked?.position ?? null,
    band: band(ranked?.band, order),
  };
}

/** An entry with its history (oldest first) and the county's answer to its alarm, if any. */
export function withHistory(view: EntryView, rows: HistoryRow[]): EntryView {
  const decided = [...rows].reverse().find((h) => h.event === 'alarm_decided');
  return {
    ...view,
    alarmDecision: decided
      ? { outcome: decided.outcome!, outcomeLabel: ALARM_OUTCOME_LABELS[decided.outcome!], reason: decided.reason, reference: decided.reference, decidedBy: decided.changed_by, decidedAt: iso(decided.changed_at) }
      : null,
    history: rows.map((h) => ({
      event: h.event,
      eventLabel: HISTORY_EVENT_LABELS[h.event],
      from: h.from_status,
      to: h.to_status,
      outcome: h.outcome,
      reason: h.reason,
      reference: h.reference,
      changedBy: h.changed_by,
      changedAt: iso(h.changed_at),
    })),
  };
}

/** The applicant's own entry: where they stand, never who the others are. */
export function myEntryView(e: EntryRow, ranked: RankedRow | null, order: readonly string[]): MyEntryView {
  return {
    id: e.id,
    caseNumber: e.case_number,
    housingType: e.housing_type,
    housingTypeLabel: APPLICATION_TYPE_LABELS[e.housing_type],
    regionCode: e.region_code,
    regionName: e.region_name,
    status: e.status,
    statusLabel: ENTRY_STATUS_LABELS[e.status],
    priorityGroups: e.priority_groups.map((code) => ({ code, label: PRIORITY_GROUP_LABELS[code] })),
    band: band(ranked?.band, order),
    qualifiedOn: e.qualified_on,
    maxWaitUntil: e.max_wait_until,
    position: ranked?.position ?? null,
    ahead: ranked ? ranked.position - 1 : null,
    aheadInBand: ranked?.ahead_in_band ?? null,
    waitingInCounty: ranked?.waiting_total ?? null,
  };
}
