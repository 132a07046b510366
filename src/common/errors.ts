/**
 * Domain errors carry a stable code and a kind; services throw them (never HTTP exceptions,
 * because job executors call services too) and the one exception filter in api/ maps the kind
 * to an HTTP status.
 */
export type ErrorKind =
  | 'BAD_INPUT' // 400
  | 'UNAUTHENTICATED' // 401
  | 'FORBIDDEN' // 403
  | 'NOT_FOUND' // 404
  | 'CONFLICT' // 409
  | 'PRECONDITION_FAILED' // 412
  | 'TOO_LARGE' // 413
  | 'UNPROCESSABLE' // 422
  | 'RATE_LIMITED' // 429
  | 'UNAVAILABLE'; // 503

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('NOT_FOUND', code, message, details);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('CONFLICT', code, message, details);
  }
}

export class BadInputError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('BAD_INPUT', code, message, details);
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('FORBIDDEN', code, message, details);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('UNAUTHENTICATED', code, message, details);
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
