import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Label } from '../housing-codes';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateTenancyDto {
  @ApiProperty() @IsUUID() unitId: string;
  @ApiProperty() @IsUUID() householdId: string;
  @ApiProperty({ example: '2025-07-01' }) @Matches(DATE, { message: 'startDate must be a date YYYY-MM-DD' }) startDate: string;
  @ApiProperty({ example: '2028-06-30', description: 'the lease end; at most 5 years after the start (Order 11)' })
  @Matches(DATE, { message: 'endDate must be a date YYYY-MM-DD' })
  endDate: string;
  @ApiPropertyOptional({ example: 'WH-2025-0123', description: '租赁合同编号' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(40) contractNo?: string;
  @ApiPropertyOptional({ example: 620.5 }) @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(100000) monthlyRent?: number;
}

export class EndTenancyDto {
  @ApiPropertyOptional({ example: '2026-03-31', description: 'the day the household left (default today); not in the future' })
  @IsOptional()
  @Matches(DATE, { message: 'endedOn must be a date YYYY-MM-DD' })
  endedOn?: string;
  @ApiProperty({ example: '租户自愿退租，已交还钥匙' }) @IsString() @MinLength(2) @MaxLength(500) reason: string;
}

export class TenancyWarningDto {
  @ApiProperty({ example: 'SUBSIDY_STILL_PAID' }) code: string;
  @ApiProperty() zh: string;
  @ApiProperty() en: string;
}

export class TenancyDto {
  @ApiProperty() id: string;
  @ApiProperty() unitId: string;
  @ApiProperty() assetNo: string;
  @ApiProperty() householdId: string;
  @ApiProperty() householdNo: string;
  @ApiProperty({ nullable: true }) contractNo: string | null;
  @ApiProperty() startDate: string;
  @ApiProperty() endDate: string;
  @ApiProperty({ nullable: true }) monthlyRent: number | null;
  @ApiProperty({ nullable: true }) endedOn: string | null;
  @ApiProperty({ nullable: true }) endReason: string | null;
  @ApiProperty({ description: 'the unit status after the change', example: { code: 'leased', zh: '已出租', en: 'Leased' } }) unitStatus: Label & { code: string };
  @ApiProperty({ type: [TenancyWarningDto], description: 'things that stay to be done, such as stopping a subsidy' }) warnings: TenancyWarningDto[];
}
