// The calendar's public surface: what other modules (the engine's FEEL functions, health, notify) may use.
export { CalendarModule } from './calendar.module';
export { CalendarService } from './calendar.service';
export type { CalendarStatus, DeadlineInput, YearCalendar } from './calendar.service';
export { CalendarNoticesService, CALENDAR_ADMIN_ROLES } from './calendar-notices.service';
export type { NoticeWithDays, RecordNoticeInput } from './calendar-notices.service';
export { CalendarDeadlinesService } from './calendar-deadlines.service';
export type { DeadlineMovedListener, MovedDeadline } from './calendar-deadlines.service';
export type { DeadlineOwner, TrackedDeadline } from './calendar.repository';
export { CalendarErrorCode } from './calendar.errors';
export { CalendarSnapshot, addCalendarDaysRolling, addWorkingDays, computeDeadline, workingDaysBetween, DEADLINE_RULES, MAX_PERIOD_DAYS } from './working-days';
export type { CalendarEntry, DayInfo, DayKind, Deadline, DeadlineRule } from './working-days';
export { CALENDAR_TIME_ZONE, InvalidDateError, endOfDay, parseDate, toCalendarDate } from './calendar-date';
