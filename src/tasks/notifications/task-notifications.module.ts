import { Module } from '@nestjs/common';
import { CalendarModule } from '../../calendar';
import { IdentityModule } from '../../identity';
import { NotifyModule } from '../../notify';
import { TaskDeadlineScan } from './task-deadline-scan';
import { TaskDigest } from './task-digest';
import { TaskMail } from './task-mail';

/** Task mail: assigned to you, due soon, overdue, and the daily digest. TasksModule imports and re-exports it. */
@Module({
  imports: [NotifyModule, CalendarModule, IdentityModule],
  providers: [TaskMail, TaskDigest, TaskDeadlineScan],
  exports: [TaskMail, TaskDigest, TaskDeadlineScan],
})
export class TaskNotificationsModule {}
