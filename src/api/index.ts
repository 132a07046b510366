export { ErrorFilter } from './error.filter';
export type { ErrorBody } from './error.filter';
export { statusOf } from './error-codes';
export { LoggingModule } from './logging';
export { setupOpenApi } from './openapi';
export { validationPipe } from './validation';
export type { FieldProblem } from './validation';
export { CurrentActor, OptionalActor } from './actor';
export type { Actor } from './actor';
