// The waiting list's public surface: other modules (and workflows/) import only from here.
export { WaitingListModule } from './waiting-list.module';
export { WaitingListService } from './waiting-list.service';
export type { AlarmDue, EnqueueOptions, EnqueueResult } from './waiting-list.service';
export { WaitingListQueries } from './waiting-list-queries.service';
export { WaitingListRules } from './waiting-list-rules.service';
export type { WaitingListRule } from './waiting-list-rules.service';
export { WaitingListErrorCode } from './waiting-list.errors';
export { DEFAULT_PRIORITY_ORDER, PRIORITY_GROUPS, PRIORITY_GROUP_LABELS, isPriorityGroup } from './priority-groups';
export type { PriorityGroup } from './priority-groups';
export { ALARM_OUTCOMES, ALARM_OUTCOME_LABELS, ENTRY_STATUSES, ENTRY_STATUS_LABELS, isAlarmOutcome } from './waiting-list.state';
export type { AlarmOutcome, EntryStatus } from './waiting-list.state';
export { WaitingListEvents } from './waiting-list-events';
export type { EntryClosed, EntryEnqueued } from './waiting-list-events';
export type { EntryView, MyEntryView } from './waiting-list.dto';
