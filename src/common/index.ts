export { AdjustableClock, Clock } from './clock';
export { BadInputError, ConflictError, DomainError, NotFoundError, isDomainError } from './errors';
export type { ErrorKind } from './errors';
