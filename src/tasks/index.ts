// The tasks module's public surface: what other modules (domain modules, workflows) may use.
export { TasksModule } from './tasks.module';
export { TasksService } from './tasks.service';
export type { TaskView } from './tasks.service';
export { TaskOperationsService } from './task-operations.service';
export { TaskErrorCode } from './tasks.errors';
export { SUBTREE_SQL, SUPERVISED_BY, assignedToMeSql, offeredToMeBranches, relationsOf, viewerOf, visibilitySql } from './task-access';
export type { Relation, Viewer } from './task-access';
export { COUNT_CAP, TASK_SORTS, countQuery, countsQuery, listQuery } from './task-query';
export type { TaskFilter, TaskSort } from './task-query';
export { SLA_LABELS, SLA_STATES, slaBounds, slaOf } from './task-sla';
export type { SlaBounds, SlaState } from './task-sla';
