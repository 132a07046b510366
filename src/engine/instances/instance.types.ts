import type { Vars, WaitingActivity } from '../runtime/step-runner';

export type InstanceStatus = 'running' | 'completed' | 'cancelled';

export interface InstanceRow {
  id: string;
  definitionId: string;
  processKey: string;
  businessKey: string | null;
  status: InstanceStatus;
  state: unknown | null;
  variables: Vars;
  waiting: Pick<WaitingActivity, 'elementId' | 'executionId' | 'type'>[];
  version: number;
  parentInstanceId: string | null;
  parentExecutionId: string | null;
  parentElementId: string | null;
  startedBy: string | null;
  startedAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  /** `version:xmin` of the row as locked (InstanceStepper.lock): tells whether a warm engine still matches it */
  rowToken?: string;
}

export const INSTANCE_COLUMNS = `id, definition_id AS "definitionId", process_key AS "processKey", business_key AS "businessKey",
  status, state, variables, waiting, version, parent_instance_id AS "parentInstanceId",
  parent_execution_id AS "parentExecutionId", parent_element_id AS "parentElementId", started_by AS "startedBy",
  started_at AS "startedAt", ended_at AS "endedAt", end_reason AS "endReason"`;

/** The same without the engine state, qualified for joins (alias i). */
export const VIEW_COLUMNS = `i.id, i.definition_id AS "definitionId", i.process_key AS "processKey", i.business_key AS "businessKey",
  i.status, i.variables, i.waiting, i.version, i.parent_instance_id AS "parentInstanceId",
  i.parent_execution_id AS "parentExecutionId", i.parent_element_id AS "parentElementId", i.started_by AS "startedBy",
  i.started_at AS "startedAt", i.ended_at AS "endedAt", i.end_reason AS "endReason"`;
