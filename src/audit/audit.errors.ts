import { DomainError, ForbiddenError } from '../common';

export enum AuditErrorCode {
  AuditReadForbidden = 'AUDIT_READ_FORBIDDEN',
  AuditWriteFailed = 'AUDIT_WRITE_FAILED',
}

export const auditReadForbidden = () =>
  new ForbiddenError(AuditErrorCode.AuditReadForbidden, 'Only an audit administrator may read the audit log');

/** Raised when a row that must precede an action (revealing personal data) could not be written. */
export const auditWriteFailed = (action: string) =>
  new DomainError('UNAVAILABLE', AuditErrorCode.AuditWriteFailed, `The audit log could not record ${action}; nothing was done`, { action });
