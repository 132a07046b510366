import { Injectable } from '@nestjs/common';
import { Actor } from '../api';
import { toCalendarDate } from '../calendar';
import { Clock, isUuid } from '../common';
import { PersonalDataService } from '../identity';
import { WaitingListRules, ruleView } from './waiting-list-rules.service';
import { entryView, myEntryView, withHistory } from './waiting-list-views';
import { EntryView, ListWaitingQuery, MyEntriesView, WaitingListPage } from './waiting-list.dto';
import { entryNotFound, regionLevel, regionOutOfScope, regionUnknown } from './waiting-list.errors';
import { WaitingListRepository } from './waiting-list.repository';

const COUNTY_LEVELS = ['county', 'functional_zone'];

/**
 * Reading the waiting list: a county's list for staff whose scope covers the county (403
 * otherwise), an entry (404 outside the scope), and an applicant's own entries with their place.
 * The order is the priority order in force today.
 */
@Injectable()
export class WaitingListQueries {
  constructor(
    private readonly repo: WaitingListRepository,
    private readonly rules: WaitingListRules,
    private readonly personal: PersonalDataService,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, q: ListWaitingQuery): Promise<WaitingListPage> {
    const region = await this.repo.region(q.region);
    if (!region) throw regionUnknown('region', q.region);
    if (!COUNTY_LEVELS.includes(region.level)) throw regionLevel(q.region);
    if (!(await this.repo.inScope(actor, q.region))) throw regionOutOfScope(q.region);
    const rule = await this.rules.inForce(q.region, toCalendarDate(this.clock.now()));
    const status = q.status ?? 'waiting';
    const limit = q.limit ?? 100;
    const offset = q.offset ?? 0;
    const { rows, total } = status === 'waiting' ? await this.repo.ranked(q.region, rule.priority_order, limit, offset) : await this.repo.ended(q.region, status, limit, offset);
    return {
      region: q.region,
      regionName: region.name,
      status,
      rule: ruleView(rule),
      items: rows.map((e) => entryView(e, this.personal, rule.priority_order)),
      total,
      limit,
      offset,
    };
  }

  async get(actor: Actor, id: string): Promise<EntryView> {
    const e = isUuid(id) ? await this.repo.findVisible(actor, id) : null;
    if (!e) throw entryNotFound(id);
    const history = await this.repo.history(e.id);
    if (e.status !== 'waiting') return withHistory(entryView(e, this.personal), history);
    const rule = await this.rules.inForce(e.region_code, toCalendarDate(this.clock.now()));
    return withHistory(entryView((await this.repo.rankOf(e, rule.priority_order)) ?? e, this.personal, rule.priority_order), history);
  }

  /** The applicant's own entries: for each waiting one, its place in the county's list and in its priority band. */
  async mine(actor: Actor): Promise<MyEntriesView> {
    const today = toCalendarDate(this.clock.now());
    const entries = [];
    for (const e of await this.repo.ofApplicant(actor.id)) {
      const rule = await this.rules.inForce(e.region_code, today);
      const ranked = e.status === 'waiting' ? await this.repo.rankOf(e, rule.priority_order) : null;
      entries.push(myEntryView(e, ranked, rule.priority_order));
    }
    return { entries };
  }
}
