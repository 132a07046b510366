import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ROLES } from '../../api';
import { DEPARTMENTS, ORGANIZATION_KINDS } from '../departments';
import { IsIdNumber } from '../personal-data/id-number';

export const USERNAME = /^[a-z][a-z0-9_.-]{2,63}$/;
const USERNAME_MESSAGE = 'username must be 3 to 64 characters: lower-case letters, digits, _ . -, starting with a letter';
const SCOPE = /^(\d{6}|\d{9}|\d{6}-[A-Z]{1,8}|[A-Z]{2,16})$/;

export class CreateUserDto {
  @ApiProperty({ example: 'jj_window2' }) @Matches(USERNAME, { message: USERNAME_MESSAGE }) username: string;
  @ApiProperty({ description: 'initial password; the user must change it at first login' }) @IsString() @MaxLength(256) password: string;
  @ApiPropertyOptional({ enum: ['staff', 'applicant'], default: 'staff' }) @IsOptional() @IsIn(['staff', 'applicant']) kind?: 'staff' | 'applicant';
  @ApiPropertyOptional() @IsOptional() @IsUUID() organizationId?: string;
  @ApiPropertyOptional({ example: '张三' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(50) name?: string;
  @ApiPropertyOptional({ example: '13812345678' }) @IsOptional() @IsString() @MaxLength(20) phone?: string;
  @ApiPropertyOptional({ description: '居民身份证号码 (GB 11643)' }) @IsOptional() @IsIdNumber() idNumber?: string;
  @ApiPropertyOptional({ example: 'jj_window2@example.cn', description: 'work e-mail for notifications' }) @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @ApiPropertyOptional({ enum: ['zh-CN', 'en'], default: 'zh-CN', description: 'language of the mail this user gets' }) @IsOptional() @IsIn(['zh-CN', 'en']) locale?: 'zh-CN' | 'en';
}

export class SetRolesDto {
  @ApiProperty({ type: [String], enum: ROLES, example: ['county_reviewer'] })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(13)
  @IsIn(ROLES, { each: true, message: `each role must be one of ${ROLES.join(', ')}` })
  roles: string[];
}

export class SetScopesDto {
  @ApiProperty({ type: [String], example: ['510104'], description: 'region codes (subtree roots) or region groups such as CDMZ' })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(50)
  @Matches(SCOPE, { each: true, message: 'each scope must be a region code (510104) or a group code (CDMZ)' })
  scopes: string[];
}

export class ResetPasswordDto {
  @ApiProperty() @IsString() @MaxLength(256) password: string;
}

export class SearchUsersDto {
  @ApiPropertyOptional({ description: 'exact ID number (searched through its blind index; never in a URL)' }) @IsOptional() @IsIdNumber() idNumber?: string;
  @ApiPropertyOptional({ description: 'exact phone number' }) @IsOptional() @IsString() @MaxLength(20) phone?: string;
}

export class RevealDto {
  @ApiProperty({ type: [String], enum: ['name', 'phone', 'idNumber'] })
  @IsArray()
  @ArrayUnique()
  @IsIn(['name', 'phone', 'idNumber'], { each: true, message: 'each field must be one of name, phone, idNumber' })
  fields: ('name' | 'phone' | 'idNumber')[];

  @ApiProperty({ example: '核实申请人联系方式', description: 'why the clear values are needed; kept in the audit log' })
  @IsString()
  @MaxLength(200)
  purpose: string;
}

export class ListUsersQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() organizationId?: string;
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: string;
  @ApiPropertyOptional({ description: 'usernames starting with this' }) @IsOptional() @IsString() @MaxLength(64) username?: string;
  @ApiPropertyOptional({ enum: ['active', 'disabled'] }) @IsOptional() @IsIn(['active', 'disabled']) status?: string;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

export class CreateOrganizationDto {
  @ApiProperty({ example: '510104-mz' }) @Matches(/^[A-Za-z0-9_.-]{2,64}$/, { message: 'code must be 2 to 64 letters, digits, _ . -' }) code: string;
  @ApiProperty({ example: '成都市锦江区民政局' }) @IsString() @MinLength(2) @MaxLength(100) name: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) @IsIn(ORGANIZATION_KINDS) kind: string;
  @ApiPropertyOptional({ enum: DEPARTMENTS, description: 'required for kind department, absent otherwise' }) @IsOptional() @IsIn(DEPARTMENTS) department?: string;
  @ApiProperty({ example: '510104' }) @Matches(/^(\d{6}|\d{9}|\d{6}-[A-Z]{1,8})$/, { message: 'regionCode must be a region code such as 510104' }) regionCode: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() parentId?: string;
}

export class ListOrganizationsQuery {
  @ApiPropertyOptional({ example: '510104' }) @IsOptional() @Matches(/^(\d{6}|\d{9}|\d{6}-[A-Z]{1,8})$/) regionCode?: string;
}

export class OrganizationDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) kind: string;
  @ApiProperty({ nullable: true, enum: DEPARTMENTS }) department: string | null;
  @ApiProperty() regionCode: string;
  @ApiProperty({ nullable: true }) parentId: string | null;
}

export class UserDto {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty({ enum: ['staff', 'applicant'] }) kind: string;
  @ApiProperty({ enum: ['active', 'disabled'] }) status: string;
  @ApiProperty({ nullable: true }) organizationId: string | null;
  @ApiProperty({ nullable: true }) organizationName: string | null;
  @ApiProperty({ nullable: true }) department: string | null;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ type: [String] }) groups: string[];
  @ApiProperty({ nullable: true, example: '张*', description: 'masked' }) name: string | null;
  @ApiProperty({ nullable: true, example: '138****5678', description: 'masked' }) phone: string | null;
  @ApiProperty({ nullable: true, example: '510104********1234', description: 'masked' }) idNumber: string | null;
  @ApiProperty({ nullable: true, example: 'jj_window@example.cn', description: 'work e-mail for notifications' }) email: string | null;
  @ApiProperty({ enum: ['zh-CN', 'en'] }) locale: string;
  @ApiProperty({ nullable: true }) lockedUntil: string | null;
  @ApiProperty() mustChangePassword: boolean;
  @ApiProperty({ nullable: true }) lastLoginAt: string | null;
  @ApiProperty() createdAt: string;
}

export class RevealedDto {
  @ApiPropertyOptional({ nullable: true }) name?: string | null;
  @ApiPropertyOptional({ nullable: true }) phone?: string | null;
  @ApiPropertyOptional({ nullable: true }) idNumber?: string | null;
}
