import { BadInputError, ConflictError, DomainError, ForbiddenError, NotFoundError } from '../common';

export enum ApplicationErrorCode {
  NotFound = 'APPLICATION_NOT_FOUND',
  RegionUnknown = 'REGION_UNKNOWN',
  RegionLevel = 'REGION_LEVEL',
  TargetRegionRequired = 'TARGET_REGION_REQUIRED',
  TargetRegionNotAllowed = 'TARGET_REGION_NOT_ALLOWED',
  RegionNotInGroup = 'REGION_NOT_CDMZ',
  TargetRegionNotInGroup = 'TARGET_REGION_NOT_CDMZ',
  TargetRegionSameCity = 'TARGET_REGION_SAME_CITY',
  ChannelNotAllowed = 'CHANNEL_NOT_ALLOWED',
  ApplicantMember = 'APPLICANT_MEMBER',
  DuplicateMember = 'DUPLICATE_MEMBER',
  ApplicantNotAdult = 'APPLICANT_NOT_ADULT',
  SignaturesMissing = 'SIGNATURES_MISSING',
  SignatureDate = 'SIGNATURE_DATE_INVALID',
  MaterialMember = 'MATERIAL_MEMBER_UNKNOWN',
  NotOwnApplication = 'NOT_OWN_APPLICATION',
  RegionOutOfScope = 'REGION_OUT_OF_SCOPE',
  AlreadyOpen = 'APPLICATION_ALREADY_OPEN',
  StatusTransition = 'STATUS_TRANSITION_NOT_ALLOWED',
  ReasonRequired = 'REASON_REQUIRED',
  Closed = 'APPLICATION_CLOSED',
  MemberUnknown = 'MEMBER_UNKNOWN',
  PeriodsMissing = 'APPLICATION_PERIODS_MISSING',
  PeriodsInvalid = 'APPLICATION_PERIODS_INVALID',
  PeriodsExist = 'APPLICATION_PERIODS_EXIST',
  NotWithdrawable = 'APPLICATION_NOT_WITHDRAWABLE',
  CorrectionNotRequested = 'CORRECTION_NOT_REQUESTED',
  AppealNotOpen = 'APPEAL_NOT_OPEN',
  ProcessNotWaiting = 'PROCESS_NOT_WAITING',
}

const C = ApplicationErrorCode;

/** The validation pipe's shape: details.fields[{ field, problems }]. */
const fields = (field: string, problems: string[]) => ({ fields: [{ field, problems }] });

export const applicationNotFound = (id: string) => new NotFoundError(C.NotFound, `No application ${id}`, { id });

export const badField = (code: ApplicationErrorCode, field: string, problem: string) =>
  new BadInputError(code, `Invalid ${field}: ${problem}`, fields(field, [problem]));

export const unprocessableField = (code: ApplicationErrorCode, field: string, problem: string, extra: Record<string, unknown> = {}) =>
  new DomainError('UNPROCESSABLE', code, `${field}: ${problem}`, { ...fields(field, [problem]), ...extra });

/** 422 naming every member whose commitment or authorisation is missing (or no longer runs) and what is missing. */
export const signaturesMissing = (members: { index: number; member: string; memberEn: string; missing: { part: string; problem: string }[] }[]) => {
  const first = members[0];
  const what = first.missing.map((m) => (m.problem === 'missing' ? `no signed ${m.part}` : `${m.part} ${m.problem}`)).join(' and ');
  return new DomainError(
    'UNPROCESSABLE',
    C.SignaturesMissing,
    `Every adult signs a commitment (承诺书) and a query authorisation (授权查询书): ${first.memberEn} has ${what}` +
      (members.length > 1 ? ` (and ${members.length - 1} more member(s))` : ''),
    {
      fields: members.flatMap((m) => m.missing.map((x) => ({ field: `household.members.${m.index}.${x.part}`, problems: [x.problem] }))),
      members,
    },
  );
};

export const notOwnApplication = (field: string) =>
  new ForbiddenError(C.NotOwnApplication, 'An applicant files only their own application: the applicant member must be you', fields(field, ['is not the ID number of your account']));

export const regionOutOfScope = (field: string, code: string) =>
  new ForbiddenError(C.RegionOutOfScope, `${field} ${code} is outside your data scope`, fields(field, [`${code} is outside your data scope`]));

export const alreadyOpen = () =>
  new ConflictError(C.AlreadyOpen, 'The applicant already has an application under way; withdraw it or wait for its outcome', fields('household.members', ['the applicant has an open application']));

export const transitionNotAllowed = (from: string, to: string) =>
  new ConflictError(C.StatusTransition, `An application cannot go from ${from} to ${to}`, { from, to });

export const reasonRequired = () => badField(C.ReasonRequired, 'reason', 'state why the status changes');

export const applicationClosed = (status: string) =>
  new ConflictError(C.Closed, `The application is closed (${status}): no department is asked about it any more`, { status });

/** 409: only an open application can be withdrawn. */
export const notWithdrawable = (status: string) =>
  new ConflictError(C.NotWithdrawable, `The application is ${status}: only an application under review can be withdrawn`, { status });

/** 409: materials are supplied in answer to a 补正 notice. */
export const correctionNotRequested = (status: string) =>
  new ConflictError(C.CorrectionNotRequested, `No 补正 notice is open for this application (it is ${status})`, { status });

/** 409: 复核 can be asked of a refusal, until its deadline. */
export const appealNotOpen = (why: string, details: Record<string, unknown>) => new ConflictError(C.AppealNotOpen, why, details);

/** 409: the application's process does not wait for this now (e.g. it is between two steps). */
export const processNotWaiting = (what: string) =>
  new ConflictError(C.ProcessNotWaiting, `The application's process does not wait for ${what} now; try again shortly`, { message: what });
