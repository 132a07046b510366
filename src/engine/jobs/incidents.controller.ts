import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Role, Roles } from '../../api';
import { ListIncidentsQuery } from '../engine.dto';
import { IncidentsService } from './incidents.service';

@ApiTags('operations')
@Controller('api')
@Roles(Role.SystemAdmin, Role.PolicyModeler)
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get('incidents')
  list(@Query() q: ListIncidentsQuery) {
    return this.incidents.list({ processInstanceId: q.processInstanceId, open: true });
  }

  @Post('jobs/:id/retry')
  @HttpCode(200)
  retry(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.incidents.retryJob(id, actor.id);
  }
}
