// The engine's public surface: what other modules may use.
export { EngineModule } from './engine.module';
export { EngineErrorCode } from './engine.errors';
export { BpmnError, ServiceHandlerRegistry } from './jobs/service-handlers';
export type { ServiceTaskContext, ServiceTaskHandler } from './jobs/service-handlers';
export { FeelFunctionRegistry } from './expressions';
export { DefinitionsService } from './definitions/definitions.service';
export { InstancesService } from './instances/instances.service';
export { MessagesService } from './instances/messages.service';
export { UserTaskCommands } from './instances/user-task-commands';
export { JobExecutor } from './jobs/job-executor';
export { CompleteTaskDto, TaskBpmnErrorDto } from './engine.dto';
