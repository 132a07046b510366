import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { CHECK_TYPES, CheckResult, CheckType, Label } from '../connectors';
import { APPLICATION_TYPES, ApplicationType, CHANNELS, Channel } from './application-types';
import { APPLICATION_STATUSES, ApplicationStatus } from './application.state';
import { CASE_NUMBER } from './case-number';
import type { DeclaredAssets, HouseholdSnapshot, SnapshotMember } from './household';
import { APPLICATION_REGION } from './submit-application.dto';

const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class GetApplicationQuery {
  @ApiPropertyOptional({ description: 'show names, ID numbers, address and phone in clear (needs personal_data.reveal and a purpose; audited)' })
  @IsOptional() @Transform(bool) @IsBoolean({ message: 'unmask must be true or false' }) unmask?: boolean;
  @ApiPropertyOptional({ example: '入户调查核对身份' }) @IsOptional() @IsString() @Length(0, 200) purpose?: string;
}

export class ListApplicationsQuery {
  @IsOptional() @IsIn(APPLICATION_STATUSES) status?: ApplicationStatus;
  @IsOptional() @IsIn(APPLICATION_TYPES) type?: ApplicationType;
  @IsOptional() @IsIn(CHANNELS) channel?: Channel;
  @ApiPropertyOptional({ description: 'the household’s or the target region, with everything under it' })
  @IsOptional() @Matches(APPLICATION_REGION, { message: 'regionCode must be a region code such as 510100 or 510104' }) regionCode?: string;
  @IsOptional() @Matches(CASE_NUMBER, { message: 'caseNumber must look like SQ-510104-2026-000001' }) caseNumber?: string;
  @IsOptional() @IsISO8601({ strict: true }) submittedFrom?: string;
  @IsOptional() @IsISO8601({ strict: true }) submittedTo?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) offset?: number;
}

export class RunChecksDto {
  @ApiPropertyOptional({ enum: CHECK_TYPES, isArray: true, description: 'default: every check' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(CHECK_TYPES, { each: true }) checks?: CheckType[];
  @ApiPropertyOptional({ type: [String], description: 'member ids; default: every member' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsUUID('all', { each: true }) memberIds?: string[];
}

export class LabelDto {
  @ApiProperty({ name: 'zh-CN' }) 'zh-CN': string;
  @ApiProperty() en: string;
}

export class AuthorisationView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: CHECK_TYPES, isArray: true }) checks: CheckType[];
  @ApiProperty() signedAt: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ nullable: true }) revokedAt: string | null;
  @ApiProperty() method: string;
  @ApiProperty({ enum: ['self', 'guardian'] }) signedBy: string;
  @ApiProperty({ description: 'allows department checks now' }) valid: boolean;
}

export class MemberView {
  @ApiProperty() id: string;
  @ApiProperty() position: number;
  @ApiProperty() relationship: string;
  @ApiProperty({ type: LabelDto }) relationshipLabel: Label;
  @ApiProperty({ example: '张*' }) name: string;
  @ApiProperty({ example: '510104********1230' }) idNumber: string;
  @ApiProperty() gender: string;
  @ApiProperty() birthDate: string;
  @ApiProperty() ageAtSubmission: number;
  @ApiProperty() adult: boolean;
  @ApiProperty() hukouRegionCode: string;
  @ApiProperty({ nullable: true }) maritalStatus: string | null;
  @ApiProperty() monthlyIncome: number;
  @ApiProperty() assistanceStatus: string;
  @ApiProperty({ nullable: true }) socialInsuranceMonths: number | null;
  @ApiProperty() assets: DeclaredAssets;
  @ApiProperty({ nullable: true }) commitment: { signedAt: string; method: string; textVersion: string } | null;
  @ApiProperty({ type: [AuthorisationView] }) authorisations: AuthorisationView[];
}

export class MaterialView {
  @ApiProperty() id: string;
  @ApiProperty() kind: string;
  @ApiProperty({ type: LabelDto }) label: Label;
  @ApiProperty() reference: string;
  @ApiProperty() sha256: string;
  @ApiProperty({ nullable: true }) fileName: string | null;
  @ApiProperty({ nullable: true }) memberId: string | null;
  @ApiProperty() addedAt: string;
}

export class StatusChangeView {
  @ApiProperty({ nullable: true }) from: string | null;
  @ApiProperty() to: string;
  @ApiProperty({ type: LabelDto }) toLabel: Label;
  @ApiProperty() reason: string;
  @ApiProperty({ description: 'username or process step' }) changedBy: string;
  @ApiProperty() changedAt: string;
}

export class ApplicationSummary {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'SQ-510104-2026-000001' }) caseNumber: string;
  @ApiProperty({ enum: APPLICATION_TYPES }) type: ApplicationType;
  @ApiProperty({ type: LabelDto }) typeLabel: Label;
  @ApiProperty({ enum: CHANNELS }) channel: Channel;
  @ApiProperty({ type: LabelDto }) channelLabel: Label;
  @ApiProperty() regionCode: string;
  @ApiProperty({ nullable: true }) targetRegionCode: string | null;
  @ApiProperty({ enum: APPLICATION_STATUSES }) status: ApplicationStatus;
  @ApiProperty({ type: LabelDto }) statusLabel: Label;
  @ApiProperty() submittedAt: string;
  @ApiProperty({ example: '张*' }) applicantName: string;
  @ApiProperty() householdSize: number;
  @ApiProperty() category: string;
}

export class ApplicationPage {
  @ApiProperty({ type: [ApplicationSummary] }) items: ApplicationSummary[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class ApplicationView extends ApplicationSummary {
  @ApiProperty({ description: 'the user who filed it (the applicant online, or window staff)' }) filedBy: { userId: string; username: string | null; role: string };
  @ApiProperty({ nullable: true }) applicantUserId: string | null;
  @ApiProperty() household: {
    category: string;
    categoryLabel: Label;
    address: string;
    phone: string;
    size: number;
    adults: number;
    minors: number;
    totals: HouseholdSnapshot['totals'];
    members: MemberView[];
  };
  @ApiProperty({ description: 'the household as frozen at submission (no names or ID numbers in it), its SHA-256 and whether it still matches' })
  snapshot: { sha256: string; intact: boolean; capturedAt: string; content: Omit<HouseholdSnapshot, 'members'> & { members: Omit<SnapshotMember, 'idNumberBidx'>[] } };
  @ApiProperty({ type: [MaterialView] }) materials: MaterialView[];
  @ApiProperty({ description: 'required materials of the type not yet referenced (for a 补正 notice)' }) missingMaterials: { kind: string; label: Label }[];
  @ApiProperty({ type: [StatusChangeView] }) statusHistory: StatusChangeView[];
  @ApiProperty({ description: 'true when names and numbers are shown in clear' }) unmasked: boolean;
}

export class CheckCallView {
  @ApiProperty() id: string;
  @ApiProperty() memberId: string;
  @ApiProperty() memberPosition: number;
  @ApiProperty({ type: LabelDto }) member: Label;
  @ApiProperty() department: string;
  @ApiProperty({ type: LabelDto }) departmentLabel: Label;
  @ApiProperty({ enum: CHECK_TYPES }) check: CheckType;
  @ApiProperty({ type: LabelDto }) checkLabel: Label;
  @ApiProperty({ enum: ['MATCH', 'MISMATCH', 'NO_DATA', 'ERROR'] }) result: CheckResult;
  @ApiProperty({ type: LabelDto }) resultLabel: Label;
  @ApiProperty({ type: LabelDto }) message: Label;
  @ApiProperty({ nullable: true, description: "the department's data" }) data: unknown;
  @ApiProperty({ description: 'answered by the simulated connector set' }) simulated: boolean;
  @ApiProperty() connectorSet: string;
  @ApiProperty() authorisationId: string;
  @ApiProperty() calledBy: { kind: string; userId: string | null; reference: string };
  @ApiProperty() calledAt: string;
  @ApiProperty() durationMs: number;
}

export class ChecksView {
  @ApiProperty() applicationId: string;
  @ApiProperty() caseNumber: string;
  @ApiProperty({ description: 'the connector set in use now' }) connectorSet: string;
  @ApiProperty() simulated: boolean;
  @ApiProperty({ type: [CheckCallView] }) results: CheckCallView[];
  @ApiProperty() summary: Record<CheckResult, number>;
}
