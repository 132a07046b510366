import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { CalendarModule } from '../calendar';
import { TaskFormsModule } from './forms';
import { TaskNotificationsModule } from './notifications';
import { TaskOperationsService } from './task-operations.service';
import { TaskQueuesController } from './task-queues.controller';
import { TaskQueuesService } from './task-queues.service';
import { TasksController } from './tasks.controller';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';

/** Work queues: user tasks as rows, who may see and act on them, claim/delegate/assign/complete, saved queues. */
@Module({
  imports: [AuditModule, CalendarModule, TaskFormsModule, TaskNotificationsModule],
  controllers: [TasksController, TaskQueuesController],
  providers: [TasksRepository, TasksService, TaskOperationsService, TaskQueuesService],
  exports: [TasksService, TaskOperationsService, TaskNotificationsModule],
})
export class TasksModule {}
