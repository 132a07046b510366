import { Module } from '@nestjs/common';
import { TaskFormsController } from './task-forms.controller';
import { TaskFormsService } from './task-forms.service';

/** Task forms: GET /api/tasks/{id}/form, and the completion check the task commands call. */
@Module({ controllers: [TaskFormsController], providers: [TaskFormsService], exports: [TaskFormsService] })
export class TaskFormsModule {}
