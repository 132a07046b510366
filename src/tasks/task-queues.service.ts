import { Injectable } from '@nestjs/common';
import { instanceToPlain } from 'class-transformer';
import { DataSource } from 'typeorm';
import { Actor } from '../api';
import { Clock, isUuid } from '../common';
import { TransactionAudit } from '../audit';
import { isSupervisor } from './task-access';
import { TaskFilter, countsQuery } from './task-query';
import { SaveTaskQueueDto, TaskPageDto, TaskQueueDto } from './tasks.dto';
import { badField, queueLimit, queueNameTaken, queueNotFound } from './tasks.errors';
import { QueueRow, TasksRepository } from './tasks.repository';
import { TasksService, capped } from './tasks.service';

/** Saved queues per user, at most this many (each list shows every one's count). */
export const MAX_QUEUES = 50;

/**
 * Saved queues (Camunda's filters): a named filter and sort, seen by its creator and by the
 * members of the groups it is shared with. Its tasks and its count are always the caller's: a
 * shared queue shows each member only the tasks they may see. Only the creator changes or
 * deletes it. A queue may be shared with the creator's own groups or the groups they supervise.
 */
@Injectable()
export class TaskQueuesService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: TasksRepository,
    private readonly tasks: TasksService,
    private readonly audit: TransactionAudit,
    private readonly clock: Clock,
  ) {}

  /** The caller's queues, each with its (capped) count, in one statement. */
  async list(actor: Actor): Promise<TaskQueueDto[]> {
    const queues = await this.repo.visibleQueues(actor.id, actor.groups);
    if (!queues.length) return [];
    const counts = countsQuery(await this.tasks.listViewer(actor), queues, this.tasks.bounds(), await this.tasks.subtrees(queues.map((q) => q.filter)));
    const rows: { id: string; n: number }[] = await this.ds.query(counts.sql, counts.params);
    const byId = new Map(rows.map((r) => [r.id, r.n]));
    return queues.map((q) => {
      const c = capped(byId.get(q.id) ?? 0);
      return { ...this.view(actor, q), count: c.total, countExact: c.totalExact, countLabel: c.totalLabel };
    });
  }

  async get(actor: Actor, id: string): Promise<TaskQueueDto> {
    return this.view(actor, await this.visible(actor, id));
  }

  async tasksOf(actor: Actor, id: string, page: { limit?: number; cursor?: string; sort?: TaskFilter['sort'] }): Promise<TaskPageDto> {
    const q = await this.visible(actor, id);
    const filter: TaskFilter = page.sort ? { ...q.filter, sort: page.sort } : q.filter;
    return this.tasks.page(await this.tasks.listViewer(actor), filter, page.limit ?? 50, page.cursor);
  }

  async create(actor: Actor, body: SaveTaskQueueDto): Promise<TaskQueueDto> {
    const fields = await this.checked(actor, body);
    const row = await this.ds.transaction(async (em) => {
      if ((await this.repo.countOwnQueues(em, actor.id)) >= MAX_QUEUES) throw queueLimit(MAX_QUEUES);
      if (await this.repo.nameTaken(em, actor.id, fields.name, null)) throw queueNameTaken(fields.name);
      const saved = await this.repo.insertQueue(em, { ...fields, createdBy: actor.id }, this.clock.now());
      await this.audit.record(em, actor, 'task_queues.create', 'task_queue', saved.id, 201);
      return saved;
    });
    this.audit.done();
    return this.view(actor, row);
  }

  async update(actor: Actor, id: string, body: SaveTaskQueueDto): Promise<TaskQueueDto> {
    const fields = await this.checked(actor, body);
    const row = await this.ds.transaction(async (em) => {
      await this.own(actor, id, em);
      if (await this.repo.nameTaken(em, actor.id, fields.name, id)) throw queueNameTaken(fields.name);
      const saved = await this.repo.updateQueue(em, id, fields, this.clock.now());
      await this.audit.record(em, actor, 'task_queues.update', 'task_queue', id, 200);
      return saved;
    });
    this.audit.done();
    return this.view(actor, row);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      await this.own(actor, id, em);
      await this.repo.deleteQueue(em, id);
      await this.audit.record(em, actor, 'task_queues.delete', 'task_queue', id, 204);
    });
    this.audit.done();
  }

  /** A queue the caller sees; 404 otherwise (a queue not shared with you does not exist for you). */
  private async visible(actor: Actor, id: string): Promise<QueueRow> {
    const q = isUuid(id) ? await this.repo.queue(id) : null;
    if (!q || !(q.createdBy === actor.id || q.sharedWithGroups.some((g) => actor.groups.includes(g)))) throw queueNotFound(id);
    return q;
  }

  /** The caller's own queue, locked; a queue shared with them is theirs to read, not to change (404 like any other). */
  private async own(actor: Actor, id: string, em: Parameters<TasksRepository['queue']>[1]): Promise<QueueRow> {
    const q = isUuid(id) ? await this.repo.queue(id, em, true) : null;
    if (!q || q.createdBy !== actor.id) throw queueNotFound(id);
    return q;
  }

  private async checked(actor: Actor, body: SaveTaskQueueDto): Promise<Pick<QueueRow, 'name' | 'nameEn' | 'filter' | 'sharedWithGroups'>> {
    const filter = instanceToPlain(body.filter) as TaskFilter;
    await this.tasks.checkFilter(filter, 'filter.');
    const viewer = this.tasks.viewer(actor);
    for (const g of body.sharedWithGroups ?? []) {
      if (actor.groups.includes(g)) continue;
      // supervised as a task of that group would be: the same rule, the same group keys
      const holders = { candidate_groups: [g], candidate_users: [], group_keys: await this.repo.groupKeys([g]), assignee: null, owner: null };
      if (!isSupervisor(viewer, holders)) throw badField('sharedWithGroups', `${g} is neither one of your groups nor a group you supervise`);
    }
    return { name: body.name, nameEn: body.nameEn ?? null, filter, sharedWithGroups: body.sharedWithGroups ?? [] };
  }

  private view(actor: Actor, q: QueueRow): TaskQueueDto {
    return { ...q, mine: q.createdBy === actor.id };
  }
}

