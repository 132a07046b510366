import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Public, Roles } from '../api';
import { DeadlineDto, NoticeIdParam, NoticeListQuery, RecordNoticeDto, WorkingDaysQuery, YearParam, YearQuery } from './calendar.dto';
import { CALENDAR_ADMIN_ROLES, CalendarNoticesService } from './calendar-notices.service';
import { CalendarService } from './calendar.service';

@ApiTags('calendar')
@Controller('api/calendar')
export class CalendarController {
  constructor(
    private readonly calendar: CalendarService,
    private readonly notices: CalendarNoticesService,
  ) {}

  @Get('working-days')
  @Public()
  @ApiOperation({ summary: 'A statutory deadline: N working days after `from`, or N calendar days rolled forward past rest days' })
  @ApiOkResponse({ type: DeadlineDto })
  workingDays(@Query() q: WorkingDaysQuery): DeadlineDto {
    const d = this.calendar.deadline({ rule: q.rule, start: q.from, n: q.n, region: q.region });
    return { due: d.due, dueAt: d.dueAt, provisional: d.provisional, missingYears: d.missingYears, rule: d.rule, from: d.start, n: d.days, region: q.region ?? null };
  }

  @Get('notices')
  @Public()
  @ApiOperation({ summary: 'Recorded notices, every version (newest first)' })
  listNotices(@Query() q: NoticeListQuery) {
    return this.notices.list(q.year, q.region);
  }

  @Get('notices/:id')
  @Public()
  getNotice(@Param() p: NoticeIdParam) {
    return this.notices.get(p.id);
  }

  @Post('notices/:id/confirm')
  @Roles(...CALENDAR_ADMIN_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'A second calendar administrator confirms a pending notice; open provisional deadlines are recomputed' })
  confirm(@CurrentActor() actor: Actor, @Param() p: NoticeIdParam) {
    return this.notices.confirm(actor, p.id);
  }

  @Put('years/:year')
  @Roles(...CALENDAR_ADMIN_ROLES)
  @ApiOperation({ summary: 'Record a year’s State Council notice (or, with `region`, a regional overlay): a new pending version' })
  record(@CurrentActor() actor: Actor, @Param() p: YearParam, @Body() body: RecordNoticeDto) {
    return this.notices.record(actor, p.year, body);
  }

  @Get(':year')
  @Public()
  @ApiOperation({ summary: 'The year’s rest days and make-up working days' })
  year(@Param() p: YearParam, @Query() q: YearQuery) {
    return this.calendar.year(p.year, q.region);
  }
}
