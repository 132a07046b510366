import { BadInputError, ConflictError } from '../../common';

/** Error codes of pausable clocks (中止计时), mapped to HTTP statuses by kind in api/. */
export enum ClockErrorCode {
  InvalidInput = 'CLOCK_INVALID_INPUT',
  AlreadyPaused = 'CLOCK_ALREADY_PAUSED',
  NotPaused = 'CLOCK_NOT_PAUSED',
  NothingToPause = 'CLOCK_NOTHING_TO_PAUSE',
}

export interface FieldProblem {
  field: string;
  problems: string[];
}

/** 400 naming each bad field, in the same shape as the validation pipe's VALIDATION_FAILED. */
export const clockInvalid = (fields: FieldProblem[]) =>
  new BadInputError(ClockErrorCode.InvalidInput, `Invalid ${fields.map((f) => f.field).join(', ')}: ${fields.map((f) => f.problems.join(', ')).join('; ')}`, { fields });
export const alreadyPaused = (instanceId: string, pauseId?: string) =>
  new ConflictError(ClockErrorCode.AlreadyPaused, `The clock of process instance ${instanceId} is already paused`, { processInstanceId: instanceId, pauseId });
export const notPaused = (instanceId: string) =>
  new ConflictError(ClockErrorCode.NotPaused, `The clock of process instance ${instanceId} is not paused`, { processInstanceId: instanceId });
export const nothingToPause = (instanceId: string, elementIds: string[] | null) =>
  new ConflictError(
    ClockErrorCode.NothingToPause,
    `Process instance ${instanceId} has no running deadline${elementIds ? ` at ${elementIds.join(', ')}` : ''} (no pending timer, no open task with a due date still ahead)`,
    { processInstanceId: instanceId, elementIds },
  );
