import { CalendarSnapshot, addWorkingDays, toCalendarDate } from '../calendar';

/**
 * A task's SLA state, computed when it is read (never stored, so it is right whenever the clock
 * or the calendar moves):
 *   overdue   an open task past its due time (a closed one completed after it)
 *   due_soon  an open task due by the end of the next working day (official calendar, 调休 and
 *             holidays included; the national calendar, not a region's overlay)
 *   on_time   everything else, tasks without a due date included
 */
export const SLA_STATES = ['on_time', 'due_soon', 'overdue'] as const;
export type SlaState = (typeof SLA_STATES)[number];

export const SLA_LABELS: Record<SlaState, { 'zh-CN': string; en: string }> = {
  on_time: { 'zh-CN': '按期', en: 'On time' },
  due_soon: { 'zh-CN': '即将到期', en: 'Due soon' },
  overdue: { 'zh-CN': '已逾期', en: 'Overdue' },
};

export const STATUS_LABELS: Record<string, { 'zh-CN': string; en: string }> = {
  open: { 'zh-CN': '待办', en: 'Open' },
  completed: { 'zh-CN': '已办结', en: 'Completed' },
  cancelled: { 'zh-CN': '已取消', en: 'Cancelled' },
};

/** The two instants the states turn on: now, and the end of the next working day. */
export interface SlaBounds {
  now: Date;
  soon: Date;
}

export function slaBounds(cal: CalendarSnapshot, now: Date): SlaBounds {
  return { now, soon: addWorkingDays(cal, toCalendarDate(now), 1).dueInstant };
}

export function slaOf(task: { status: string; dueAt: Date | null; completedAt: Date | null }, b: SlaBounds): SlaState {
  if (!task.dueAt) return 'on_time';
  const due = task.dueAt.getTime();
  if (task.status !== 'open') return task.completedAt && task.completedAt.getTime() > due ? 'overdue' : 'on_time';
  if (due < b.now.getTime()) return 'overdue';
  return due <= b.soon.getTime() ? 'due_soon' : 'on_time';
}
