import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError, isUuid } from '../common';

export interface TaskView {
  id: string;
  processInstanceId: string;
  elementId: string;
  name: string | null;
  processKey: string;
  processVersion: number;
  businessKey: string | null;
  status: string;
  candidateGroups: string[];
  candidateUsers: string[];
  assignee: string | null;
  priority: number;
  dueAt: Date | null;
  followUpAt: Date | null;
  formKey: string | null;
  input: Record<string, unknown>;
  createdAt: Date;
  completedAt: Date | null;
  completedBy: string | null;
}

const COLUMNS = `id, instance_id AS "processInstanceId", element_id AS "elementId", name, process_key AS "processKey",
  process_version AS "processVersion", business_key AS "businessKey", status, candidate_groups AS "candidateGroups",
  candidate_users AS "candidateUsers", assignee, priority, due_at AS "dueAt", follow_up_at AS "followUpAt", form_key AS "formKey",
  input, created_at AS "createdAt", completed_at AS "completedAt", completed_by AS "completedBy"`;


@Injectable()
export class TasksService {
  constructor(private readonly ds: DataSource) {}

  listOpen(processInstanceId?: string): Promise<TaskView[]> {
    return this.ds.query(
      `SELECT ${COLUMNS} FROM user_tasks WHERE status = 'open' AND ($1::uuid IS NULL OR instance_id = $1) ORDER BY created_at, id LIMIT 500`,
      [processInstanceId ?? null],
    );
  }

  async get(id: string): Promise<TaskView> {
    const [row] = isUuid(id) ? await this.ds.query(`SELECT ${COLUMNS} FROM user_tasks WHERE id = $1`, [id]) : [];
    if (!row) throw new NotFoundError('TASK_NOT_FOUND', `No task ${id}`, { taskId: id });
    return row as TaskView;
  }
}
