import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ASSISTANCE_STATUSES, AssistanceStatus, CHECK_TYPES, CheckType } from '../connectors';
import { IsIdNumber } from '../identity';
import {
  APPLICATION_TYPES,
  ApplicationType,
  CHANNELS,
  Channel,
  HOUSEHOLD_CATEGORIES,
  HouseholdCategory,
  MARITAL_STATUSES,
  MATERIAL_KINDS,
  MaritalStatus,
  MaterialKind,
  RELATIONSHIPS,
  Relationship,
  SIGNATURE_METHODS,
  SignatureMethod,
} from './application-types';

/** A county, street or functional-zone code: 510104, 510104017, 510100-GX. */
export const APPLICATION_REGION = /^(\d{6}|\d{9}|\d{6}-[A-Z]{1,8})$/;
const SHA256 = /^[0-9a-f]{64}$/;
const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const money = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false };

export class CommitmentDto {
  @ApiProperty({ example: '2026-03-02T09:30:00+08:00' }) @IsISO8601({ strict: true }) signedAt: string;
  @ApiProperty({ enum: SIGNATURE_METHODS }) @IsIn(SIGNATURE_METHODS) method: SignatureMethod;
  @ApiPropertyOptional({ example: '2025-1', description: 'version of the commitment text signed (default: the current one)' })
  @IsOptional() @IsString() @Length(1, 20) textVersion?: string;
  @ApiPropertyOptional({ description: 'SHA-256 (hex) of the signed document' }) @IsOptional() @Transform(lower) @Matches(SHA256, { message: 'documentSha256 must be 64 hexadecimal characters' }) documentSha256?: string;
}

export class AuthorisationDto {
  @ApiProperty({ enum: CHECK_TYPES, isArray: true, description: 'the department checks it allows' })
  @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(CHECK_TYPES, { each: true }) checks: CheckType[];
  @ApiProperty({ example: '2026-03-02T09:30:00+08:00' }) @IsISO8601({ strict: true }) signedAt: string;
  @ApiProperty({ example: '2027-03-02T00:00:00+08:00' }) @IsISO8601({ strict: true }) expiresAt: string;
  @ApiProperty({ enum: SIGNATURE_METHODS }) @IsIn(SIGNATURE_METHODS) method: SignatureMethod;
  @ApiPropertyOptional({ enum: ['self', 'guardian'], default: 'self', description: 'guardian: signed for a minor' }) @IsOptional() @IsIn(['self', 'guardian']) signedBy?: 'self' | 'guardian';
  @ApiPropertyOptional({ description: 'SHA-256 (hex) of the signed document' }) @IsOptional() @Transform(lower) @Matches(SHA256, { message: 'documentSha256 must be 64 hexadecimal characters' }) documentSha256?: string;
}

export class AssetsDto {
  @ApiProperty({ example: 0, description: 'm² of homes owned' }) @IsNumber(money) @Min(0) @Max(100000) ownedHousingArea: number;
  @ApiProperty({ example: 0 }) @IsInt() @Min(0) @Max(100) ownedDwellings: number;
  @ApiProperty({ example: 0 }) @IsInt() @Min(0) @Max(100) vehicles: number;
  @ApiProperty({ example: 0, description: 'enterprises held, represented or run as 个体户' }) @IsInt() @Min(0) @Max(100) enterpriseHoldings: number;
  @ApiPropertyOptional({ example: 20000, description: 'deposits, securities…, yuan' }) @IsOptional() @IsNumber(money) @Min(0) @Max(1e10) financialAssets?: number;
}

export class MemberDto {
  @ApiProperty({ enum: RELATIONSHIPS, description: 'to the applicant; exactly one member is `self`' }) @IsIn(RELATIONSHIPS) relationship: Relationship;
  @ApiProperty({ example: '张三' }) @Transform(trim) @IsString() @Length(1, 50) name: string;
  @ApiProperty({ example: '510104199001011230' }) @IsIdNumber() idNumber: string;
  @ApiProperty({ example: '510104', description: 'county-level code of the hukou (any province)' }) @Matches(/^\d{6}$/, { message: 'hukouRegionCode must be a 6-digit region code' }) hukouRegionCode: string;
  @ApiPropertyOptional({ enum: MARITAL_STATUSES }) @IsOptional() @IsIn(MARITAL_STATUSES) maritalStatus?: MaritalStatus;
  @ApiProperty({ example: 2800, description: 'yuan per month' }) @IsNumber(money) @Min(0) @Max(10_000_000) monthlyIncome: number;
  @ApiPropertyOptional({ enum: ASSISTANCE_STATUSES, default: 'none' }) @IsOptional() @IsIn(ASSISTANCE_STATUSES) assistanceStatus?: AssistanceStatus;
  @ApiPropertyOptional({ example: 36 }) @IsOptional() @IsInt() @Min(0) @Max(1200) socialInsuranceMonths?: number;
  @ApiProperty({ type: AssetsDto }) @IsObject() @ValidateNested() @Type(() => AssetsDto) assets: AssetsDto;
  @ApiPropertyOptional({ type: CommitmentDto, description: '申请承诺书; required of every adult' }) @IsOptional() @IsObject() @ValidateNested() @Type(() => CommitmentDto) commitment?: CommitmentDto;
  @ApiPropertyOptional({ type: AuthorisationDto, description: '授权查询书; required of every adult' }) @IsOptional() @IsObject() @ValidateNested() @Type(() => AuthorisationDto) authorisation?: AuthorisationDto;
}

export class HouseholdDto {
  @ApiProperty({ enum: HOUSEHOLD_CATEGORIES }) @IsIn(HOUSEHOLD_CATEGORIES) category: HouseholdCategory;
  @ApiProperty({ example: '四川省成都市锦江区锦官驿街道水井坊社区 1 栋 2 单元 301' }) @Transform(trim) @IsString() @Length(2, 200) address: string;
  @ApiProperty({ example: '13800000014' }) @IsString() @Length(5, 30) phone: string;
  @ApiProperty({ type: [MemberDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => MemberDto) members: MemberDto[];
}

export class MaterialDto {
  @ApiProperty({ enum: MATERIAL_KINDS }) @IsIn(MATERIAL_KINDS) kind: MaterialKind;
  @ApiProperty({ example: 'doc:2026/03/5f1c…', description: 'where the document is kept, or an 电子证照 licence number' }) @IsString() @Length(1, 500) reference: string;
  @ApiProperty({ description: 'SHA-256 (hex) of the document' }) @Transform(lower) @Matches(SHA256, { message: 'sha256 must be 64 hexadecimal characters' }) sha256: string;
  @ApiPropertyOptional({ example: '户口簿.pdf' }) @IsOptional() @IsString() @MaxLength(255) fileName?: string;
  @ApiPropertyOptional({ description: 'index in household.members of the member it is about' }) @IsOptional() @IsInt() @Min(0) @Max(19) memberIndex?: number;
}

export class SubmitApplicationDto {
  @ApiProperty({ enum: APPLICATION_TYPES }) @IsIn(APPLICATION_TYPES) type: ApplicationType;
  @ApiProperty({ enum: CHANNELS }) @IsIn(CHANNELS) channel: Channel;
  @ApiProperty({ example: '510104', description: "the household's county or street" })
  @Matches(APPLICATION_REGION, { message: 'regionCode must be a county or street code such as 510104 or 510104017' })
  regionCode: string;
  @ApiPropertyOptional({ example: '510107', description: 'remote applications only: the 成德眉资 county that reviews it' })
  @IsOptional()
  @Matches(APPLICATION_REGION, { message: 'targetRegionCode must be a county or street code such as 510107' })
  targetRegionCode?: string;
  @ApiProperty({ type: HouseholdDto }) @IsObject() @ValidateNested() @Type(() => HouseholdDto) household: HouseholdDto;
  @ApiPropertyOptional({ type: [MaterialDto] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => MaterialDto) materials?: MaterialDto[];
}
