import { BadInputError, ConflictError, DomainError, NotFoundError } from '../common';

/** Error codes of the working-day calendar, mapped to HTTP statuses by kind in api/. */
export enum CalendarErrorCode {
  InvalidInput = 'CALENDAR_INVALID_INPUT',
  NoticeInvalid = 'CALENDAR_NOTICE_INVALID',
  NoticeNotFound = 'CALENDAR_NOTICE_NOT_FOUND',
  NoticeNotPending = 'CALENDAR_NOTICE_NOT_PENDING',
  ConfirmerIsEnterer = 'CALENDAR_CONFIRMER_IS_ENTERER',
  AdminRequired = 'CALENDAR_ADMIN_REQUIRED',
}

export interface FieldProblem {
  field: string;
  problems: string[];
}

/** 400 naming each bad field, in the same shape as the validation pipe's VALIDATION_FAILED. */
export const invalidInput = (fields: FieldProblem[]) =>
  new BadInputError(CalendarErrorCode.InvalidInput, `Invalid ${fields.map((f) => f.field).join(', ')}: ${fields.map((f) => f.problems.join(', ')).join('; ')}`, { fields });
export const invalidField = (field: string, problem: string) => invalidInput([{ field, problems: [problem] }]);
export const noticeInvalid = (fields: FieldProblem[]) =>
  new BadInputError(CalendarErrorCode.NoticeInvalid, `Invalid notice: ${fields.map((f) => `${f.field} ${f.problems.join(', ')}`).join('; ')}`, { fields });
export const noticeNotFound = (id: string) => new NotFoundError(CalendarErrorCode.NoticeNotFound, `No calendar notice ${id}`, { noticeId: id });
export const noticeNotPending = (id: string, status: string) =>
  new ConflictError(CalendarErrorCode.NoticeNotPending, `Calendar notice ${id} is ${status}, not awaiting confirmation`, { noticeId: id, status });
export const confirmerIsEnterer = (id: string) =>
  new DomainError('FORBIDDEN', CalendarErrorCode.ConfirmerIsEnterer, `Calendar notice ${id} must be confirmed by a second user, not the one who entered it`, { noticeId: id });
export const adminRequired = () => new DomainError('FORBIDDEN', CalendarErrorCode.AdminRequired, 'Only a calendar administrator may enter or confirm calendar notices');
