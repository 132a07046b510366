import { ConflictError, DomainError, NotFoundError } from '../common';

/** Error codes of notifications, mapped to HTTP statuses by kind in api/. */
export enum NotifyErrorCode {
  TemplateUnknown = 'NOTIFY_TEMPLATE_UNKNOWN',
  VariableMissing = 'NOTIFY_VARIABLE_MISSING',
  VariableInvalid = 'NOTIFY_VARIABLE_INVALID',
  RecipientInvalid = 'NOTIFY_RECIPIENT_INVALID',
  NoRecipients = 'NOTIFY_NO_RECIPIENTS',
  LocaleUnknown = 'NOTIFY_LOCALE_UNKNOWN',
  MailNotFound = 'MAIL_NOT_FOUND',
  MailNotFailed = 'MAIL_NOT_FAILED',
}

/** 422: the request is well-formed but names something that cannot be sent. */
const unprocessable = (code: NotifyErrorCode, message: string, details: Record<string, unknown>) => new DomainError('UNPROCESSABLE', code, message, details);

export const templateUnknown = (template: string, known: string[]) =>
  unprocessable(NotifyErrorCode.TemplateUnknown, `No mail template "${template}"; the templates are ${known.join(', ')}`, { template, known });
export const variablesMissing = (template: string, variables: string[]) =>
  unprocessable(NotifyErrorCode.VariableMissing, `Mail template "${template}" needs the variable${variables.length > 1 ? 's' : ''} ${variables.join(', ')}`, { template, variables });
export const variableInvalid = (template: string, variable: string, problem: string) =>
  unprocessable(NotifyErrorCode.VariableInvalid, `Mail template "${template}": variable ${variable} ${problem}`, { template, variable, problem });
export const recipientInvalid = (field: string, value: string, problem: string) =>
  unprocessable(NotifyErrorCode.RecipientInvalid, `Recipient ${JSON.stringify(value)} in ${field} ${problem}`, { field, value, problem });
export const noRecipients = (template: string) =>
  unprocessable(NotifyErrorCode.NoRecipients, `Mail "${template}" names no recipient: give to.users, to.groups, to.roles or to.emails`, { template });
export const localeUnknown = (locale: string) =>
  unprocessable(NotifyErrorCode.LocaleUnknown, `No mail locale "${locale}"; use zh-CN or en`, { locale });
export const mailNotFound = (id: string) => new NotFoundError(NotifyErrorCode.MailNotFound, `No mail ${id}`, { mailId: id });
export const mailNotFailed = (id: string, status: string) =>
  new ConflictError(NotifyErrorCode.MailNotFailed, `Mail ${id} is ${status}, not failed`, { mailId: id, status });
