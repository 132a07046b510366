import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { APPLICATION_TYPES } from '../applications';
import { OBJECTION_OUTCOMES, ObjectionOutcome, ObjectionStatus, PUBLICITY_ROUNDS, PUBLICITY_STATUSES, PublicityRound, PublicityStatus } from './publicity.state';
import type { Label } from './publicity.state';

export const REGION_CODE = /^(\d{6}|\d{9}|\d{6}-[A-Z]{1,8})$/;
const REGION_MESSAGE = 'must be a region code such as 510104 or 510104017';
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Most objections a notice accepts from one address in an hour (POST /api/public/notices/{id}/objections). */
export const OBJECTION_RATE = { limit: 5, windowMs: 3600_000 } as const;
export const OBJECTION_CONTENT_MAX = 2000;
export const OBJECTION_CONTACT_MAX = 100;

export class LabelDto {
  @ApiProperty({ name: 'zh-CN' }) 'zh-CN': string;
  @ApiProperty() en: string;
}

export class PublicityContentDto {
  @ApiProperty({ example: '张*' }) name: string;
  @ApiProperty({ example: '510104********1234' }) idNumber: string;
  @ApiProperty({ example: 3 }) householdSize: number;
  @ApiProperty({ enum: APPLICATION_TYPES }) guaranteeType: string;
  @ApiProperty({ type: LabelDto }) guaranteeTypeLabel: Label;
  @ApiProperty({ example: '锦官驿街道' }) street: string;
}

export class PublicNoticesQuery {
  @ApiProperty({ description: 'a region code: its notices and those of every region under it', example: '510104' })
  @Matches(REGION_CODE, { message: `region ${REGION_MESSAGE}` })
  region: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) offset?: number;
}

export class PublicNoticeView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: PUBLICITY_ROUNDS }) round: PublicityRound;
  @ApiProperty({ type: LabelDto }) roundLabel: Label;
  @ApiProperty({ example: '510104' }) regionCode: string;
  @ApiProperty({ nullable: true, example: '锦江区' }) regionName: string | null;
  @ApiProperty({ type: PublicityContentDto }) content: PublicityContentDto;
  @ApiProperty({ example: '2026-09-30' }) startsOn: string;
  @ApiProperty({ example: '2026-10-15', description: 'the last day; objections are accepted until 24:00 Asia/Shanghai' }) endsOn: string;
  @ApiProperty() endsAt: string;
}

export class PublicNoticePage {
  @ApiProperty({ type: [PublicNoticeView] }) items: PublicNoticeView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class RaiseObjectionDto {
  @ApiProperty({ description: `what is wrong (at most ${OBJECTION_CONTENT_MAX} characters)`, example: '该户在本市另有住房' })
  @Transform(trim) @IsString() @Length(1, OBJECTION_CONTENT_MAX, { message: `content must be 1 to ${OBJECTION_CONTENT_MAX} characters` })
  content: string;
  @ApiPropertyOptional({ description: `how to reach you, if you want an answer (stored encrypted; at most ${OBJECTION_CONTACT_MAX} characters)` })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(OBJECTION_CONTACT_MAX, { message: `contact must be at most ${OBJECTION_CONTACT_MAX} characters` })
  contact?: string;
}

export class ObjectionReceipt {
  @ApiProperty() id: string;
  @ApiProperty() receivedAt: string;
  @ApiProperty({ type: LabelDto }) message: Label;
}

export class ObjectionVerificationView {
  @ApiProperty({ enum: OBJECTION_OUTCOMES }) outcome: ObjectionOutcome;
  @ApiProperty({ type: LabelDto }) outcomeLabel: Label;
  @ApiProperty() reasons: string;
  @ApiProperty() verifiedBy: string;
  @ApiProperty() verifiedAt: string;
}

export class ObjectionView {
  @ApiProperty() id: string;
  @ApiProperty() publicityId: string;
  @ApiProperty() caseNumber: string;
  @ApiProperty({ enum: PUBLICITY_ROUNDS }) round: PublicityRound;
  @ApiProperty() receivedAt: string;
  @ApiProperty() content: string;
  @ApiProperty({ nullable: true, description: 'masked; POST …/reveal shows it in clear (audited)' }) contact: string | null;
  @ApiProperty() verificationDueOn: string;
  @ApiProperty() verificationDueAt: string;
  @ApiProperty({ enum: ['pending', ...OBJECTION_OUTCOMES] }) status: ObjectionStatus;
  @ApiProperty({ type: LabelDto }) statusLabel: Label;
  @ApiProperty({ type: ObjectionVerificationView, nullable: true }) verification: ObjectionVerificationView | null;
}

export class ObjectionPage {
  @ApiProperty({ type: [ObjectionView] }) items: ObjectionView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class WithdrawalView {
  @ApiProperty() at: string;
  @ApiProperty() by: string;
  @ApiProperty() reason: string;
}

export class PublicityPeriodRuleView {
  @ApiProperty() ruleId: number;
  @ApiProperty({ enum: ['working-days', 'calendar-rolling'] }) rule: string;
  @ApiProperty() days: number;
  @ApiProperty() objectionCheckDays: number;
}

export class PublicityView extends PublicNoticeView {
  @ApiProperty() applicationId: string;
  @ApiProperty() caseNumber: string;
  @ApiProperty({ enum: PUBLICITY_STATUSES }) status: PublicityStatus;
  @ApiProperty({ type: LabelDto }) statusLabel: Label;
  @ApiProperty() startsAt: string;
  @ApiProperty({ description: 'the end lies in a year without a confirmed calendar (recomputed when it is entered)' }) provisional: boolean;
  @ApiProperty({ type: PublicityPeriodRuleView }) period: PublicityPeriodRuleView;
  @ApiProperty() publishedAt: string;
  @ApiProperty() publishedBy: string;
  @ApiProperty({ type: WithdrawalView, nullable: true }) withdrawal: WithdrawalView | null;
  @ApiProperty({ type: [ObjectionView] }) objections: ObjectionView[];
}

export class CasePublicityView {
  @ApiProperty() applicationId: string;
  @ApiProperty() caseNumber: string;
  @ApiProperty({ type: [PublicityView] }) notices: PublicityView[];
}

export class WithdrawPublicityDto {
  @ApiProperty({ example: '申请人撤回申请' })
  @Transform(trim) @IsString() @Length(1, 500, { message: 'reason must be 1 to 500 characters' })
  reason: string;
}

export class VerifyObjectionDto {
  @ApiProperty({ enum: OBJECTION_OUTCOMES }) @IsIn(OBJECTION_OUTCOMES) outcome: ObjectionOutcome;
  @ApiProperty({ example: '经入户核实，该户无其他住房' })
  @Transform(trim) @IsString() @Length(1, 2000, { message: 'reasons must be 1 to 2000 characters' })
  reasons: string;
}

export class RevealContactDto {
  @ApiProperty({ example: '联系异议人核实情况' }) @IsString() @Length(4, 200, { message: 'purpose must be 4 to 200 characters' }) purpose: string;
}

export class RevealedContactView {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true }) contact: string | null;
}

export class ListObjectionsQuery {
  @ApiPropertyOptional({ enum: ['pending', ...OBJECTION_OUTCOMES] }) @IsOptional() @IsIn(['pending', ...OBJECTION_OUTCOMES]) status?: ObjectionStatus;
  @ApiPropertyOptional({ description: 'the notice’s region, with everything under it' }) @IsOptional() @Matches(REGION_CODE, { message: `region ${REGION_MESSAGE}` }) region?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) offset?: number;
}

export class PublicityRulesQuery {
  @ApiProperty({ example: '510104' }) @Matches(REGION_CODE, { message: `region ${REGION_MESSAGE}` }) region: string;
}

export class AddPublicityRuleDto {
  @ApiProperty({ example: '510100' }) @Matches(REGION_CODE, { message: `regionCode ${REGION_MESSAGE}` }) regionCode: string;
  @ApiProperty({ enum: PUBLICITY_ROUNDS }) @Type(() => Number) @IsIn(PUBLICITY_ROUNDS, { message: 'round must be 1 or 2' }) round: PublicityRound;
  @ApiProperty({ enum: ['working-days', 'calendar-rolling'] }) @IsIn(['working-days', 'calendar-rolling']) rule: 'working-days' | 'calendar-rolling';
  @ApiProperty({ example: 7 }) @IsInt() @Min(1) @Max(90) days: number;
  @ApiProperty({ example: 10 }) @IsInt() @Min(1) @Max(90) objectionCheckDays: number;
  @ApiProperty({ example: '2026-07-01' }) @Matches(DATE, { message: 'effectiveFrom must be a date YYYY-MM-DD' }) effectiveFrom: string;
  @ApiProperty({ example: '成住建发〔2026〕12号' }) @Transform(trim) @IsString() @Length(1, 200) source: string;
}

export class PublicityRuleView {
  @ApiProperty() id: number;
  @ApiProperty() regionCode: string;
  @ApiProperty({ enum: PUBLICITY_ROUNDS }) round: PublicityRound;
  @ApiProperty({ enum: ['working-days', 'calendar-rolling'] }) rule: string;
  @ApiProperty({ type: LabelDto }) ruleLabel: Label;
  @ApiProperty() days: number;
  @ApiProperty() objectionCheckDays: number;
  @ApiProperty() effectiveFrom: string;
  @ApiProperty() source: string;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
}

export class PublicityRulesView {
  @ApiProperty() region: string;
  @ApiProperty() regionName: string;
  @ApiProperty() today: string;
  @ApiProperty({ type: [PublicityRuleView], description: 'round 1 and round 2 as in force today' }) inForce: PublicityRuleView[];
  @ApiProperty({ type: [PublicityRuleView], description: 'every version on the region’s path, province first' }) versions: PublicityRuleView[];
}
