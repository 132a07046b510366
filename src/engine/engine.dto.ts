import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDateString, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

export class StartInstanceDto {
  @ApiPropertyOptional({ example: 'APP-2026-000123' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  businessKey?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { income: 2800 } })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

export class ListInstancesQuery {
  @IsOptional() @IsString() @MaxLength(200) processKey?: string;
  @IsOptional() @IsString() @MaxLength(200) businessKey?: string;
  @IsOptional() @IsIn(['running', 'completed', 'cancelled']) status?: 'running' | 'completed' | 'cancelled';
  @IsOptional() @IsDateString() startedAfter?: string;
  @IsOptional() @IsDateString() startedBefore?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

export class CancelInstanceDto {
  @ApiProperty({ example: '申请人撤回' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export class MigrateInstanceDto {
  @ApiProperty()
  @IsUUID()
  targetDefinitionId: string;
}

export class CorrelateMessageDto {
  @ApiProperty({ example: 'objection' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) businessKey?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) correlationKey?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() processInstanceId?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) @IsOptional() @IsObject() variables?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() all?: boolean;
}

export class BroadcastSignalDto {
  @ApiProperty({ example: 'policyChanged' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) @IsOptional() @IsObject() variables?: Record<string, unknown>;
}

export class CompleteTaskDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { approved: true } })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

export class TaskBpmnErrorDto {
  @ApiProperty({ example: 'MATERIALS_MISSING' }) @IsString() @IsNotEmpty() @MaxLength(200) @Matches(/^\S+$/) errorCode: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) message?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) @IsOptional() @IsObject() variables?: Record<string, unknown>;
}

export class ListDefinitionsQuery {
  @IsOptional() @IsString() @MaxLength(200) key?: string;
  @IsOptional() @Type(() => Boolean) @IsBoolean() latestOnly?: boolean;
}

export class ListIncidentsQuery {
  @IsOptional() @IsUUID() processInstanceId?: string;
}

export class TestClockDto {
  @ApiPropertyOptional({ example: '2027-01-04T09:00:00+08:00' }) @IsOptional() @IsDateString() now?: string;
  @ApiPropertyOptional({ example: 86400000 }) @IsOptional() @IsInt() offsetMs?: number;
}
