import { Module } from '@nestjs/common';
import { NotifyModule } from '../notify';
import { RegionsModule } from '../regions';
import { CalendarController } from './calendar.controller';
import { CalendarDeadlinesService } from './calendar-deadlines.service';
import { CalendarNoticesService } from './calendar-notices.service';
import { CalendarRepository } from './calendar.repository';
import { CalendarService } from './calendar.service';
import { CalendarYearReminder } from './calendar-year-reminder';

/** The official working-day calendar: notices, rules, tracked deadlines; FEEL functions are registered by the engine. */
@Module({
  imports: [RegionsModule, NotifyModule],
  controllers: [CalendarController],
  providers: [CalendarRepository, CalendarService, CalendarNoticesService, CalendarDeadlinesService, CalendarYearReminder],
  exports: [CalendarService, CalendarNoticesService, CalendarDeadlinesService, CalendarYearReminder],
})
export class CalendarModule {}
