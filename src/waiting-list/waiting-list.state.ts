import type { Label } from './priority-groups';

/**
 * A waiting-list entry's status (轮候状态): it waits until the county allocates a unit, switches the
 * household to a rental subsidy (e.g. at the 3-year limit), or removes it with a reason (the
 * household no longer qualifies, refused twice, moved away). Every end is final.
 */
export const ENTRY_STATUSES = ['waiting', 'allocated', 'switched_to_subsidy', 'removed'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export const ENTRY_STATUS_LABELS: Readonly<Record<EntryStatus, Label>> = {
  waiting: { 'zh-CN': '轮候中', en: 'Waiting' },
  allocated: { 'zh-CN': '已配租', en: 'Allocated' },
  switched_to_subsidy: { 'zh-CN': '已转租赁补贴', en: 'Switched to rental subsidy' },
  removed: { 'zh-CN': '已移出轮候', en: 'Removed' },
};

export const ENTRY_TRANSITIONS: Readonly<Record<EntryStatus, readonly EntryStatus[]>> = {
  waiting: ['allocated', 'switched_to_subsidy', 'removed'],
  allocated: [],
  switched_to_subsidy: [],
  removed: [],
};

export function canMove(from: EntryStatus, to: EntryStatus): boolean {
  return ENTRY_TRANSITIONS[from].includes(to);
}

export function isEntryStatus(value: unknown): value is EntryStatus {
  return typeof value === 'string' && (ENTRY_STATUSES as readonly string[]).includes(value);
}

/** What a line of an entry's history records: going onto the list, the alarm, the county's answer to it, leaving the list. */
export const HISTORY_EVENTS = ['enqueued', 'alarm_raised', 'alarm_decided', 'status_changed'] as const;
export type HistoryEvent = (typeof HISTORY_EVENTS)[number];

export const HISTORY_EVENT_LABELS: Readonly<Record<HistoryEvent, Label>> = {
  enqueued: { 'zh-CN': '纳入轮候', en: 'Put on the waiting list' },
  alarm_raised: { 'zh-CN': '轮候期满预警', en: 'Waiting-term alarm raised' },
  alarm_decided: { 'zh-CN': '轮候期满预警处理', en: 'Waiting-term alarm answered' },
  status_changed: { 'zh-CN': '轮候状态变更', en: 'Status changed' },
};

/**
 * The county's answer to the 3-year alarm (轮候期满预警): allocate a unit (配租), switch the household
 * to a rental subsidy (转货币补贴), or another outcome recorded with its reasons (the entry keeps waiting).
 */
export const ALARM_OUTCOMES = ['allocate', 'switch_to_subsidy', 'other'] as const;
export type AlarmOutcome = (typeof ALARM_OUTCOMES)[number];

export const ALARM_OUTCOME_LABELS: Readonly<Record<AlarmOutcome, Label>> = {
  allocate: { 'zh-CN': '配租', en: 'Allocate a unit' },
  switch_to_subsidy: { 'zh-CN': '转货币补贴', en: 'Switch to rental subsidy' },
  other: { 'zh-CN': '其他处理', en: 'Other outcome' },
};

export function isAlarmOutcome(value: unknown): value is AlarmOutcome {
  return typeof value === 'string' && (ALARM_OUTCOMES as readonly string[]).includes(value);
}
