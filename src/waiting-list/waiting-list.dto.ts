import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { PRIORITY_GROUPS, PriorityGroup } from './priority-groups';
import type { Label } from './priority-groups';
import { ALARM_OUTCOMES, AlarmOutcome, ENTRY_STATUSES, EntryStatus, HISTORY_EVENTS, HistoryEvent } from './waiting-list.state';

const REGION_CODE = /^(\d{6}|\d{6}-[A-Z]{1,8})$/;
const REGION_MESSAGE = 'must be a county-level region code such as 510104';
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CASE_NUMBER = /^SQ-\d{6}-\d{4}-\d{6,}$/;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class LabelDto {
  @ApiProperty({ name: 'zh-CN' }) 'zh-CN': string;
  @ApiProperty() en: string;
}

export class PriorityGroupView {
  @ApiProperty({ enum: PRIORITY_GROUPS }) code: PriorityGroup;
  @ApiProperty({ type: LabelDto }) label: Label;
}

export class BandView {
  @ApiProperty({ description: '1 = the highest priority group of the region’s order' }) rank: number;
  @ApiProperty({ enum: PRIORITY_GROUPS, nullable: true }) group: PriorityGroup | null;
  @ApiProperty({ type: LabelDto }) label: Label;
}

export class EntryHistoryView {
  @ApiProperty({ enum: HISTORY_EVENTS }) event: HistoryEvent;
  @ApiProperty({ type: LabelDto }) eventLabel: Label;
  @ApiProperty({ enum: ENTRY_STATUSES, nullable: true }) from: EntryStatus | null;
  @ApiProperty({ enum: ENTRY_STATUSES }) to: EntryStatus;
  @ApiProperty({ enum: ALARM_OUTCOMES, nullable: true, description: 'alarm_decided: the county’s answer' }) outcome: AlarmOutcome | null;
  @ApiProperty() reason: string;
  @ApiProperty({ nullable: true }) reference: string | null;
  @ApiProperty({ description: 'a username, or the process step' }) changedBy: string;
  @ApiProperty() changedAt: string;
}

export class AlarmDecisionView {
  @ApiProperty({ enum: ALARM_OUTCOMES }) outcome: AlarmOutcome;
  @ApiProperty({ type: LabelDto }) outcomeLabel: Label;
  @ApiProperty() reason: string;
  @ApiProperty({ nullable: true }) reference: string | null;
  @ApiProperty() decidedBy: string;
  @ApiProperty() decidedAt: string;
}

export class EntryView {
  @ApiProperty() id: string;
  @ApiProperty() applicationId: string;
  @ApiProperty() caseNumber: string;
  @ApiProperty({ example: '张*' }) applicantName: string | null;
  @ApiProperty() housingType: string;
  @ApiProperty({ type: LabelDto }) housingTypeLabel: Label;
  @ApiProperty() householdSize: number;
  @ApiProperty({ description: 'the application’s frozen household (its SHA-256)' }) householdSnapshotSha256: string;
  @ApiProperty() regionCode: string;
  @ApiProperty({ nullable: true }) regionName: string | null;
  @ApiProperty({ type: [PriorityGroupView] }) priorityGroups: PriorityGroupView[];
  @ApiProperty({ example: '2026-03-10' }) qualifiedOn: string;
  @ApiProperty({ description: 'the longest wait ends (qualifiedOn + the rule’s months)' }) maxWaitUntil: string;
  @ApiProperty({ description: 'the county is alarmed from this day' }) alarmOn: string;
  @ApiProperty({ nullable: true }) alarmRaisedAt: string | null;
  @ApiProperty({ enum: ENTRY_STATUSES }) status: EntryStatus;
  @ApiProperty({ type: LabelDto }) statusLabel: Label;
  @ApiProperty() statusReason: string;
  @ApiProperty({ nullable: true }) allocationReference: string | null;
  @ApiProperty() statusChangedAt: string;
  @ApiProperty() statusChangedBy: string;
  @ApiProperty({ nullable: true, description: 'place in the county’s list (waiting entries only)' }) position: number | null;
  @ApiProperty({ type: BandView, nullable: true }) band: BandView | null;
  @ApiPropertyOptional({ type: AlarmDecisionView, nullable: true, description: 'one entry only: the county’s answer to the 3-year alarm (轮候期满预警)' })
  alarmDecision?: AlarmDecisionView | null;
  @ApiPropertyOptional({ type: [EntryHistoryView], description: 'one entry only: what happened to it, oldest first' }) history?: EntryHistoryView[];
}

export class RuleView {
  @ApiProperty() id: number;
  @ApiProperty() regionCode: string;
  @ApiProperty({ type: [PriorityGroupView], description: 'highest first' }) priorityOrder: PriorityGroupView[];
  @ApiProperty() maxWaitMonths: number;
  @ApiProperty() alarmMonthsBefore: number;
  @ApiProperty() effectiveFrom: string;
  @ApiProperty() source: string;
  @ApiProperty() createdBy: string;
}

export class WaitingListPage {
  @ApiProperty() region: string;
  @ApiProperty({ nullable: true }) regionName: string | null;
  @ApiProperty({ enum: ENTRY_STATUSES }) status: EntryStatus;
  @ApiProperty({ type: RuleView, description: 'the rule in force today (its priority order ranks the list)' }) rule: RuleView;
  @ApiProperty({ type: [EntryView] }) items: EntryView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class ListWaitingQuery {
  @ApiProperty({ example: '510104' }) @Matches(REGION_CODE, { message: `region ${REGION_MESSAGE}` }) region: string;
  @ApiPropertyOptional({ enum: ENTRY_STATUSES, default: 'waiting' }) @IsOptional() @IsIn(ENTRY_STATUSES) status?: EntryStatus;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) offset?: number;
}

export class MyEntryView {
  @ApiProperty() id: string;
  @ApiProperty() caseNumber: string;
  @ApiProperty() housingType: string;
  @ApiProperty({ type: LabelDto }) housingTypeLabel: Label;
  @ApiProperty() regionCode: string;
  @ApiProperty({ nullable: true }) regionName: string | null;
  @ApiProperty({ enum: ENTRY_STATUSES }) status: EntryStatus;
  @ApiProperty({ type: LabelDto }) statusLabel: Label;
  @ApiProperty({ type: [PriorityGroupView] }) priorityGroups: PriorityGroupView[];
  @ApiProperty({ type: BandView, nullable: true }) band: BandView | null;
  @ApiProperty() qualifiedOn: string;
  @ApiProperty() maxWaitUntil: string;
  @ApiProperty({ nullable: true, description: 'your place in your county’s list' }) position: number | null;
  @ApiProperty({ nullable: true, description: 'households ahead of you in the whole list' }) ahead: number | null;
  @ApiProperty({ nullable: true, description: 'households ahead of you in your priority band' }) aheadInBand: number | null;
  @ApiProperty({ nullable: true, description: 'households waiting in your county' }) waitingInCounty: number | null;
}

export class MyEntriesView {
  @ApiProperty({ type: [MyEntryView] }) entries: MyEntryView[];
}

export class EnqueueDto {
  @ApiProperty({ example: 'SQ-510104-2026-000001' }) @Matches(CASE_NUMBER, { message: 'caseNumber must look like SQ-510104-2026-000001' }) caseNumber: string;
  @ApiPropertyOptional({ enum: PRIORITY_GROUPS, isArray: true, description: 'confirmed groups; 低保/特困, elderly and several minors are also derived from the household' })
  @IsOptional() @IsArray() @ArrayUnique() @ArrayMaxSize(PRIORITY_GROUPS.length) @IsIn(PRIORITY_GROUPS, { each: true }) priorityGroups?: PriorityGroup[];
  @ApiPropertyOptional({ description: '资格确认日; default today', example: '2026-03-10' }) @IsOptional() @Matches(DATE, { message: 'qualifiedOn must be a date YYYY-MM-DD' }) qualifiedOn?: string;
}

export class ReasonDto {
  @ApiProperty({ example: '轮候满 3 年，转为发放租赁补贴' }) @Transform(trim) @IsString() @Length(1, 500, { message: 'reason must be 1 to 500 characters' }) reason: string;
}

export class AllocateDto extends ReasonDto {
  @ApiProperty({ description: 'what was allocated: a unit’s asset number, a tenancy, an allocation round', example: 'WH-A-1-0302' })
  @Transform(trim) @IsString() @Length(1, 100, { message: 'reference must be 1 to 100 characters' })
  reference: string;
}

export class WaitingRulesQuery {
  @ApiProperty({ example: '510104' }) @Matches(/^(\d{6}|\d{9}|\d{6}-[A-Z]{1,8})$/, { message: 'region must be a region code such as 510104' }) region: string;
}

export class AddWaitingRuleDto {
  @ApiProperty({ example: '510100' }) @Matches(/^(\d{6}|\d{6}-[A-Z]{1,8})$/, { message: 'regionCode must be a region code such as 510100 or 510104' }) regionCode: string;
  @ApiProperty({ enum: PRIORITY_GROUPS, isArray: true, description: 'highest first; groups left out count as no priority' })
  @IsArray() @ArrayUnique() @ArrayMaxSize(PRIORITY_GROUPS.length) @IsIn(PRIORITY_GROUPS, { each: true }) priorityOrder: PriorityGroup[];
  @ApiProperty({ example: 36 }) @IsInt() @Min(1) @Max(120) maxWaitMonths: number;
  @ApiProperty({ example: 3 }) @IsInt() @Min(0) @Max(119) alarmMonthsBefore: number;
  @ApiProperty({ example: '2026-07-01' }) @Matches(DATE, { message: 'effectiveFrom must be a date YYYY-MM-DD' }) effectiveFrom: string;
  @ApiProperty({ example: '成住建发〔2026〕12号' }) @Transform(trim) @IsString() @Length(1, 200) source: string;
}

export class WaitingRulesView {
  @ApiProperty() region: string;
  @ApiProperty() regionName: string;
  @ApiProperty() today: string;
  @ApiProperty({ type: RuleView }) inForce: RuleView;
  @ApiProperty({ type: [RuleView] }) versions: RuleView[];
}
