import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, EntityManager } from 'typeorm';
import { CalendarService, toCalendarDate } from '../../calendar';
import { Clock } from '../../common';
import { APP_CONFIG, AppConfig } from '../../config';
import { ScheduleSlots } from '../../notify';
import { TaskDigest } from './task-digest';
import { TaskForMail, TaskMail } from './task-mail';

const INTERVAL = 'tasks-deadline-mail';
/** the scan runs once per slot of this length, on whichever node claims it first */
export const SCAN_SLOT_MS = 5 * 60000;
const BATCH = 500;

interface TaskRow extends TaskForMail {
  candidateGroups: string[];
  candidateUsers: string[];
}

const TASK_COLUMNS = `t.id, t.name, t.element_id AS "elementId", t.business_key AS "businessKey", t.assignee,
  t.candidate_groups AS "candidateGroups", t.candidate_users AS "candidateUsers", t.due_at AS "dueAt"`;

/**
 * Every few minutes, on one node per slot: "due soon" mail for open tasks due by the end of the
 * next working day (official calendar), "overdue" mail for open tasks past their due time, each
 * once per task (user_task_deadline_mails); then the daily digest when its slot has come.
 */
@Injectable()
export class TaskDeadlineScan implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('TaskDeadlineMail');
  private busy: Promise<unknown> | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly calendar: CalendarService,
    private readonly mail: TaskMail,
    private readonly digest: TaskDigest,
    private readonly slots: ScheduleSlots,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobs.enabled) return;
    // a minute is short enough to catch each 5-minute slot and the 08:00 digest promptly
    this.scheduler.addInterval(INTERVAL, setInterval(() => this.tick(), 60000));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', INTERVAL)) this.scheduler.deleteInterval(INTERVAL);
    await this.busy?.catch(() => undefined);
  }

  private tick(): void {
    if (this.busy) return;
    this.busy = (async () => {
      await this.scan();
      await this.digest.run();
    })()
      .catch((e: Error) => this.logger.error(`task mail scan failed: ${e.message}`))
      .finally(() => (this.busy = null));
  }

  /** The end of the next working day after today (Shanghai): tasks due before it are "due soon". */
  horizon(now: Date): Date {
    return this.calendar.deadline({ start: toCalendarDate(now), n: 1 }).dueInstant;
  }

  /** Runs this slot's scan unless another node did; returns what it queued, or null when the slot was taken. */
  async scan(): Promise<{ dueSoon: number; overdue: number } | null> {
    const now = this.clock.now();
    const slot = new Date(Math.floor(now.getTime() / SCAN_SLOT_MS) * SCAN_SLOT_MS).toISOString();
    return this.ds.transaction(async (em) => {
      if (!(await this.slots.claim(em, 'task-deadline-scan', slot))) return null;
      const overdue = await this.candidates(em, 'overdue', `t.due_at <= $1`, [now.toISOString()]);
      const dueSoon = await this.candidates(em, 'due-soon', `t.due_at > $1 AND t.due_at <= $2`, [now.toISOString(), this.horizon(now).toISOString()]);
      let queued = { dueSoon: 0, overdue: 0 };
      for (const [kind, tasks] of [['overdue', overdue], ['due-soon', dueSoon]] as const) {
        for (const task of tasks) {
          const r = await this.mail.deadline(em, task, kind);
          await em.query(`INSERT INTO user_task_deadline_mails (task_id, kind, recipients, queued_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
            task.id, kind, r?.queued.length ?? 0, now.toISOString(),
          ]);
          if (kind === 'overdue') queued = { ...queued, overdue: queued.overdue + 1 };
          else queued = { ...queued, dueSoon: queued.dueSoon + 1 };
        }
      }
      return queued;
    });
  }

  private candidates(em: EntityManager, kind: string, due: string, params: string[]): Promise<TaskRow[]> {
    return em.query(
      `SELECT ${TASK_COLUMNS} FROM user_tasks t
        WHERE t.status = 'open' AND ${due}
          AND NOT EXISTS (SELECT 1 FROM user_task_deadline_mails m WHERE m.task_id = t.id AND m.kind = $${params.length + 1})
        ORDER BY t.due_at LIMIT ${BATCH}`,
      [...params, kind],
    );
  }
}
