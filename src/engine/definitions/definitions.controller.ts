import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { Actor, Authenticated, CurrentActor, Role, Roles } from '../../api';
import { DomainError } from '../../common';
import { StartInstanceDto } from '../engine.dto';
import { EngineErrorCode, definitionNotFound } from '../engine.errors';
import { InstancesService } from '../instances/instances.service';
import { DefinitionsService } from './definitions.service';

class DefinitionsQuery {
  @IsOptional() @IsString() @MaxLength(200) key?: string;
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'latestOnly must be true or false' })
  latestOnly?: boolean;
}

/** Staff who start processes directly through the engine API (domain modules start theirs in code). */
export const STARTERS = [Role.WindowCaseworker, Role.StreetReviewer, Role.CountyReviewer, Role.CityReviewer, Role.AllocationOfficer, Role.PolicyModeler];

const uuid = (what: string) => new ParseUUIDPipe({ exceptionFactory: () => definitionNotFound(what) });

@ApiTags('process definitions')
@Controller('api')
export class DefinitionsController {
  constructor(
    private readonly definitions: DefinitionsService,
    private readonly instances: InstancesService,
  ) {}

  @Post('deployments')
  @Roles(Role.PolicyModeler)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } } } })
  @UseInterceptors(AnyFilesInterceptor({ limits: { fileSize: 10 * 1024 * 1024 + 1, files: 50 } }))
  deploy(@UploadedFiles() files: { originalname: string; buffer: Buffer }[] | undefined, @CurrentActor() actor: Actor, @Body('name') name?: string) {
    if (!files?.length) throw new DomainError('BAD_INPUT', EngineErrorCode.DeploymentEmpty, 'Send one or more .bpmn or .form files as multipart form data (field "files")');
    return this.definitions.deploy(
      files.map((f) => ({ name: f.originalname, content: f.buffer })),
      'api',
      actor.id,
      typeof name === 'string' ? name.slice(0, 200) : undefined,
    );
  }

  @Get('process-definitions')
  @Authenticated()
  list(@Query() q: DefinitionsQuery) {
    return this.definitions.list(q);
  }

  @Get('process-definitions/:id')
  @Authenticated()
  get(@Param('id', uuid('id')) id: string) {
    return this.definitions.get(id);
  }

  @Get('process-definitions/:id/xml')
  @Authenticated()
  @Header('content-type', 'application/xml; charset=utf-8')
  xml(@Param('id', uuid('id')) id: string) {
    return this.definitions.getXml(id);
  }

  @Post('process-definitions/key/:key/start')
  @Roles(...STARTERS)
  @HttpCode(201)
  startByKey(@Param('key') key: string, @Body() body: StartInstanceDto, @CurrentActor() actor: Actor) {
    return this.instances.start({ key }, body, actor.id);
  }

  @Post('process-definitions/:id/start')
  @Roles(...STARTERS)
  @HttpCode(201)
  startById(@Param('id', uuid('id')) id: string, @Body() body: StartInstanceDto, @CurrentActor() actor: Actor) {
    return this.instances.start({ definitionId: id }, body, actor.id);
  }
}
