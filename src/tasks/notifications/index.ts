// Task mail, for the tasks module and tests: `assigned` is called by claim/assign/delegate.
export { TaskNotificationsModule } from './task-notifications.module';
export { TaskMail, taskRecipients, taskVars } from './task-mail';
export type { TaskActor, TaskForMail } from './task-mail';
export { TaskDeadlineScan, SCAN_SLOT_MS } from './task-deadline-scan';
export { TaskDigest, DIGEST_HOUR } from './task-digest';
