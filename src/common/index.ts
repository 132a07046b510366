export { AdjustableClock, Clock } from './clock';
export { ClockModule } from './clock.module';
export { BadInputError, ConflictError, DomainError, ForbiddenError, NotFoundError, UnauthenticatedError, isDomainError } from './errors';
export type { ErrorKind } from './errors';
export { isUuid } from './ids';
