import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { Authenticated } from '../../api';
import { FormsService } from './forms.service';

class FormsQuery {
  @IsOptional() @IsString() @MaxLength(200) formId?: string;
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'latestOnly must be true or false' })
  latestOnly?: boolean;
}

class FormVersionQuery {
  @IsOptional() @Type(() => Number) @IsInt({ message: 'version must be a whole number' }) @Min(1) version?: number;
}

/** Deployed task forms (form-js schemas); they are deployed through POST /api/deployments. */
@ApiTags('forms')
@Controller('api/forms')
@Authenticated()
export class FormsController {
  constructor(private readonly forms: FormsService) {}

  @Get()
  list(@Query() q: FormsQuery) {
    return this.forms.list(q);
  }

  @Get(':formId')
  get(@Param('formId') formId: string, @Query() q: FormVersionQuery) {
    return this.forms.get(formId, q.version);
  }
}
