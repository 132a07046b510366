import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Authenticated, CurrentActor } from '../api';
import { Audit } from '../audit';
import { TaskQueuesService } from './task-queues.service';
import { PageQuery, SaveTaskQueueDto, TaskPageDto, TaskQueueDto } from './tasks.dto';

/** Saved queues (named filters shared with groups), with their counts; a queue's tasks page like GET /api/tasks. */
@ApiTags('tasks')
@Controller('api/task-queues')
@Authenticated()
export class TaskQueuesController {
  constructor(private readonly queues: TaskQueuesService) {}

  @Get()
  @ApiOkResponse({ type: [TaskQueueDto] })
  list(@CurrentActor() actor: Actor): Promise<TaskQueueDto[]> {
    return this.queues.list(actor);
  }

  @Post()
  @Audit({ action: 'task_queues.create', objectType: 'task_queue' })
  @ApiCreatedResponse({ type: TaskQueueDto })
  create(@CurrentActor() actor: Actor, @Body() body: SaveTaskQueueDto): Promise<TaskQueueDto> {
    return this.queues.create(actor, body);
  }

  @Get(':id')
  @ApiOkResponse({ type: TaskQueueDto })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<TaskQueueDto> {
    return this.queues.get(actor, id);
  }

  @Put(':id')
  @Audit({ action: 'task_queues.update', objectType: 'task_queue' })
  @ApiOkResponse({ type: TaskQueueDto })
  update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: SaveTaskQueueDto): Promise<TaskQueueDto> {
    return this.queues.update(actor, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Audit({ action: 'task_queues.delete', objectType: 'task_queue' })
  @ApiNoContentResponse()
  remove(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.queues.remove(actor, id);
  }

  @Get(':id/tasks')
  @ApiOkResponse({ type: TaskPageDto })
  tasks(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() q: PageQuery): Promise<TaskPageDto> {
    return this.queues.tasksOf(actor, id, q);
  }
}
