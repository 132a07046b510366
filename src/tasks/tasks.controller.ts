import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { Actor, Authenticated, CurrentActor } from '../api';
import { CompleteTaskDto, TaskBpmnErrorDto, UserTaskCommands } from '../engine';
import { TasksService } from './tasks.service';

class TasksQuery {
  @IsOptional() @IsUUID() processInstanceId?: string;
}

/** User tasks in their basic form: list, read, complete, raise a BPMN error. Queues come later. */
@ApiTags('tasks')
@Controller('api/tasks')
@Authenticated()
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly commands: UserTaskCommands,
  ) {}

  @Get()
  list(@Query() q: TasksQuery) {
    return this.tasks.listOpen(q.processInstanceId);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.tasks.get(id);
  }

  @Post(':id/complete')
  @HttpCode(200)
  complete(@Param('id') id: string, @Body() body: CompleteTaskDto, @CurrentActor() actor: Actor) {
    return this.commands.complete(id, body.variables, actor.id);
  }

  @Post(':id/bpmn-error')
  @HttpCode(200)
  bpmnError(@Param('id') id: string, @Body() body: TaskBpmnErrorDto, @CurrentActor() actor: Actor) {
    return this.commands.bpmnError(id, body.errorCode, body.message, body.variables, actor.id);
  }
}
