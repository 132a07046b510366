/**
 * A public notice's (公示) status and rounds. The status is never stored: the injected clock
 * decides it on every read from the period and the withdrawal, so a notice stops being public at
 * the end of its last day without a job having to run (no cron, no `closeDue`).
 */
export type Label = { 'zh-CN': string; en: string };

export const PUBLICITY_STATUSES = ['scheduled', 'running', 'ended', 'withdrawn'] as const;
export type PublicityStatus = (typeof PUBLICITY_STATUSES)[number];

export const PUBLICITY_STATUS_LABELS: Readonly<Record<PublicityStatus, Label>> = {
  scheduled: { 'zh-CN': '待公示', en: 'Scheduled' },
  running: { 'zh-CN': '公示中', en: 'Running' },
  ended: { 'zh-CN': '公示期满', en: 'Ended' },
  withdrawn: { 'zh-CN': '已撤回', en: 'Withdrawn' },
};

/** 三级审核两级公示: round 1 after the street review (社区/街道), round 2 after the city review. */
export const PUBLICITY_ROUNDS = [1, 2] as const;
export type PublicityRound = (typeof PUBLICITY_ROUNDS)[number];

export const PUBLICITY_ROUND_LABELS: Readonly<Record<PublicityRound, Label>> = {
  1: { 'zh-CN': '第一次公示（街道初审后）', en: 'First notice (after the street review)' },
  2: { 'zh-CN': '第二次公示（市级复核后）', en: 'Second notice (after the city review)' },
};

export function isPublicityRound(value: unknown): value is PublicityRound {
  return value === 1 || value === 2;
}

export interface PublicityPeriod {
  startsAt: Date;
  /** the last millisecond of the last day (24:00 Asia/Shanghai) */
  endsAt: Date;
  withdrawnAt: Date | null;
}

/** The status at `now`: withdrawn wins; otherwise before, within or after the period (both ends included). */
export function publicityStatus(p: PublicityPeriod, now: Date): PublicityStatus {
  if (p.withdrawnAt) return 'withdrawn';
  const t = now.getTime();
  if (t < p.startsAt.getTime()) return 'scheduled';
  if (t <= p.endsAt.getTime()) return 'running';
  return 'ended';
}

/** The outcome of an objection's verification (异议核查). */
export const OBJECTION_OUTCOMES = ['upheld', 'not_upheld'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];

export const OBJECTION_OUTCOME_LABELS: Readonly<Record<ObjectionOutcome, Label>> = {
  upheld: { 'zh-CN': '异议成立', en: 'Upheld' },
  not_upheld: { 'zh-CN': '异议不成立', en: 'Not upheld' },
};

export type ObjectionStatus = 'pending' | ObjectionOutcome;

export const OBJECTION_STATUS_LABELS: Readonly<Record<ObjectionStatus, Label>> = {
  pending: { 'zh-CN': '待核查', en: 'Awaiting verification' },
  ...OBJECTION_OUTCOME_LABELS,
};
