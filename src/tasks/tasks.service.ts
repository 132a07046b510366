import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '../api';
import { CalendarService } from '../calendar';
import { Clock, isUuid } from '../common';
import { APP_CONFIG, AppConfig } from '../config';
import { Relation, Viewer, relationsOf, viewerOf } from './task-access';
import { COUNT_CAP, DEFAULT_SORT, Subtrees, TaskCursor, TaskFilter, countQuery, decodeCursor, encodeCursor, listQuery } from './task-query';
import { SLA_LABELS, STATUS_LABELS, SlaBounds, slaBounds, slaOf } from './task-sla';
import { TaskDto, TaskPageDto } from './tasks.dto';
import { badField, taskForbidden, taskNotFound } from './tasks.errors';
import { TaskRecord, TasksRepository } from './tasks.repository';

export type TaskView = TaskDto;

/** The fields of a task row the relation rules read, from a record. */
export function holdersOf(t: TaskRecord) {
  return { candidate_groups: t.candidateGroups, candidate_users: t.candidateUsers, group_keys: t.groupKeys ?? [], assignee: t.assignee, owner: t.owner };
}

/**
 * Reading tasks: one task, and the queues (GET /api/tasks, a saved queue's tasks). Every read
 * applies the access rules of task-access.ts: out of the caller's region scope is 404, in scope
 * without a relation to the task is 403, and a list holds only what the caller may open.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: TasksRepository,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The caller for the per-task rules (their region scope is checked task by task). */
  viewer(actor: Actor): Viewer {
    return viewerOf(actor, { walkthrough: this.config.testClock });
  }

  /** The caller for the queue queries: with every region code of their scope resolved. */
  async listViewer(actor: Actor): Promise<Viewer> {
    return viewerOf(actor, { walkthrough: this.config.testClock, scopeCodes: await this.repo.subtree(actor.regionScopes) });
  }

  /** The region codes of the subtrees the filters name; an unknown region is a 400 naming the field. */
  async subtrees(filters: readonly TaskFilter[], prefix = ''): Promise<Subtrees> {
    const map = new Map<string, readonly string[]>();
    for (const f of filters) {
      if (f.region === undefined || map.has(f.region)) continue;
      const codes = await this.repo.subtree([f.region]);
      if (!codes.length) throw badField(`${prefix}region`, `${f.region} is not a known region or region group code`);
      map.set(f.region, codes);
    }
    return map;
  }

  bounds(): SlaBounds {
    return slaBounds(this.calendar.snapshot(), this.clock.now());
  }

  async get(actor: Actor, id: string): Promise<TaskView> {
    const { task } = await this.readable(actor, id);
    return toView(task, this.bounds());
  }

  /** The task if the caller may see it (404 out of scope or absent, 403 without a relation), with their relations. */
  async readable(actor: Actor, id: string): Promise<{ task: TaskRecord; relations: Set<Relation> }> {
    const v = this.viewer(actor);
    const task = isUuid(id) ? await this.repo.view(id) : null;
    if (!task || !(await this.repo.inScope(task.regionCode, v.regionScopes))) throw taskNotFound(id);
    const relations = relationsOf(v, holdersOf(task));
    if (!relations.size && task.completedBy !== v.id) throw taskForbidden(id);
    return { task, relations };
  }

  async list(actor: Actor, q: TaskFilter & { limit?: number; cursor?: string }): Promise<TaskPageDto> {
    const { limit, cursor, ...filter } = q;
    await this.checkFilter(filter);
    return this.page(await this.listViewer(actor), filter, limit ?? 50, cursor);
  }

  /** Problems a filter's shape cannot show: an unknown region, an SLA on closed tasks. `prefix` names nested fields. */
  async checkFilter(f: TaskFilter, prefix = ''): Promise<void> {
    await this.subtrees([f], prefix);
    if (f.sla?.length && (f.status ?? 'open') !== 'open') throw badField(`${prefix}sla`, 'sla applies to open tasks only (status=open)');
  }

  async page(v: Viewer, filter: TaskFilter, limit: number, cursorText?: string): Promise<TaskPageDto> {
    const bounds = this.bounds();
    const cursor: TaskCursor | undefined = cursorText ? decodeCursor(cursorText, filter.sort ?? DEFAULT_SORT) : undefined;
    const subtrees = await this.subtrees([filter]);
    const list = listQuery(v, filter, bounds, { limit, cursor }, subtrees);
    const rows: TaskRecord[] = await this.ds.query(list.sql, list.params);
    const count = countQuery(v, filter, bounds, subtrees);
    const [{ n }] = await this.ds.query(count.sql, count.params);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor = rows.length > limit && last ? encodeCursor({ sort: filter.sort ?? DEFAULT_SORT, key: last.sortKey!, id: last.id }) : null;
    return { items: items.map((r) => toView(r, bounds)), nextCursor, ...capped(n as number) };
  }
}

export function capped(n: number): { total: number; totalExact: boolean; totalLabel: string } {
  const exact = n <= COUNT_CAP;
  return { total: Math.min(n, COUNT_CAP), totalExact: exact, totalLabel: exact ? String(n) : `${COUNT_CAP}+` };
}

export function toView(r: TaskRecord, bounds: SlaBounds): TaskView {
  const { groupKeys: _keys, sortKey: _sort, ...rest } = r;
  const sla = slaOf(r, bounds);
  return { ...rest, statusLabel: STATUS_LABELS[r.status], sla, slaLabel: SLA_LABELS[sla] };
}
