import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, Matches } from 'class-validator';

export const REGION_CODE = /^(\d{6}|\d{9}|\d{6}-[A-Z]{1,8}|[A-Z]{2,16})$/;

export class ListRegionsQuery {
  @ApiPropertyOptional({ description: 'parent region code, e.g. 510000 for the 21 市州', example: '510000' })
  @IsOptional()
  @Matches(REGION_CODE, { message: 'parent must be a region code such as 510000, 510104001 or 510100-GX' })
  parent?: string;

  @ApiPropertyOptional({ description: 'a region group, e.g. CDMZ (成德眉资)', example: 'CDMZ' })
  @IsOptional()
  @Matches(/^[A-Z]{2,16}$/, { message: 'group must be a group code such as CDMZ' })
  group?: string;

  @ApiPropertyOptional({ description: 'include codes no longer valid (renamed or abolished)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeHistory must be true or false' })
  includeHistory?: boolean;
}

export class RegionDto {
  @ApiProperty({ example: '510100' }) code: string;
  @ApiProperty({ example: '成都市' }) name: string;
  @ApiProperty({ enum: ['province', 'prefecture', 'county', 'township', 'functional_zone'] }) level: string;
  @ApiProperty({ nullable: true, example: '510000' }) parentCode: string | null;
  @ApiProperty({ description: 'false for functional zones without an official code' }) official: boolean;
  @ApiProperty({ example: '1949-10-01' }) validFrom: string;
  @ApiProperty({ nullable: true }) validTo: string | null;
  @ApiProperty({ nullable: true, description: 'the code that replaced this one' }) successorCode: string | null;
  @ApiProperty({ type: [String], example: ['CDMZ'] }) groups: string[];
}

export class RegionDetailDto extends RegionDto {
  @ApiProperty({ type: [RegionDto], description: 'from the province down to the parent' }) ancestors: RegionDto[];
}
