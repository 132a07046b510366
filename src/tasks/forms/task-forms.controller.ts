import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../../api';
import { TaskFormsService } from './task-forms.service';

/** A user task's form-js form with the values it shows. Who may read it: TaskFormsService.useAccessCheck. */
@ApiTags('tasks')
@Controller('api/tasks')
export class TaskFormsController {
  constructor(private readonly forms: TaskFormsService) {}

  @Get(':id/form')
  @Authenticated()
  form(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.forms.getForm(id, actor);
  }
}
