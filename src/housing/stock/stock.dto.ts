import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ASSET_NO, HousingType, Label, Layout, PROJECT_CODE, REGION_CODE, REGION_CODE_MESSAGE, UnitStatus } from '../housing-codes';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class PagingQuery {
  @ApiPropertyOptional({ default: 50, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

export class CreateProjectDto {
  @ApiProperty({ example: 'WH-CQ', description: '项目编号: letters, digits, - and _' }) @Matches(PROJECT_CODE, { message: 'code must be 2 to 32 letters, digits, - or _' }) code: string;
  @ApiProperty({ example: '武侯区簇桥公租房小区' }) @IsString() @MinLength(2) @MaxLength(100) name: string;
  @ApiProperty({ example: '510107' }) @Matches(REGION_CODE, { message: `regionCode ${REGION_CODE_MESSAGE}` }) regionCode: string;
  @ApiPropertyOptional({ example: '武侯区簇桥街道锦城大道 88 号' }) @IsOptional() @IsString() @MaxLength(200) address?: string;
  @ApiPropertyOptional({ example: '成都市住房保障运营有限公司' }) @IsOptional() @IsString() @MaxLength(100) operatorName?: string;
}

export class ListProjectsQuery extends PagingQuery {
  @ApiPropertyOptional({ example: '510107', description: 'region subtree' }) @IsOptional() @Matches(REGION_CODE, { message: `region ${REGION_CODE_MESSAGE}` }) region?: string;
  @ApiPropertyOptional({ description: 'code or name containing this' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
}

export class CreateBuildingDto {
  @ApiProperty({ example: '3栋' }) @IsString() @MinLength(1) @MaxLength(20) number: string;
  @ApiPropertyOptional({ example: 18, description: 'floors above ground' }) @IsOptional() @IsInt() @Min(1) @Max(120) floors?: number;
}

export class CreateUnitDto {
  @ApiProperty() @IsUUID() buildingId: string;
  @ApiPropertyOptional({ example: '510107', description: "default: the project's region; else a region inside it" })
  @IsOptional()
  @Matches(REGION_CODE, { message: `regionCode ${REGION_CODE_MESSAGE}` })
  regionCode?: string;
  @ApiProperty({ enum: HousingType.codes }) @IsIn(HousingType.codes) housingType: HousingType;
  @ApiPropertyOptional({ example: '2' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(20) entrance?: string;
  @ApiProperty({ example: 12 }) @IsInt() @Min(1) @Max(120) floor: number;
  @ApiProperty({ example: '1203' }) @IsString() @MinLength(1) @MaxLength(20) roomNo: string;
  @ApiProperty({ enum: Layout.codes }) @IsIn(Layout.codes) layout: Layout;
  @ApiProperty({ example: 55.3 }) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.01) @Max(300) buildingArea: number;
  @ApiProperty({ example: 42.1 }) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.01) @Max(300) usableArea: number;
  @ApiProperty() @IsBoolean() hasElevator: boolean;
  @ApiPropertyOptional({ default: false, description: '无障碍' }) @IsOptional() @IsBoolean() accessible?: boolean;
  @ApiProperty({ example: 'CD-WH-0001' }) @Matches(ASSET_NO, { message: 'assetNo must be 2 to 40 letters, digits, _ . / -' }) assetNo: string;
}

export class ChangeUnitStatusDto {
  @ApiProperty({ enum: UnitStatus.codes }) @IsIn(UnitStatus.codes) status: UnitStatus;
  @ApiProperty({ example: '入户检查发现卫生间渗漏' }) @IsString() @MinLength(2) @MaxLength(500) reason: string;
}

export class ListUnitsQuery extends PagingQuery {
  @ApiPropertyOptional({ example: '510107', description: 'region subtree' }) @IsOptional() @Matches(REGION_CODE, { message: `region ${REGION_CODE_MESSAGE}` }) region?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() projectId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() buildingId?: string;
  @ApiPropertyOptional({ enum: HousingType.codes }) @IsOptional() @IsIn(HousingType.codes) type?: HousingType;
  @ApiPropertyOptional({ enum: UnitStatus.codes }) @IsOptional() @IsIn(UnitStatus.codes) status?: UnitStatus;
  @ApiPropertyOptional({ enum: Layout.codes }) @IsOptional() @IsIn(Layout.codes) layout?: Layout;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean({ message: 'elevator must be true or false' }) elevator?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean({ message: 'accessible must be true or false' }) accessible?: boolean;
  @ApiPropertyOptional({ description: 'building area at least' }) @IsOptional() @Type(() => Number) @IsNumber() @Min(0) minArea?: number;
  @ApiPropertyOptional({ description: 'building area at most' }) @IsOptional() @Type(() => Number) @IsNumber() @Min(0) maxArea?: number;
  @ApiPropertyOptional({ description: 'asset number or room number starting with this' }) @IsOptional() @IsString() @MaxLength(40) q?: string;
}

export type UnitFilter = Omit<ListUnitsQuery, 'limit' | 'offset'>;

export class LabelDto {
  @ApiProperty() code: string;
  @ApiProperty() zh: string;
  @ApiProperty() en: string;
}

export class ProjectDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() regionCode: string;
  @ApiProperty() regionName: string;
  @ApiProperty({ nullable: true }) address: string | null;
  @ApiProperty({ nullable: true }) operatorName: string | null;
  @ApiProperty() buildingCount: number;
  @ApiProperty() unitCount: number;
  @ApiProperty() createdAt: string;
}

export class BuildingDto {
  @ApiProperty() id: string;
  @ApiProperty() projectId: string;
  @ApiProperty() number: string;
  @ApiProperty({ nullable: true }) floors: number | null;
  @ApiProperty() unitCount: number;
}

export class CurrentTenancyDto {
  @ApiProperty() id: string;
  @ApiProperty() householdId: string;
  @ApiProperty() householdNo: string;
  @ApiProperty() startDate: string;
  @ApiProperty() endDate: string;
}

export class UnitDto {
  @ApiProperty() id: string;
  @ApiProperty() assetNo: string;
  @ApiProperty() projectId: string;
  @ApiProperty() projectCode: string;
  @ApiProperty() projectName: string;
  @ApiProperty() buildingId: string;
  @ApiProperty() buildingNumber: string;
  @ApiProperty() regionCode: string;
  @ApiProperty() regionName: string;
  @ApiProperty({ enum: HousingType.codes }) housingType: HousingType;
  @ApiProperty({ nullable: true }) entrance: string | null;
  @ApiProperty() floor: number;
  @ApiProperty() roomNo: string;
  @ApiProperty({ enum: Layout.codes }) layout: Layout;
  @ApiProperty() buildingArea: number;
  @ApiProperty() usableArea: number;
  @ApiProperty() hasElevator: boolean;
  @ApiProperty() accessible: boolean;
  @ApiProperty({ enum: UnitStatus.codes }) status: UnitStatus;
  @ApiProperty() statusSince: string;
  @ApiProperty({ description: 'zh-CN and English labels of housingType, layout and status' })
  labels: { housingType: Label; layout: Label; status: Label };
  @ApiProperty({ type: CurrentTenancyDto, nullable: true }) currentTenancy: CurrentTenancyDto | null;
}

export class UnitStatusChangeDto {
  @ApiProperty({ nullable: true, enum: UnitStatus.codes }) fromStatus: UnitStatus | null;
  @ApiProperty({ enum: UnitStatus.codes }) toStatus: UnitStatus;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ['api', 'import', 'tenancy', 'seed'] }) source: string;
  @ApiProperty({ nullable: true }) changedBy: string | null;
  @ApiProperty() changedAt: string;
}

export class UnitDetailDto extends UnitDto {
  @ApiProperty({ type: [UnitStatusChangeDto], description: 'oldest first' }) history: UnitStatusChangeDto[];
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
