import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../api';
import { Audit } from '../audit';
import { CompleteTaskDto, TaskBpmnErrorDto } from '../engine';
import { TaskOperationsService } from './task-operations.service';
import { AssignTaskDto, CommentTaskDto, CompletedTaskDto, DelegateTaskDto, ListTasksQuery, TaskCommentDto, TaskDto, TaskPageDto } from './tasks.dto';
import { TasksService } from './tasks.service';

/**
 * User tasks: the queue (filters, sort, cursor paging, a capped total), one task, and what
 * caseworkers do with it. Any logged-in user may call these; what they see and may do is decided
 * per task (task-access.ts): 404 outside their region scope, 403 without a relation to the task.
 */
@ApiTags('tasks')
@Controller('api/tasks')
@Authenticated()
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly ops: TaskOperationsService,
  ) {}

  @Get()
  @ApiOkResponse({ type: TaskPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: ListTasksQuery): Promise<TaskPageDto> {
    return this.tasks.list(actor, q);
  }

  @Get(':id')
  @ApiOkResponse({ type: TaskDto })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<TaskDto> {
    return this.tasks.get(actor, id);
  }

  @Post(':id/claim')
  @HttpCode(200)
  @Audit({ action: 'tasks.claim', objectType: 'task' })
  @ApiOkResponse({ type: TaskDto })
  claim(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<TaskDto> {
    return this.ops.claim(actor, id);
  }

  @Post(':id/unclaim')
  @HttpCode(200)
  @Audit({ action: 'tasks.unclaim', objectType: 'task' })
  @ApiOkResponse({ type: TaskDto })
  unclaim(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<TaskDto> {
    return this.ops.unclaim(actor, id);
  }

  @Post(':id/delegate')
  @HttpCode(200)
  @Audit({ action: 'tasks.delegate', objectType: 'task' })
  @ApiOkResponse({ type: TaskDto })
  delegate(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: DelegateTaskDto): Promise<TaskDto> {
    return this.ops.delegate(actor, id, body.assignee);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Audit({ action: 'tasks.resolve', objectType: 'task' })
  @ApiOkResponse({ type: TaskDto })
  resolve(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<TaskDto> {
    return this.ops.resolve(actor, id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Audit({ action: 'tasks.assign', objectType: 'task' })
  @ApiOkResponse({ type: TaskDto })
  assign(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: AssignTaskDto): Promise<TaskDto> {
    return this.ops.assign(actor, id, body.assignee);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Audit({ action: 'tasks.complete', objectType: 'task' })
  @ApiOkResponse({ type: CompletedTaskDto })
  complete(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: CompleteTaskDto): Promise<CompletedTaskDto> {
    return this.ops.complete(actor, id, body.variables);
  }

  @Post(':id/bpmn-error')
  @HttpCode(200)
  @Audit({ action: 'tasks.bpmn_error', objectType: 'task' })
  @ApiOkResponse({ type: CompletedTaskDto })
  bpmnError(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: TaskBpmnErrorDto): Promise<CompletedTaskDto> {
    return this.ops.bpmnError(actor, id, body.errorCode, body.message, body.variables);
  }

  @Get(':id/comments')
  @ApiOkResponse({ type: [TaskCommentDto] })
  comments(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<TaskCommentDto[]> {
    return this.ops.comments(actor, id);
  }

  @Post(':id/comments')
  @Audit({ action: 'tasks.comment', objectType: 'task' })
  @ApiCreatedResponse({ type: TaskCommentDto })
  comment(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: CommentTaskDto): Promise<TaskCommentDto> {
    return this.ops.comment(actor, id, body.body);
  }
}
