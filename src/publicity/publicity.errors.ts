import { BadInputError, ConflictError, DomainError, NotFoundError } from '../common';

export enum PublicityErrorCode {
  NotFound = 'PUBLICITY_NOT_FOUND',
  NoticeNotFound = 'NOTICE_NOT_FOUND',
  ObjectionNotFound = 'OBJECTION_NOT_FOUND',
  ApplicationNotFound = 'APPLICATION_NOT_FOUND',
  ApplicationClosed = 'APPLICATION_CLOSED',
  RoundInvalid = 'PUBLICITY_ROUND_INVALID',
  NotRunning = 'NOTICE_NOT_RUNNING',
  NotWithdrawable = 'PUBLICITY_NOT_WITHDRAWABLE',
  RateLimited = 'OBJECTION_RATE_LIMITED',
  AlreadyVerified = 'OBJECTION_ALREADY_VERIFIED',
  OutcomeInvalid = 'OBJECTION_OUTCOME_INVALID',
  ReasonRequired = 'REASON_REQUIRED',
  ContentRequired = 'CONTENT_REQUIRED',
  RegionUnknown = 'REGION_UNKNOWN',
  RuleMissing = 'PUBLICITY_RULE_MISSING',
  RuleInPast = 'RULE_EFFECTIVE_DATE_PAST',
  RuleExists = 'RULE_VERSION_EXISTS',
  DateInvalid = 'DATE_INVALID',
}

const C = PublicityErrorCode;

/** The validation pipe's shape: details.fields[{ field, problems }]. */
export const badField = (code: PublicityErrorCode, field: string, problem: string) =>
  new BadInputError(code, `Invalid ${field}: ${problem}`, { fields: [{ field, problems: [problem] }] });

export const publicityNotFound = (id: string) => new NotFoundError(C.NotFound, `No public notice ${id}`, { id });

/** The public side: a notice that does not exist, has not started, has ended or was withdrawn looks the same. */
export const noticeNotFound = (id: string) => new NotFoundError(C.NoticeNotFound, `No running public notice ${id} (公示不存在或已结束)`, { id });

export const objectionNotFound = (id: string) => new NotFoundError(C.ObjectionNotFound, `No objection ${id}`, { id });

export const applicationNotFound = (id: string) => new NotFoundError(C.ApplicationNotFound, `No application ${id}`, { id });

export const applicationClosed = (status: string) =>
  new ConflictError(C.ApplicationClosed, `The application is ${status}: nothing is published for it any more`, { status });

export const roundInvalid = (round: unknown) => badField(C.RoundInvalid, 'round', `must be 1 (after the street review) or 2 (after the city review), not ${JSON.stringify(round)}`);

export const notRunning = (status: string) =>
  new ConflictError(C.NotRunning, `Objections are accepted only while the notice runs; it is ${status} (公示未在进行中，不受理异议)`, { status });

export const notWithdrawable = (status: string) => new ConflictError(C.NotWithdrawable, `A notice that is ${status} cannot be withdrawn`, { status });

export const rateLimited = (retryAfterSeconds: number, limit: number) =>
  new DomainError(
    'RATE_LIMITED',
    C.RateLimited,
    `At most ${limit} objections an hour from one address to one notice; try again in ${retryAfterSeconds} s (提交过于频繁，请稍后再试)`,
    { retryAfterSeconds, limit },
  );

export const alreadyVerified = (outcome: string) =>
  new ConflictError(C.AlreadyVerified, `The objection's verification is already recorded (${outcome}); it is final`, { outcome });

export const reasonRequired = (field = 'reason') => badField(C.ReasonRequired, field, 'state the reasons');

export const contentRequired = () => badField(C.ContentRequired, 'content', 'say what the objection is about');

export const regionUnknown = (field: string, code: string) => badField(C.RegionUnknown, field, `${code} is not a known region code`);

export const ruleMissing = (region: string, round: number, on: string) =>
  new DomainError('UNPROCESSABLE', C.RuleMissing, `No 公示 rule is in force for ${region}, round ${round}, on ${on}`, { region, round, on });

export const ruleInPast = (today: string) => badField(C.RuleInPast, 'effectiveFrom', `a new version takes effect today (${today}) or later, never in the past`);

export const ruleExists = () => new ConflictError(C.RuleExists, 'A version for this region and round already takes effect on that day');
