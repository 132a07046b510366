import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import type { Label } from '../connectors';
import { MaterialDto } from './submit-application.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class WithdrawApplicationDto {
  @ApiProperty({ example: '已租到合适的房屋，不再申请' }) @Transform(trim) @IsString() @Length(2, 500) reason: string;
}

export class SupplyMaterialsDto {
  @ApiProperty({ type: [MaterialDto], description: 'the materials a 补正 notice asked for' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => MaterialDto)
  materials: MaterialDto[];
}

const days = (max = 90) => [IsInt(), Min(1), Max(max)];
const apply = (decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));

/** A new version of a region's periods (working days), in force from a day on (today or later). */
export class AddPeriodsDto {
  @ApiProperty({ example: '510100', description: 'the region it covers, with everything under it' })
  @Matches(/^(\d{6}|\d{9}|\d{6}-[A-Z]{1,8})$/, { message: 'regionCode must be a region code such as 510100 or 510104017' })
  regionCode: string;
  @ApiProperty({ example: '2026-07-01' }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'effectiveFrom must be a date YYYY-MM-DD' }) effectiveFrom: string;
  @ApiProperty({ example: 15 }) @apply(days()) correctionDays: number;
  @ApiProperty({ example: 15 }) @apply(days()) streetReviewDays: number;
  @ApiProperty({ example: 15 }) @apply(days()) countyReviewDays: number;
  @ApiProperty({ example: 7 }) @apply(days()) cityReviewDays: number;
  @ApiProperty({ example: 5 }) @apply(days()) departmentCheckDays: number;
  @ApiProperty({ example: 3, description: 'fewer than departmentCheckDays' }) @apply(days()) departmentReminderDays: number;
  @ApiProperty({ example: 3 }) @apply(days()) departmentEscalationDays: number;
  @ApiProperty({ example: 15 }) @apply(days()) appealRequestDays: number;
  @ApiProperty({ example: 15 }) @apply(days()) appealReviewDays: number;
  @ApiProperty({ example: 60 }) @apply(days(250)) caseDays: number;
  @ApiProperty({ example: '成住建发〔2026〕12号' }) @Transform(trim) @IsString() @Length(1, 200) source: string;
}

export class AppealDto {
  @ApiProperty({ example: '家庭收入已下降，请求复核' }) @Transform(trim) @IsString() @Length(2, 2000) reason: string;
}

/** Stages of the process that record a decision (application_reviews.stage). */
export const REVIEW_STAGES = ['street_review', 'department_review', 'county_review', 'city_review', 'decision', 'appeal_request', 'appeal_review'] as const;
export type ReviewStage = (typeof REVIEW_STAGES)[number];

export const REVIEW_STAGE_LABELS: Readonly<Record<ReviewStage, Label>> = {
  street_review: { 'zh-CN': '社区入户调查及街道初审', en: 'Home visit and street review' },
  department_review: { 'zh-CN': '部门联合审查', en: 'Joint review by a department' },
  county_review: { 'zh-CN': '区县审核', en: 'County review' },
  city_review: { 'zh-CN': '市级复核', en: 'City review' },
  decision: { 'zh-CN': '审批决定', en: 'Decision' },
  appeal_request: { 'zh-CN': '申请复核', en: 'Appeal (复核) requested' },
  appeal_review: { 'zh-CN': '复核决定', en: 'Appeal (复核) decided' },
};

export const REVIEW_OUTCOMES = ['approve', 'reject', 'consistent', 'discrepancy', 'approved', 'rejected', 'requested', 'maintained', 'overturned'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export const REVIEW_OUTCOME_LABELS: Readonly<Record<ReviewOutcome, Label>> = {
  approve: { 'zh-CN': '审核通过', en: 'Passed' },
  reject: { 'zh-CN': '审核不通过', en: 'Not passed' },
  consistent: { 'zh-CN': '核实一致', en: 'Confirmed consistent' },
  discrepancy: { 'zh-CN': '确认不符', en: 'Discrepancy confirmed' },
  approved: { 'zh-CN': '准予保障', en: 'Approved' },
  rejected: { 'zh-CN': '不予保障', en: 'Refused' },
  requested: { 'zh-CN': '已申请复核', en: 'Appeal requested' },
  maintained: { 'zh-CN': '维持原决定', en: 'Refusal maintained' },
  overturned: { 'zh-CN': '撤销原决定，准予保障', en: 'Refusal overturned, approved' },
};

export const GUARANTEES = ['waiting_list', 'rental_subsidy'] as const;
export type Guarantee = (typeof GUARANTEES)[number];

export const GUARANTEE_LABELS: Readonly<Record<Guarantee, Label>> = {
  waiting_list: { 'zh-CN': '纳入轮候库（实物配租）', en: 'On the waiting list (housing in kind)' },
  rental_subsidy: { 'zh-CN': '纳入租赁补贴发放名册', en: 'On the rental-subsidy roll' },
};

export class EligibilityView {
  @ApiProperty({ example: 'housingEligibility' }) decisionKey: string;
  @ApiProperty({ description: 'the version of the decision (the standards) that judged the case' }) decisionVersion: number;
  @ApiProperty() decisionDefinitionId: string;
  @ApiProperty() eligible: boolean;
  @ApiProperty({ description: 'each standard not met: { code, label }' }) findings: { code: string; label: string }[];
  @ApiPropertyOptional({ description: 'the lines and limits applied' }) standards: Record<string, unknown> | null;
  @ApiProperty() matchedRules: string[];
  @ApiProperty({ description: 'the declared totals the decision read' }) facts: Record<string, unknown>;
  @ApiProperty() judgedAt: string;
  @ApiProperty({ description: 'the process step' }) judgedBy: string;
}

export class ReviewView {
  @ApiProperty({ enum: REVIEW_STAGES }) stage: ReviewStage;
  @ApiProperty() stageLabel: Label;
  @ApiProperty({ nullable: true, example: '民政' }) department: string | null;
  @ApiProperty({ nullable: true, enum: ['MATCH', 'MISMATCH', 'NO_DATA', 'ERROR'] }) onlineResult: string | null;
  @ApiProperty({ enum: REVIEW_OUTCOMES }) outcome: ReviewOutcome;
  @ApiProperty() outcomeLabel: Label;
  @ApiProperty() reasons: string[];
  @ApiProperty({ nullable: true }) opinion: string | null;
  @ApiProperty({ description: 'username, or the process step when nobody decided' }) decidedBy: string;
  @ApiProperty() decidedAt: string;
  @ApiProperty({ description: 'decided by the supervisors after the deadline passed (超期督办)' }) escalated: boolean;
  @ApiProperty({ nullable: true }) taskId: string | null;
  @ApiProperty({ nullable: true, enum: GUARANTEES }) guarantee: Guarantee | null;
  @ApiProperty({ nullable: true }) guaranteeLabel: Label | null;
  @ApiProperty({ nullable: true, description: 'last day to ask for 复核 (a refusal)' }) appealDeadline: string | null;
}

export class ApplicationReviewsView {
  @ApiProperty() applicationId: string;
  @ApiProperty() caseNumber: string;
  @ApiProperty({ type: [EligibilityView], description: 'every judgement of the eligibility decision, oldest first' }) eligibility: EligibilityView[];
  @ApiProperty({ type: [ReviewView], description: 'every decision taken on the case, in order' }) reviews: ReviewView[];
}
