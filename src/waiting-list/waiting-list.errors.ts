import { BadInputError, ConflictError, DomainError, ForbiddenError, NotFoundError } from '../common';

export enum WaitingListErrorCode {
  NotFound = 'WAITING_LIST_ENTRY_NOT_FOUND',
  ApplicationNotFound = 'APPLICATION_NOT_FOUND',
  ApplicationClosed = 'APPLICATION_CLOSED',
  NotForWaitingList = 'NOT_FOR_WAITING_LIST',
  StatusTransition = 'STATUS_TRANSITION_NOT_ALLOWED',
  ReasonRequired = 'REASON_REQUIRED',
  ReferenceRequired = 'REFERENCE_REQUIRED',
  PriorityGroupUnknown = 'PRIORITY_GROUP_UNKNOWN',
  PriorityOrderInvalid = 'PRIORITY_ORDER_INVALID',
  DateInvalid = 'DATE_INVALID',
  RegionUnknown = 'REGION_UNKNOWN',
  RegionLevel = 'REGION_LEVEL',
  RegionOutOfScope = 'REGION_OUT_OF_SCOPE',
  RuleMissing = 'WAITING_LIST_RULE_MISSING',
  RuleInPast = 'RULE_EFFECTIVE_DATE_PAST',
  RuleExists = 'RULE_VERSION_EXISTS',
  AlarmOutcomeUnknown = 'ALARM_OUTCOME_UNKNOWN',
}

const C = WaitingListErrorCode;

export const badField = (code: WaitingListErrorCode, field: string, problem: string) =>
  new BadInputError(code, `Invalid ${field}: ${problem}`, { fields: [{ field, problems: [problem] }] });

export const entryNotFound = (id: string) => new NotFoundError(C.NotFound, `No waiting-list entry ${id}`, { id });
export const applicationNotFound = (id: string) => new NotFoundError(C.ApplicationNotFound, `No application ${id}`, { id });
export const applicationClosed = (status: string) =>
  new ConflictError(C.ApplicationClosed, `The application is ${status}: it does not go onto the waiting list`, { status });
export const notForWaitingList = (type: string) =>
  new DomainError('UNPROCESSABLE', C.NotForWaitingList, `A ${type} application goes onto the subsidy roll, not the waiting list for a unit`, { type });
export const transitionNotAllowed = (from: string, to: string) =>
  new ConflictError(C.StatusTransition, `A waiting-list entry cannot go from ${from} to ${to}`, { from, to });
export const reasonRequired = () => badField(C.ReasonRequired, 'reason', 'state why');
export const referenceRequired = () => badField(C.ReferenceRequired, 'reference', 'name what was allocated (a unit’s asset number, a tenancy, an allocation round)');
export const regionUnknown = (field: string, code: string) => badField(C.RegionUnknown, field, `${code} is not a known region code`);
export const regionLevel = (code: string) => badField(C.RegionLevel, 'region', `${code} is not a county-level region: each county keeps its own list`);
export const regionOutOfScope = (code: string) =>
  new ForbiddenError(C.RegionOutOfScope, `region ${code} is outside your data scope`, { fields: [{ field: 'region', problems: [`${code} is outside your data scope`] }] });
export const ruleMissing = (region: string, on: string) =>
  new DomainError('UNPROCESSABLE', C.RuleMissing, `No waiting-list rule is in force for ${region} on ${on}`, { region, on });
export const ruleInPast = (today: string) => badField(C.RuleInPast, 'effectiveFrom', `a new version takes effect today (${today}) or later, never in the past`);
export const ruleExists = () => new ConflictError(C.RuleExists, 'A version for this region already takes effect on that day');
