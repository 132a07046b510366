import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalendarService, toCalendarDate } from '../../calendar';
import { Clock } from '../../common';
import { StaffMember, UserDirectory } from '../../identity';
import { NotifyService, ScheduleSlots } from '../../notify';
import { TaskForMail, taskVars } from './task-mail';

/** The digest goes out from 08:00 China time, once a working day. */
export const DIGEST_HOUR = 8;
const SHANGHAI_OFFSET_MS = 8 * 3600000;
/** tasks listed in one digest; the rest are counted */
const LISTED = 30;
const MAX_TASKS = 50000;

interface DigestTask extends TaskForMail {
  candidateGroups: string[];
  candidateUsers: string[];
  dueAt: Date;
}

/** Is the task in this user's queue: assigned to them, or unassigned with them among its candidates. */
function concerns(task: DigestTask, user: StaffMember): boolean {
  const me = (ref: string) => ref === user.userId || ref === user.username;
  if (task.assignee) return me(task.assignee);
  return task.candidateUsers.some(me) || task.candidateGroups.some((g) => user.groups.includes(g));
}

/**
 * Each working day from 08:00 (Asia/Shanghai), every staff member with an address gets one mail
 * listing their tasks that are overdue or due by the end of the next working day: assigned to
 * them, or unassigned in their candidate groups. One node sends it (the day's slot), and the
 * dedupe key per user and day holds even if a slot were run twice.
 */
@Injectable()
export class TaskDigest {
  constructor(
    private readonly ds: DataSource,
    private readonly calendar: CalendarService,
    private readonly directory: UserDirectory,
    private readonly notify: NotifyService,
    private readonly slots: ScheduleSlots,
    private readonly clock: Clock,
  ) {}

  /** Sends today's digest if it is due and no node has; returns how many users got one, or null. */
  async run(): Promise<{ date: string; users: number } | null> {
    const now = this.clock.now();
    const today = toCalendarDate(now);
    if (new Date(now.getTime() + SHANGHAI_OFFSET_MS).getUTCHours() < DIGEST_HOUR) return null;
    if (!this.calendar.day(today).working) return null; // nobody works through a queue on a rest day
    const horizon = this.calendar.deadline({ start: today, n: 1 }).dueInstant;
    return this.ds.transaction(async (em) => {
      if (!(await this.slots.claim(em, 'task-digest', today))) return null;
      const tasks = (await em.query(
        `SELECT id, name, element_id AS "elementId", business_key AS "businessKey", assignee, candidate_groups AS "candidateGroups",
                candidate_users AS "candidateUsers", due_at AS "dueAt"
           FROM user_tasks WHERE status = 'open' AND due_at <= $1 ORDER BY due_at, id LIMIT ${MAX_TASKS}`,
        [horizon.toISOString()],
      )) as DigestTask[];
      if (!tasks.length) return { date: today, users: 0 };
      let users = 0;
      for (const user of await this.directory.staffWithMail(em)) {
        const mine = tasks.filter((t) => concerns(t, user));
        if (!mine.length) continue;
        const overdue = mine.filter((t) => new Date(t.dueAt) <= now).length;
        await this.notify.enqueue(em, {
          template: 'task.digest',
          to: { users: [user.userId] },
          vars: {
            date: today,
            tasks: mine.slice(0, LISTED).map((t) => ({ name: taskVars(t).taskName, businessKey: t.businessKey, dueAt: new Date(t.dueAt).toISOString(), overdue: new Date(t.dueAt) <= now })),
            overdueCount: overdue,
            dueSoonCount: mine.length - overdue,
            more: mine.length > LISTED ? mine.length - LISTED : null,
          },
          dedupeKey: `task.digest:${user.userId}:${today}`,
        });
        users++;
      }
      return { date: today, users };
    });
  }
}
