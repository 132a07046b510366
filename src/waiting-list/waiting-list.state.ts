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
