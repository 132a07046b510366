import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { Authenticated } from '../../api';
import { NotFoundError } from '../../common';
import { DecisionErrorCode, DecisionsService } from './decisions.service';

class DecisionsQuery {
  @IsOptional() @IsString() @MaxLength(200) key?: string;
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'latestOnly must be true or false' })
  latestOnly?: boolean;
}

class EvaluateDto {
  @IsOptional() @IsObject({ message: 'variables must be an object' }) variables?: Record<string, unknown>;
  @IsOptional() @Type(() => Number) @IsInt({ message: 'version must be a whole number' }) @Min(1) version?: number;
}

const uuid = () => new ParseUUIDPipe({ exceptionFactory: () => new NotFoundError(DecisionErrorCode.NotFound, 'No such decision definition') });

/** DMN decision definitions: list, read, and evaluate (a policy team trying a standard before it goes live). */
@ApiTags('decision definitions')
@Controller('api/decision-definitions')
@Authenticated()
export class DecisionsController {
  constructor(private readonly decisions: DecisionsService) {}

  @Get()
  list(@Query() q: DecisionsQuery) {
    return this.decisions.list(q);
  }

  @Get(':id')
  get(@Param('id', uuid()) id: string) {
    return this.decisions.get(id);
  }

  @Get(':id/xml')
  @Header('content-type', 'application/xml; charset=utf-8')
  xml(@Param('id', uuid()) id: string) {
    return this.decisions.xml(id);
  }

  @Post('key/:key/evaluate')
  @HttpCode(200)
  evaluate(@Param('key') key: string, @Body() body: EvaluateDto) {
    return this.decisions.evaluate(key, body.variables ?? {}, body.version);
  }
}
