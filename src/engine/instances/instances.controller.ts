import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Authenticated, CurrentActor, Role, Roles } from '../../api';
import { STARTERS } from '../definitions/definitions.controller';
import { PauseClockDto, ResumeClockDto } from '../clock/clock.dto';
import { BroadcastSignalDto, CancelInstanceDto, CorrelateMessageDto, ListInstancesQuery, MigrateInstanceDto } from '../engine.dto';
import { InstancesService } from './instances.service';
import { MessagesService } from './messages.service';

/** Who operates running processes: policy modelers (their diagrams) and system administrators. */
const OPERATORS = [Role.PolicyModeler, Role.SystemAdmin];

/**
 * Who may pause and resume a case's statutory clock (中止计时): the caseworkers who work on the
 * case, decide and document the 补正 or the expert opinion it waits for, and the operators.
 */
const CLOCK_KEEPERS = [
  Role.WindowCaseworker,
  Role.StreetReviewer,
  Role.CountyReviewer,
  Role.CityReviewer,
  Role.DepartmentChecker,
  Role.AllocationOfficer,
  Role.ProvincialAssessor,
  ...OPERATORS,
];

@ApiTags('process instances')
@Controller('api')
export class InstancesController {
  constructor(
    private readonly instances: InstancesService,
    private readonly messages: MessagesService,
  ) {}

  @Get('process-instances')
  @Authenticated()
  list(@Query() q: ListInstancesQuery) {
    return this.instances.list({
      processKey: q.processKey,
      businessKey: q.businessKey,
      status: q.status,
      startedAfter: q.startedAfter ? new Date(q.startedAfter) : undefined,
      startedBefore: q.startedBefore ? new Date(q.startedBefore) : undefined,
      limit: q.limit ?? 50,
      offset: q.offset ?? 0,
    });
  }

  /** The instance's version is its ETag: it changes with every step. */
  @Get('process-instances/:id')
  @Authenticated()
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const view = await this.instances.get(id);
    res.setHeader('ETag', `"${view.version}"`);
    return view;
  }

  @Get('process-instances/:id/history')
  @Authenticated()
  history(@Param('id') id: string) {
    return this.instances.history(id);
  }

  @Post('process-instances/:id/cancel')
  @Roles(...OPERATORS)
  @HttpCode(200)
  cancel(@Param('id') id: string, @Body() body: CancelInstanceDto, @CurrentActor() actor: Actor) {
    return this.instances.cancel(id, body.reason, actor.id);
  }

  @Post('process-instances/:id/clock/pause')
  @Roles(...CLOCK_KEEPERS)
  @HttpCode(200)
  pauseClock(@Param('id') id: string, @Body() body: PauseClockDto, @CurrentActor() actor: Actor) {
    return this.instances.pauseClock(id, body, actor.id);
  }

  @Post('process-instances/:id/clock/resume')
  @Roles(...CLOCK_KEEPERS)
  @HttpCode(200)
  resumeClock(@Param('id') id: string, @Body() body: ResumeClockDto, @CurrentActor() actor: Actor) {
    return this.instances.resumeClock(id, body, actor.id);
  }

  @Post('process-instances/:id/migrate')
  @Roles(...OPERATORS)
  @HttpCode(200)
  migrate(@Param('id') id: string, @Body() body: MigrateInstanceDto, @CurrentActor() actor: Actor) {
    return this.instances.migrate(id, body.targetDefinitionId, actor.id);
  }

  @Post('messages')
  @Roles(...STARTERS)
  @HttpCode(200)
  correlate(@Body() body: CorrelateMessageDto, @CurrentActor() actor: Actor) {
    return this.messages.correlate(body, actor.id);
  }

  @Post('signals')
  @Roles(...OPERATORS)
  @HttpCode(200)
  signal(@Body() body: BroadcastSignalDto, @CurrentActor() actor: Actor) {
    return this.messages.broadcastSignal(body.name, body.variables, actor.id);
  }
}
