import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { groupsOf, regionScopeSql } from '../identity';
import { SUBTREE_SQL } from './task-access';
import { TASK_COLUMNS, TaskFilter } from './task-query';

/** A task as read for its view, with what the access rules need. */
export interface TaskRecord {
  id: string;
  processInstanceId: string;
  elementId: string;
  name: string | null;
  processKey: string;
  processVersion: number;
  businessKey: string | null;
  regionCode: string | null;
  status: 'open' | 'completed' | 'cancelled';
  candidateGroups: string[];
  candidateUsers: string[];
  assignee: string | null;
  owner: string | null;
  delegationState: 'pending' | 'resolved' | null;
  priority: number;
  dueAt: Date | null;
  followUpAt: Date | null;
  formKey: string | null;
  input: Record<string, unknown>;
  createdAt: Date;
  assignedAt: Date | null;
  assignedBy: string | null;
  claimedAt: Date | null;
  claimedBy: string | null;
  completedAt: Date | null;
  completedBy: string | null;
  groupKeys?: string[];
  sortKey?: string;
}

/** Another account, as far as holding a task goes. */
export interface StaffAccount {
  id: string;
  username: string;
  roles: string[];
  regionScopes: string[];
  groups: string[];
}

export interface QueueRow {
  id: string;
  name: string;
  nameEn: string | null;
  filter: TaskFilter;
  sharedWithGroups: string[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const QUEUE_COLUMNS = `q.id, q.name, q.name_en AS "nameEn", q.filter, q.shared_with_groups AS "sharedWithGroups",
  q.created_by AS "createdBy", q.created_at AS "createdAt", q.updated_at AS "updatedAt"`;

/** Who holds a task: the columns claim, delegation and assignment change together. */
export interface Holding {
  assignee: string | null;
  owner: string | null;
  delegationState: 'pending' | 'resolved' | null;
  /** set when the caller takes the task for themselves */
  claimed?: boolean;
}

@Injectable()
export class TasksRepository {
  private readonly subtrees = new Map<string, string[]>();

  constructor(private readonly ds: DataSource) {}

  async view(id: string, em: EntityManager | DataSource = this.ds): Promise<TaskRecord | null> {
    const [row] = await em.query(`SELECT ${TASK_COLUMNS}, t.group_keys AS "groupKeys" FROM user_tasks t WHERE t.id = $1`, [id]);
    return (row as TaskRecord) ?? null;
  }

  /** Whether a region lies in the scope of the given roots (a task without a region is in everyone's). */
  async inScope(regionCode: string | null, scopes: readonly string[], em: EntityManager | DataSource = this.ds): Promise<boolean> {
    if (regionCode === null) return true;
    const params: unknown[] = [regionCode];
    const [row] = await em.query(`SELECT ${regionScopeSql({ id: '', regionScopes: [...scopes] }, 'c.code', params)} AS ok FROM (SELECT $1::text AS code) c`, params);
    return row?.ok === true;
  }

  /** The group keys a task offered to these groups gets (user_task_group_keys, the migration's function). */
  async groupKeys(groups: readonly string[]): Promise<string[]> {
    const [row] = await this.ds.query(`SELECT user_task_group_keys($1::text[]) AS keys`, [[...groups]]);
    return row.keys as string[];
  }

  /**
   * Every region code in the subtrees of the roots (SUBTREE_SQL), remembered: the region tree
   * changes only with a migration. An unknown root has none.
   */
  async subtree(roots: readonly string[]): Promise<string[]> {
    const key = [...roots].sort().join(',');
    const known = this.subtrees.get(key);
    if (known) return known;
    const codes = ((await this.ds.query(SUBTREE_SQL, [[...roots]])) as { code: string }[]).map((r) => r.code);
    if (this.subtrees.size >= 1000) this.subtrees.clear();
    this.subtrees.set(key, codes);
    return codes;
  }

  /** An active staff account by username, with its roles, scopes and candidate groups. */
  async staff(username: string, em: EntityManager): Promise<StaffAccount | null> {
    const [u] = (await em.query(
      `SELECT u.id, u.username, o.department,
              ARRAY(SELECT r.role FROM user_roles r WHERE r.user_id = u.id ORDER BY r.role) AS roles,
              ARRAY(SELECT s.scope FROM user_scopes s WHERE s.user_id = u.id ORDER BY s.scope) AS scopes
         FROM users u LEFT JOIN organizations o ON o.id = u.organization_id
        WHERE u.username = $1 AND u.status = 'active' AND u.kind = 'staff'`,
      [username],
    )) as { id: string; username: string; department: string | null; roles: string[]; scopes: string[] }[];
    if (!u) return null;
    return { id: u.id, username: u.username, roles: u.roles, regionScopes: u.scopes, groups: groupsOf(u.roles, u.scopes, u.department) };
  }

  async setHolding(em: EntityManager, taskId: string, h: Holding, by: string, now: Date): Promise<void> {
    await em.query(
      `UPDATE user_tasks
          SET assignee = $2, owner = $3, delegation_state = $4, assigned_at = $5, assigned_by = $6,
              claimed_at = CASE WHEN $7 THEN $5::timestamptz ELSE claimed_at END,
              claimed_by = CASE WHEN $7 THEN $6 ELSE claimed_by END
        WHERE id = $1`,
      [taskId, h.assignee, h.owner, h.delegationState, now.toISOString(), by, h.claimed === true],
    );
  }

  async addComment(em: EntityManager, c: { taskId: string; authorId: string; authorName: string; body: string; at: Date }) {
    const [row] = await em.query(
      `INSERT INTO task_comments (task_id, author_id, author_name, body, created_at) VALUES ($1, $2, $3, $4, $5)
       RETURNING id::text, task_id AS "taskId", author_id AS "authorId", author_name AS "authorName", body, created_at AS "createdAt"`,
      [c.taskId, c.authorId, c.authorName, c.body, c.at.toISOString()],
    );
    return row as { id: string; taskId: string; authorId: string; authorName: string; body: string; createdAt: Date };
  }

  comments(taskId: string) {
    return this.ds.query(
      `SELECT id::text, task_id AS "taskId", author_id AS "authorId", author_name AS "authorName", body, created_at AS "createdAt"
         FROM task_comments WHERE task_id = $1 ORDER BY id LIMIT 1000`,
      [taskId],
    ) as Promise<{ id: string; taskId: string; authorId: string; authorName: string; body: string; createdAt: Date }[]>;
  }

  /** The queues a user sees: their own, and those shared with one of their groups. */
  visibleQueues(userId: string, groups: readonly string[]): Promise<QueueRow[]> {
    return this.ds.query(
      `SELECT ${QUEUE_COLUMNS} FROM task_queues q WHERE q.created_by = $1 OR q.shared_with_groups && $2::text[] ORDER BY q.name, q.id`,
      [userId, [...groups]],
    );
  }

  async queue(id: string, em: EntityManager | DataSource = this.ds, lock = false): Promise<QueueRow | null> {
    const [row] = await em.query(`SELECT ${QUEUE_COLUMNS} FROM task_queues q WHERE q.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return (row as QueueRow) ?? null;
  }

  async countOwnQueues(em: EntityManager, userId: string): Promise<number> {
    // the creator's row lock: two saves by one user cannot both pass the limit
    await em.query(`SELECT id FROM users WHERE id = $1 FOR UPDATE`, [userId]);
    const [row] = await em.query(`SELECT count(*)::int AS n FROM task_queues WHERE created_by = $1`, [userId]);
    return row.n as number;
  }

  async nameTaken(em: EntityManager, userId: string, name: string, exceptId: string | null): Promise<boolean> {
    const rows: unknown[] = await em.query(`SELECT 1 FROM task_queues WHERE created_by = $1 AND name = $2 AND id IS DISTINCT FROM $3::uuid`, [userId, name, exceptId]);
    return rows.length > 0;
  }

  async insertQueue(em: EntityManager, q: Omit<QueueRow, 'id' | 'createdAt' | 'updatedAt'>, now: Date): Promise<QueueRow> {
    const [{ id }] = await em.query(
      `INSERT INTO task_queues (name, name_en, filter, shared_with_groups, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
      [q.name, q.nameEn, JSON.stringify(q.filter), q.sharedWithGroups, q.createdBy, now.toISOString()],
    );
    return (await this.queue(id, em))!;
  }

  async updateQueue(em: EntityManager, id: string, q: Pick<QueueRow, 'name' | 'nameEn' | 'filter' | 'sharedWithGroups'>, now: Date): Promise<QueueRow> {
    await em.query(`UPDATE task_queues SET name = $2, name_en = $3, filter = $4, shared_with_groups = $5, updated_at = $6 WHERE id = $1`, [
      id,
      q.name,
      q.nameEn,
      JSON.stringify(q.filter),
      q.sharedWithGroups,
      now.toISOString(),
    ]);
    return (await this.queue(id, em))!;
  }

  async deleteQueue(em: EntityManager, id: string): Promise<void> {
    await em.query(`DELETE FROM task_queues WHERE id = $1`, [id]);
  }
}
