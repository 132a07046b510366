import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, Role } from '../api';
import { Clock } from '../common';
import { inTransaction } from '../database';
import { InvalidDateError, parseDate } from './calendar-date';
import { CalendarDeadlinesService, MovedDeadline } from './calendar-deadlines.service';
import { FieldProblem, adminRequired, confirmerIsEnterer, noticeInvalid, noticeNotFound, noticeNotPending } from './calendar.errors';
import { CalendarRepository, NoticeDay, NoticeRow } from './calendar.repository';
import { CalendarService } from './calendar.service';

/**
 * Roles that may enter and confirm calendar notices (a second holder confirms). The calendar is
 * policy data, kept by the policy roles until identity has a dedicated calendar administrator.
 */
export const CALENDAR_ADMIN_ROLES: readonly Role[] = [Role.PolicyModeler, Role.PolicyApprover];
const MAX_DAYS = 400;
const KINDS = ['holiday', 'workday', 'closure'];

export interface RecordNoticeInput {
  sourceDocument: string;
  title?: string;
  note?: string;
  /** absent for the State Council's national arrangement; a region code for an overlay or closure */
  region?: string;
  days: NoticeDay[];
}

export type NoticeWithDays = NoticeRow & { days: NoticeDay[] };

/**
 * The calendar's writes: a year's notice is entered by one administrator as a new pending
 * version and put in force when a second one confirms it (four eyes). Confirming recomputes every
 * open provisional deadline in the same transaction.
 */
@Injectable()
export class CalendarNoticesService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: CalendarRepository,
    private readonly calendar: CalendarService,
    private readonly deadlines: CalendarDeadlinesService,
    private readonly clock: Clock,
  ) {}

  async record(actor: Actor, year: number, input: RecordNoticeInput): Promise<NoticeWithDays> {
    assertAdmin(actor);
    const region = input.region ?? null;
    if (region !== null) this.calendar.regionPath(region);
    const days = checkDays(year, input.days);
    return inTransaction(this.ds, async (em) => {
      await this.repo.lockScope(em, year, region);
      const notice = await this.repo.insertNotice(em, {
        year,
        regionCode: region,
        sourceDocument: input.sourceDocument.trim(),
        title: input.title?.trim() || null,
        note: input.note?.trim() || null,
        enteredBy: actor.id,
        enteredAt: this.clock.now(),
        days,
      });
      return { ...notice, days: await this.repo.noticeDays(em, notice.id) };
    });
  }

  async confirm(actor: Actor, id: string): Promise<NoticeWithDays & { recomputed: MovedDeadline[] }> {
    assertAdmin(actor);
    const { notice, moved, cal } = await inTransaction(this.ds, async (em) => {
      const found = await this.repo.findNotice(em, id);
      if (!found) throw noticeNotFound(id);
      await this.repo.lockScope(em, found.year, found.regionCode);
      const current = (await this.repo.findNotice(em, id, true))!;
      if (current.status !== 'pending') throw noticeNotPending(id, current.status);
      if (current.enteredBy === actor.id) throw confirmerIsEnterer(id);
      await this.repo.confirm(em, current, actor.id, this.clock.now());
      const cal = await this.calendar.load(em);
      const moved = await this.deadlines.recomputeProvisional(em, cal);
      return { notice: (await this.repo.findNotice(em, id))!, moved, cal };
    });
    this.calendar.install(cal);
    return { ...notice, days: await this.repo.noticeDays(undefined, id), recomputed: moved };
  }

  async get(id: string): Promise<NoticeWithDays> {
    const notice = await this.repo.findNotice(undefined, id);
    if (!notice) throw noticeNotFound(id);
    return { ...notice, days: await this.repo.noticeDays(undefined, id) };
  }

  list(year?: number, region?: string): Promise<NoticeRow[]> {
    return this.repo.listNotices(year, region === undefined ? undefined : region === 'national' ? null : region);
  }
}

function assertAdmin(actor: Actor): void {
  if (!actor.roles.some((r) => (CALENDAR_ADMIN_ROLES as readonly string[]).includes(r))) throw adminRequired();
}

/** Days of a year's notice: real dates, from December before to January after, each once. */
function checkDays(year: number, days: NoticeDay[]): NoticeDay[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const [from, to] = [`${year - 1}-12-01`, `${year + 1}-01-31`];
  days.forEach((d, i) => {
    try {
      parseDate(d.date);
      if (d.date < from || d.date > to) problems.push({ field: `days[${i}].date`, problems: [`${d.date} is outside ${from} … ${to} for a ${year} notice`] });
      else if (seen.has(d.date)) problems.push({ field: `days[${i}].date`, problems: [`${d.date} is listed twice`] });
      seen.add(d.date);
    } catch (e) {
      if (!(e instanceof InvalidDateError)) throw e;
      problems.push({ field: `days[${i}].date`, problems: [e.message] });
    }
    if (!KINDS.includes(d.kind)) problems.push({ field: `days[${i}].kind`, problems: [`kind must be one of ${KINDS.join(', ')}`] });
  });
  if (days.length > MAX_DAYS) problems.push({ field: 'days', problems: [`at most ${MAX_DAYS} days`] });
  if (problems.length) throw noticeInvalid(problems);
  return [...days].sort((a, b) => a.date.localeCompare(b.date));
}
