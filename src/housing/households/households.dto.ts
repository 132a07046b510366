import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsIdNumber } from '../../identity';
import { Category, GuaranteeForm, Label, REGION_CODE, REGION_CODE_MESSAGE, Relation } from '../housing-codes';
import { PagingQuery } from '../stock/stock.dto';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class MemberInputDto {
  @ApiProperty({ enum: Relation.codes }) @IsIn(Relation.codes) relation: Relation;
  @ApiProperty({ example: '张三' }) @IsString() @MinLength(1) @MaxLength(50) name: string;
  @ApiProperty({ description: '居民身份证号码 (GB 11643)' }) @IsIdNumber() idNumber: string;
  @ApiPropertyOptional({ example: '13812345678' }) @IsOptional() @IsString() @MaxLength(20) phone?: string;
}

export class CreateHouseholdDto {
  @ApiProperty({ example: '510107', description: 'where the household lives' }) @Matches(REGION_CODE, { message: `regionCode ${REGION_CODE_MESSAGE}` }) regionCode: string;
  @ApiProperty({ enum: Category.codes }) @IsIn(Category.codes) category: Category;
  @ApiProperty({ enum: GuaranteeForm.codes }) @IsIn(GuaranteeForm.codes) guaranteeForm: GuaranteeForm;
  @ApiPropertyOptional({ example: 380, description: 'yuan a month; required for rental_subsidy, absent otherwise' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(10000)
  subsidyMonthlyAmount?: number;
  @ApiProperty({ type: [MemberInputDto], description: 'exactly one applicant' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => MemberInputDto)
  members: MemberInputDto[];
}

export class ChangeGuaranteeDto {
  @ApiProperty({ enum: GuaranteeForm.codes }) @IsIn(GuaranteeForm.codes) guaranteeForm: GuaranteeForm;
  @ApiPropertyOptional({ example: 380 }) @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.01) @Max(10000) subsidyMonthlyAmount?: number;
  @ApiProperty({ example: '已实物配租，停发租赁补贴' }) @IsString() @MinLength(2) @MaxLength(500) reason: string;
}

export class HouseholdFilterQuery {
  @ApiPropertyOptional({ example: '510107', description: 'region subtree' }) @IsOptional() @Matches(REGION_CODE, { message: `region ${REGION_CODE_MESSAGE}` }) region?: string;
  @ApiPropertyOptional({ enum: Category.codes }) @IsOptional() @IsIn(Category.codes) category?: Category;
  @ApiPropertyOptional({ enum: GuaranteeForm.codes }) @IsOptional() @IsIn(GuaranteeForm.codes) guaranteeForm?: GuaranteeForm;
  @ApiPropertyOptional({ description: 'a member whose masked name matches: 张三 and 张* both find 张*; one character finds every name it begins' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  name?: string;
  @ApiPropertyOptional({ description: 'true: with a current tenancy; false: without' }) @IsOptional() @Transform(toBool) @IsBoolean({ message: 'housed must be true or false' }) housed?: boolean;
}

export class ListHouseholdsQuery extends HouseholdFilterQuery {
  @ApiPropertyOptional({ default: 50, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

/** POST body: an exact ID number or phone travels in a body, never in a URL or a log. */
export class SearchHouseholdsDto extends PagingQuery {
  @ApiPropertyOptional({ description: 'exact ID number of any member (blind index)' }) @IsOptional() @IsIdNumber() idNumber?: string;
  @ApiPropertyOptional({ description: 'exact phone of any member (blind index)' }) @IsOptional() @IsString() @MaxLength(20) phone?: string;
  @ApiPropertyOptional({ example: '510107' }) @IsOptional() @Matches(REGION_CODE, { message: `region ${REGION_CODE_MESSAGE}` }) region?: string;
}

export class ExportHouseholdsQuery extends HouseholdFilterQuery {
  @ApiPropertyOptional({ description: 'names, ID numbers and phones in clear: needs the unmask permission and a purpose; every member is audited' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'unmask must be true or false' })
  unmask?: boolean;
  @ApiPropertyOptional({ example: '年度资格复核核对' }) @IsOptional() @IsString() @MaxLength(200) purpose?: string;
}

export class RevealMembersDto {
  @ApiProperty({ type: [String], enum: ['name', 'idNumber', 'phone'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(['name', 'idNumber', 'phone'], { each: true, message: 'each field must be one of name, idNumber, phone' })
  fields: ('name' | 'idNumber' | 'phone')[];
  @ApiProperty({ example: '核实家庭成员身份' }) @IsString() @MaxLength(200) purpose: string;
}

export class TenancyRefDto {
  @ApiProperty() id: string;
  @ApiProperty() unitId: string;
  @ApiProperty() assetNo: string;
  @ApiProperty() startDate: string;
  @ApiProperty() endDate: string;
  @ApiProperty({ nullable: true }) endedOn: string | null;
}

export class MemberDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: Relation.codes }) relation: Relation;
  @ApiProperty() relationLabel: Label;
  @ApiProperty({ example: '张*', description: 'masked unless revealed' }) name: string;
  @ApiProperty({ example: '510107********1234', description: 'masked unless revealed' }) idNumber: string;
  @ApiProperty({ nullable: true, example: '138****5678', description: 'masked unless revealed' }) phone: string | null;
}

export class HouseholdDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: '510107-2025-000012' }) householdNo: string;
  @ApiProperty() regionCode: string;
  @ApiProperty() regionName: string;
  @ApiProperty({ enum: Category.codes }) category: Category;
  @ApiProperty({ enum: GuaranteeForm.codes }) guaranteeForm: GuaranteeForm;
  @ApiProperty({ nullable: true }) subsidyMonthlyAmount: number | null;
  @ApiProperty({ example: '张*' }) applicantName: string;
  @ApiProperty() memberCount: number;
  @ApiProperty() labels: { category: Label; guaranteeForm: Label };
  @ApiProperty({ type: [TenancyRefDto], description: 'current tenancies (more than one is a reconciliation finding)' }) currentTenancies: TenancyRefDto[];
  @ApiProperty() createdAt: string;
}

export class HouseholdDetailDto extends HouseholdDto {
  @ApiProperty({ type: [MemberDto] }) members: MemberDto[];
  @ApiProperty({ type: [TenancyRefDto], description: 'every tenancy, newest first' }) tenancies: TenancyRefDto[];
}
