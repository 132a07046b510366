import type { Label } from '../connectors';

/**
 * An application's status (申请状态) and the moves between them. The application process
 * (processes/application.bpmn, later) moves it through ApplicationsService.changeStatus; anything
 * not listed here is refused with 409, so the diagram cannot skip a level of review by mistake.
 */
export const APPLICATION_STATUSES = [
  'submitted',
  'accepted',
  'correction_requested',
  'data_comparison',
  'street_review',
  'publicity_first',
  'county_review',
  'city_review',
  'publicity_second',
  'approved',
  'rejected',
  'appeal',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const APPLICATION_STATUS_LABELS: Readonly<Record<ApplicationStatus, Label>> = {
  submitted: { 'zh-CN': '已提交', en: 'Submitted' },
  accepted: { 'zh-CN': '已受理', en: 'Accepted' },
  correction_requested: { 'zh-CN': '待补正', en: 'Correction requested' },
  data_comparison: { 'zh-CN': '数据比对中', en: 'Online data comparison' },
  street_review: { 'zh-CN': '街道初审', en: 'Street review' },
  publicity_first: { 'zh-CN': '第一次公示', en: 'First public notice' },
  county_review: { 'zh-CN': '区县审核', en: 'County review' },
  city_review: { 'zh-CN': '市级复核', en: 'City review' },
  publicity_second: { 'zh-CN': '第二次公示', en: 'Second public notice' },
  approved: { 'zh-CN': '准予保障', en: 'Approved' },
  rejected: { 'zh-CN': '不予保障', en: 'Refused' },
  appeal: { 'zh-CN': '复核中', en: 'Under appeal (复核)' },
  withdrawn: { 'zh-CN': '已撤回', en: 'Withdrawn' },
};

/** Withdrawal (by message) is possible from every status that is not an outcome. */
const W = 'withdrawn' as const;

export const TRANSITIONS: Readonly<Record<ApplicationStatus, readonly ApplicationStatus[]>> = {
  submitted: ['accepted', 'correction_requested', 'rejected', W],
  correction_requested: ['accepted', 'rejected', W],
  accepted: ['data_comparison', 'street_review', W],
  data_comparison: ['street_review', W],
  street_review: ['publicity_first', 'correction_requested', 'rejected', W],
  // an objection upheld during the notice sends the case back or refuses it
  publicity_first: ['county_review', 'street_review', 'rejected', W],
  county_review: ['city_review', 'street_review', 'rejected', W],
  city_review: ['publicity_second', 'county_review', 'rejected', W],
  publicity_second: ['approved', 'city_review', 'rejected', W],
  approved: [],
  // 复核 of a refusal (answered within 15 working days)
  rejected: ['appeal'],
  appeal: ['approved', 'rejected', 'county_review', 'city_review'],
  withdrawn: [],
};

/** Outcomes: no department is asked about a closed application, and the applicant may apply again. */
export const CLOSED_STATUSES: readonly ApplicationStatus[] = ['approved', 'rejected', 'withdrawn'];

export function isApplicationStatus(value: string): value is ApplicationStatus {
  return (APPLICATION_STATUSES as readonly string[]).includes(value);
}

export function canMove(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return TRANSITIONS[from].includes(to);
}
