import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { Clock } from '../common';
import { APP_CONFIG, AppConfig } from '../config';
import { NotifyService, ScheduleSlots } from '../notify';
import { addDays, shanghaiDateOf, weekday } from './calendar-date';
import { CALENDAR_ADMIN_ROLES } from './calendar-notices.service';
import { CalendarService } from './calendar.service';

const INTERVAL = 'calendar-year-reminder';
const HOUR_MS = 3600000;

/**
 * Missing years (issue 4, item 3): while /health warns that a year has no confirmed calendar
 * (this year, or next year from 1 November), the calendar administrators — the roles that may
 * enter and confirm notices — get one mail a week, from one node (the week's slot), until the
 * year is entered and confirmed.
 */
@Injectable()
export class CalendarYearReminder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CalendarYearReminder');
  private busy: Promise<unknown> | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly calendar: CalendarService,
    private readonly notify: NotifyService,
    private readonly slots: ScheduleSlots,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobs.enabled) return;
    this.scheduler.addInterval(INTERVAL, setInterval(() => this.tick(), HOUR_MS));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', INTERVAL)) this.scheduler.deleteInterval(INTERVAL);
    await this.busy?.catch(() => undefined);
  }

  private tick(): void {
    if (this.busy) return;
    this.busy = this.run()
      .catch((e: Error) => this.logger.error(`calendar reminder failed: ${e.message}`))
      .finally(() => (this.busy = null));
  }

  /** Queues this week's reminder if a year is missing and no node has; null when there is nothing to send. */
  async run(): Promise<{ years: number[]; week: string; queued: number } | null> {
    const now = this.clock.now();
    const { missing } = this.calendar.status(now);
    if (!missing.length) return null;
    const today = shanghaiDateOf(now);
    const week = addDays(today, -((weekday(today) + 6) % 7)); // the Monday of this week
    return this.ds.transaction(async (em) => {
      if (!(await this.slots.claim(em, 'calendar-year-missing', week))) return null;
      const r = await this.notify.enqueue(em, {
        template: 'calendar.year-missing',
        to: { roles: [...CALENDAR_ADMIN_ROLES] },
        vars: { years: missing },
        dedupeKey: `calendar.year-missing:${missing.join(',')}:${week}`,
      });
      this.logger.warn(`no confirmed calendar for ${missing.join(', ')}: reminded ${r.queued.length} calendar administrators`);
      return { years: missing, week, queued: r.queued.length };
    });
  }
}
