import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { AuditRecord } from './audit-chain';

export class ListAuditQuery {
  @ApiPropertyOptional({ description: 'from this instant (inclusive), ISO 8601' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO 8601 date-time' })
  from?: Date;

  @ApiPropertyOptional({ description: 'before this instant (exclusive), ISO 8601' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO 8601 date-time' })
  to?: Date;

  @ApiPropertyOptional() @IsOptional() @IsUUID() userId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) username?: string;
  @ApiPropertyOptional({ example: 'auth.login' }) @IsOptional() @IsString() @MaxLength(200) action?: string;
  @ApiPropertyOptional({ example: 'users' }) @IsOptional() @IsString() @MaxLength(64) objectType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) objectId?: string;

  @ApiPropertyOptional({ enum: ['success', 'failure', 'denied', 'error'] })
  @IsOptional()
  @IsIn(['success', 'failure', 'denied', 'error'])
  result?: string;

  @ApiPropertyOptional({ description: 'rows older than this seq (the nextBefore of the previous page)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class AuditRowDto {
  @ApiProperty() seq: number;
  @ApiProperty() at: string;
  @ApiProperty({ nullable: true }) userId: string | null;
  @ApiProperty({ nullable: true }) username: string | null;
  @ApiProperty({ nullable: true }) organizationId: string | null;
  @ApiProperty({ nullable: true }) ip: string | null;
  @ApiProperty({ example: 'auth.login' }) action: string;
  @ApiProperty({ nullable: true }) method: string | null;
  @ApiProperty({ nullable: true }) path: string | null;
  @ApiProperty({ nullable: true }) objectType: string | null;
  @ApiProperty({ nullable: true }) objectId: string | null;
  @ApiProperty({ type: [String] }) fields: string[];
  @ApiProperty({ nullable: true }) purpose: string | null;
  @ApiProperty({ enum: ['success', 'failure', 'denied', 'error'] }) result: string;
  @ApiProperty({ nullable: true }) status: number | null;
  @ApiProperty({ nullable: true }) errorCode: string | null;
  @ApiProperty({ nullable: true }) requestId: string | null;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditRowDto] }) items: AuditRowDto[];
  @ApiProperty({ nullable: true, description: 'pass as `before` for the next (older) page' }) nextBefore: number | null;
}

export function toAuditRowDto(r: AuditRecord): AuditRowDto {
  const { hashAlg: _alg, at, ...rest } = r;
  return { ...rest, at: at.toISOString() };
}
