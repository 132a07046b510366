import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { EntityManager } from 'typeorm';
import { Clock } from '../common';
import { RegionsService } from '../regions';
import { InvalidDateError, addDays, shanghaiDateOf, toCalendarDate, toDayNumber, yearOf } from './calendar-date';
import { FieldProblem, invalidInput } from './calendar.errors';
import { CalendarRepository } from './calendar.repository';
import {
  CalendarSnapshot,
  DEADLINE_RULES,
  DayInfo,
  Deadline,
  DeadlineRule,
  MAX_PERIOD_DAYS,
  addCalendarDaysRolling,
  addWorkingDays,
  workingDaysBetween,
} from './working-days';

const REFRESH = 'calendar-refresh';
const REFRESH_MS = 60_000;
// from 1 November the State Council's notice for next year is due (DOMAIN.md "Working days")
const WARN_FROM_MONTH = 11;

export interface DeadlineInput {
  rule?: unknown;
  start: unknown;
  n: unknown;
  region?: unknown;
  /** the name of the start in error messages: `from` over HTTP, `start` in FEEL */
  startField?: string;
}

export interface CalendarStatus {
  today: string;
  knownYears: number[];
  /** this year or next year (from 1 November) without a confirmed national calendar */
  missing: number[];
  warning: string | null;
}

/**
 * Reads of the working-day calendar. The confirmed calendar is held in memory (a few thousand
 * rows) so that FEEL functions, which are synchronous, can count days inside an engine step; it
 * is reloaded when this node confirms a notice and polled for other nodes' changes every minute.
 */
@Injectable()
export class CalendarService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CalendarService');
  private cal = new CalendarSnapshot([], []);
  private paths = new Map<string, string[]>();
  private revision: string | null = null;

  constructor(
    private readonly repo: CalendarRepository,
    private readonly regions: RegionsService,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    // With migrations not yet applied (DB_MIGRATIONS_RUN=false) the app still boots and /health
    // names them; the calendar stays empty (every deadline provisional) until the next refresh.
    await this.refreshIfChanged().catch((e: Error) => this.logger.warn(`calendar not loaded: ${e.message}`));
  }

  onApplicationBootstrap(): void {
    const timer = setInterval(() => {
      this.refreshIfChanged().catch((e: Error) => this.logger.warn(`calendar refresh failed: ${e.message}`));
    }, REFRESH_MS);
    timer.unref();
    this.scheduler.addInterval(REFRESH, timer);
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', REFRESH)) this.scheduler.deleteInterval(REFRESH);
  }

  snapshot(): CalendarSnapshot {
    return this.cal;
  }

  /** Loads the confirmed calendar (through `em` inside a transaction that just changed it). */
  async load(em?: EntityManager): Promise<CalendarSnapshot> {
    const { entries, knownYears } = await this.repo.loadCalendar(em);
    return new CalendarSnapshot(entries, knownYears);
  }

  /** Puts a freshly loaded calendar (and, when given, the region tree) in force on this node. */
  install(cal: CalendarSnapshot, regionPaths?: Map<string, string[]>): void {
    this.cal = cal;
    if (regionPaths) this.paths = regionPaths;
    this.revision = null; // the next poll re-reads the revision
  }

  async reload(): Promise<void> {
    const revision = await this.repo.revision();
    this.paths = await this.regions.allPaths();
    this.cal = await this.load();
    this.revision = revision;
  }

  async refreshIfChanged(): Promise<boolean> {
    const revision = await this.repo.revision();
    if (revision === this.revision) return false;
    await this.reload();
    return true;
  }

  /** The region's path (province first, itself last); [] for the national calendar. */
  regionPath(region: unknown, field = 'region'): string[] {
    if (region === undefined || region === null || region === '') return [];
    const path = typeof region === 'string' ? this.paths.get(region) : undefined;
    if (!path) throw invalidInput([{ field, problems: [`${JSON.stringify(region)} is not a known region code (e.g. 510100, 513400)`] }]);
    return path;
  }

  /** A deadline on the calendar in force; bad input is refused with the field it came from. */
  deadline(input: DeadlineInput, cal = this.cal): Deadline {
    const problems: FieldProblem[] = [];
    const rule = (input.rule ?? 'working-days') as DeadlineRule;
    if (!DEADLINE_RULES.includes(rule)) problems.push({ field: 'rule', problems: [`rule must be one of ${DEADLINE_RULES.join(', ')}`] });
    const start = dateField(input.start, input.startField ?? 'from', problems);
    const n = input.n;
    const min = rule === 'calendar-rolling' ? 0 : -MAX_PERIOD_DAYS;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > MAX_PERIOD_DAYS) {
      problems.push({ field: 'n', problems: [`n must be an integer from ${min} to ${MAX_PERIOD_DAYS}`] });
    }
    if (problems.length) throw invalidInput(problems);
    const path = this.regionPath(input.region);
    return rule === 'working-days' ? addWorkingDays(cal, start!, n as number, path) : addCalendarDaysRolling(cal, start!, n as number, path);
  }

  day(date: unknown, region?: unknown): DayInfo {
    const problems: FieldProblem[] = [];
    const d = dateField(date, 'date', problems);
    if (problems.length) throw invalidInput(problems);
    return this.cal.day(d!, this.regionPath(region));
  }

  workingDaysBetween(a: unknown, b: unknown, region?: unknown): ReturnType<typeof workingDaysBetween> {
    const problems: FieldProblem[] = [];
    const from = dateField(a, 'a', problems);
    const to = dateField(b, 'b', problems);
    if (from && to && Math.abs(toDayNumber(to) - toDayNumber(from)) > MAX_PERIOD_DAYS * 2) {
      problems.push({ field: 'b', problems: [`b must be within ${MAX_PERIOD_DAYS * 2} days of a`] });
    }
    if (problems.length) throw invalidInput(problems);
    return workingDaysBetween(this.cal, from!, to!, this.regionPath(region));
  }

  /** The year's rest days and make-up working days (national, or with a region's overlays). */
  year(year: number, region?: string): YearCalendar {
    const path = this.regionPath(region);
    const entries = this.cal.entriesBetween(`${year}-01-01`, `${year}-12-31`, path);
    let workingDays = 0;
    for (let d = `${year}-01-01`; yearOf(d) === year; d = addDays(d, 1)) if (this.cal.isWorkingDay(d, path)) workingDays++;
    const row = (e: (typeof entries)[number]) => ({ date: e.date, name: e.name, kind: e.kind, regionCode: e.regionCode });
    return {
      year,
      region: region ?? null,
      provisional: !this.cal.hasYear(year),
      workingDays,
      restDays: entries.filter((e) => e.kind !== 'workday').map(row),
      makeUpWorkingDays: entries.filter((e) => e.kind === 'workday').map(row),
    };
  }

  /** What /health reports: a missing current year always, next year's from 1 November on. */
  status(now = this.clock.now()): CalendarStatus {
    const today = shanghaiDateOf(now);
    const year = yearOf(today);
    const wanted = Number(today.slice(5, 7)) >= WARN_FROM_MONTH ? [year, year + 1] : [year];
    const missing = wanted.filter((y) => !this.cal.hasYear(y));
    const warning = missing.length
      ? `No confirmed working-day calendar for ${missing.join(', ')}: deadlines in ${missing.length > 1 ? 'these years' : 'that year'} count weekends only and are provisional until the State Council notice is entered (PUT /api/calendar/years/${missing[0]})`
      : null;
    return { today, knownYears: this.cal.knownYears(), missing, warning };
  }
}

export interface YearCalendar {
  year: number;
  region: string | null;
  provisional: boolean;
  workingDays: number;
  restDays: { date: string; name: string; kind: string; regionCode: string | null }[];
  makeUpWorkingDays: { date: string; name: string; kind: string; regionCode: string | null }[];
}

function dateField(value: unknown, field: string, problems: FieldProblem[]): string | null {
  try {
    return toCalendarDate(value);
  } catch (e) {
    if (!(e instanceof InvalidDateError)) throw e;
    problems.push({ field, problems: [e.message] });
    return null;
  }
}
