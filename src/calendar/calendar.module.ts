import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions';
import { CalendarController } from './calendar.controller';
import { CalendarDeadlinesService } from './calendar-deadlines.service';
import { CalendarNoticesService } from './calendar-notices.service';
import { CalendarRepository } from './calendar.repository';
import { CalendarService } from './calendar.service';

/** The official working-day calendar: notices, rules, tracked deadlines; FEEL functions are registered by the engine. */
@Module({
  imports: [RegionsModule],
  controllers: [CalendarController],
  providers: [CalendarRepository, CalendarService, CalendarNoticesService, CalendarDeadlinesService],
  exports: [CalendarService, CalendarNoticesService, CalendarDeadlinesService],
})
export class CalendarModule {}
