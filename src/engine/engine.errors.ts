import { BadInputError, ConflictError, DomainError, NotFoundError } from '../common';

/** Error codes of the BPMN runtime, mapped to HTTP statuses by kind in api/. */
export enum EngineErrorCode {
  DefinitionNotFound = 'PROCESS_DEFINITION_NOT_FOUND',
  DeploymentInvalid = 'DEPLOYMENT_INVALID',
  DeploymentEmpty = 'DEPLOYMENT_EMPTY',
  InstanceNotFound = 'PROCESS_INSTANCE_NOT_FOUND',
  InstanceNotRunning = 'PROCESS_INSTANCE_NOT_RUNNING',
  InstanceVersionMismatch = 'PROCESS_INSTANCE_VERSION_MISMATCH',
  NoNoneStartEvent = 'PROCESS_HAS_NO_NONE_START_EVENT',
  VariablesInvalid = 'VARIABLES_INVALID',
  VariablesTooLarge = 'VARIABLES_TOO_LARGE',
  TaskNotFound = 'TASK_NOT_FOUND',
  TaskNotOpen = 'TASK_NOT_OPEN',
  BpmnErrorNotCaught = 'BPMN_ERROR_NOT_CAUGHT',
  StepFailed = 'PROCESS_STEP_FAILED',
  MessageNotCorrelated = 'MESSAGE_NOT_CORRELATED',
  MessageAmbiguous = 'MESSAGE_CORRELATION_AMBIGUOUS',
  JobNotFound = 'JOB_NOT_FOUND',
  JobNotFailed = 'JOB_NOT_IN_INCIDENT',
  IncidentNotFound = 'INCIDENT_NOT_FOUND',
  MigrationInvalid = 'MIGRATION_INVALID',
}

export const definitionNotFound = (ref: string) =>
  new NotFoundError(EngineErrorCode.DefinitionNotFound, `No process definition ${ref}`, { definition: ref });
export const instanceNotFound = (id: string) =>
  new NotFoundError(EngineErrorCode.InstanceNotFound, `No process instance ${id}`, { processInstanceId: id });
export const instanceNotRunning = (id: string, status: string) =>
  new ConflictError(EngineErrorCode.InstanceNotRunning, `Process instance ${id} is ${status}, not running`, { processInstanceId: id, status });
export const taskNotFound = (id: string) => new NotFoundError(EngineErrorCode.TaskNotFound, `No task ${id}`, { taskId: id });
export const taskNotOpen = (id: string, status: string) =>
  new ConflictError(EngineErrorCode.TaskNotOpen, `Task ${id} is ${status}, no longer open`, { taskId: id, status });
export const variablesInvalid = (message: string, field?: string) =>
  new BadInputError(EngineErrorCode.VariablesInvalid, message, field ? { field } : undefined);
export const variablesTooLarge = (bytes: number, limit: number) =>
  new DomainError('TOO_LARGE', EngineErrorCode.VariablesTooLarge, `Process variables would take ${bytes} bytes; the limit is ${limit}`, {
    bytes,
    limit,
  });
