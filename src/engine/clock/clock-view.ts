import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DefinitionsService } from '../definitions/definitions.service';
import { ClockState, readClock } from './clock-state';
import { ClockRepository, PauseRow } from './clock.repository';
import { DeadlineTracking } from './deadline-tracking';

export interface Label {
  'zh-CN': string;
  en: string;
}

/** A running or paused deadline of the instance, as a caseworker sees it. */
export interface DeadlineView {
  kind: 'timer' | 'task';
  elementId: string;
  /** the element's label from the diagram */
  name: string | null;
  executionId: string;
  taskId?: string;
  /** null while paused */
  dueAt: string | null;
  paused: boolean;
  /** counted (partly) on a year without calendar data: moves when the year is entered */
  provisional: boolean;
  /** while paused: the deadline when the clock stopped and the working days it had left */
  dueBefore?: string;
  remainingWorkingDays?: number;
}

export type PauseView = Omit<PauseRow, 'instanceId'>;

/** The `clock` block of GET /api/process-instances/{id}. */
export interface ClockView {
  status: 'running' | 'paused';
  label: Label;
  pausedSince: string | null;
  currentPause: PauseView | null;
  pauses: PauseView[];
  deadlines: DeadlineView[];
}

const LABELS: Record<ClockView['status'], Label> = {
  running: { 'zh-CN': '计时中', en: 'Running' },
  paused: { 'zh-CN': '已中止计时', en: 'Paused' },
};

type Row = { element_id: string; execution_id: string; due_at: string | null; id?: string; name?: string | null };

/** Reads an instance's clock: paused or running, the pauses so far, the current deadlines. */
@Injectable()
export class ClockViews {
  constructor(
    private readonly ds: DataSource,
    private readonly definitions: DefinitionsService,
    private readonly pauses: ClockRepository,
    private readonly tracking: DeadlineTracking,
  ) {}

  async get(instanceId: string, definitionId: string): Promise<ClockView> {
    const [row]: { clock: Partial<ClockState> | null; timers: Row[]; tasks: Row[] }[] = await this.ds.query(
      `SELECT i.state -> 'anjuClock' AS clock,
              COALESCE((SELECT json_agg(json_build_object('element_id', j.element_id, 'execution_id', j.execution_id, 'due_at', j.due_at) ORDER BY j.due_at, j.id)
                          FROM engine_jobs j WHERE j.instance_id = i.id AND j.kind = 'timer'), '[]') AS timers,
              COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'element_id', t.element_id, 'execution_id', t.execution_id, 'due_at', t.due_at) ORDER BY t.created_at, t.id)
                          FROM user_tasks t WHERE t.instance_id = i.id AND t.status = 'open'), '[]') AS tasks
         FROM engine_process_instances i WHERE i.id = $1`,
      [instanceId],
    );
    const pauses = (await this.pauses.list(this.ds.manager, instanceId)).map(({ instanceId: _i, ...p }) => (void _i, p));
    const current = pauses.find((p) => p.status === 'paused') ?? null;
    const clock = readClock(row?.clock ? { anjuClock: row.clock } : null);
    const meta = (await this.definitions.load(definitionId)).meta;
    const name = (elementId: string) => meta.elements[elementId]?.name ?? null;
    const pausedItem = (executionId: string) => current?.items.find((i) => i.executionId === executionId);
    const timers = (row?.timers ?? []).map((j) => ({ kind: 'timer' as const, elementId: j.element_id, executionId: j.execution_id, dueAt: j.due_at }));
    for (const [executionId, o] of Object.entries(clock.timers)) {
      const item = pausedItem(executionId);
      if (o.paused && item) timers.push({ kind: 'timer', elementId: item.elementId, executionId, dueAt: null });
    }
    const tasks = (row?.tasks ?? []).filter((t) => t.due_at !== null || pausedItem(t.execution_id));
    const provisional = await this.tracking.provisional(instanceId, timers.map((t) => t.executionId), tasks.map((t) => t.id!));
    const deadlines: DeadlineView[] = [
      ...timers.map((t) => ({ ...t, name: name(t.elementId), provisional: provisional.timers.has(t.executionId) })),
      ...tasks.map((t) => ({ kind: 'task' as const, elementId: t.element_id, name: t.name ?? name(t.element_id), executionId: t.execution_id, taskId: t.id!, dueAt: t.due_at, provisional: provisional.tasks.has(t.id!) })),
    ].map((d) => {
      const item = d.dueAt === null ? pausedItem(d.executionId) : undefined;
      return { ...d, dueAt: d.dueAt && new Date(d.dueAt).toISOString(), paused: !!item, ...(item && { dueBefore: item.dueBefore, remainingWorkingDays: item.remainingWorkingDays }) };
    });
    const status = current ? 'paused' : 'running';
    return { status, label: LABELS[status], pausedSince: current?.pausedAt ?? null, currentPause: current, pauses, deadlines };
  }
}
