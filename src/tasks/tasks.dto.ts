import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { SLA_STATES, SlaState } from './task-sla';
import { TASK_SORTS, TASK_STATUS_FILTERS, TaskFilter, TaskSort, TaskStatusFilter } from './task-query';

const USERNAME = /^[a-z][a-z0-9_.-]{2,63}$/;
const REGION = /^(\d{6}|\d{9}|\d{6}-[A-Z]{1,8}|[A-Z]{2,16})$/;
const GROUP = /^[^\s:][^\s]*:[^\s:]+$/;

/** 'true'/'false' in a URL, a boolean in JSON. */
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
/** 'overdue,due_soon' in a URL, an array in JSON. */
const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value);

/** The filters and sort of a queue: the query of GET /api/tasks, and the `filter` of a saved queue. */
export class TaskFilterDto implements TaskFilter {
  @ApiPropertyOptional({ description: 'offered to one of my candidate groups (or to me by name)' })
  @IsOptional() @Transform(toBoolean) @IsBoolean() myGroups?: boolean;

  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() assignedToMe?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() unassigned?: boolean;

  @ApiPropertyOptional({ example: 'county_reviewer:510104' })
  @IsOptional() @IsString() @MaxLength(200) @Matches(GROUP, { message: 'candidateGroup must be a group name such as county_reviewer:510104' }) candidateGroup?: string;

  @ApiPropertyOptional({ example: 'jgy_street', description: 'username holding the task' })
  @IsOptional() @Matches(USERNAME, { message: 'assignee must be a username' }) assignee?: string;

  @ApiPropertyOptional({ example: '510100', description: "the case's region in this subtree (region code or region group such as CDMZ)" })
  @IsOptional() @Matches(REGION, { message: 'region must be a region code (510104) or a region group code (CDMZ)' }) region?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) processKey?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) businessKey?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() processInstanceId?: string;

  @ApiPropertyOptional({ example: '2027-01-15T00:00:00+08:00' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'dueBefore must be an ISO 8601 date-time' }) dueBefore?: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00+08:00' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'dueAfter must be an ISO 8601 date-time' }) dueAfter?: string;

  @ApiPropertyOptional({ enum: SLA_STATES, isArray: true, description: 'comma-separated in a URL: overdue,due_soon' })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(SLA_STATES, { each: true, message: `each sla must be one of ${SLA_STATES.join(', ')}` })
  sla?: SlaState[];

  @ApiPropertyOptional({ description: 'text in the task name or the business key' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) q?: string;

  @ApiPropertyOptional({ enum: TASK_STATUS_FILTERS, default: 'open' })
  @IsOptional() @IsIn(TASK_STATUS_FILTERS) status?: TaskStatusFilter;

  @ApiPropertyOptional({ enum: TASK_SORTS, default: 'created', description: 'a leading - sorts descending (-priority: highest first)' })
  @IsOptional() @IsIn(TASK_SORTS) sort?: TaskSort;
}

export class ListTasksQuery extends TaskFilterDto {
  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional() @IsString() @MaxLength(400) cursor?: string;
}

export class PageQuery {
  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(400) cursor?: string;

  @ApiPropertyOptional({ enum: TASK_SORTS, description: "overrides the queue's sort" })
  @IsOptional() @IsIn(TASK_SORTS) sort?: TaskSort;
}

export class DelegateTaskDto {
  @ApiProperty({ example: 'jj_county', description: 'username of the delegate' })
  @Matches(USERNAME, { message: 'assignee must be a username' }) assignee: string;
}

export class AssignTaskDto {
  @ApiProperty({ example: 'jgy_street', nullable: true, description: 'username, or null to take the task back to the group' })
  @ValidateIf((o: AssignTaskDto) => o.assignee !== null) @Matches(USERNAME, { message: 'assignee must be a username or null' }) assignee: string | null;
}

export class CommentTaskDto {
  @ApiProperty({ example: '已电话联系申请人补充材料' })
  @IsString() @MinLength(1) @MaxLength(4000) body: string;
}

export class SaveTaskQueueDto {
  @ApiProperty({ example: '本街道待领取' }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional({ example: 'Street: unclaimed' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) nameEn?: string;

  @ApiProperty({ type: TaskFilterDto })
  @IsObject() @ValidateNested() @Type(() => TaskFilterDto) filter: TaskFilterDto;

  @ApiPropertyOptional({ type: [String], example: ['street_reviewer:510104017'], description: 'candidate groups whose members see the queue' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(20)
  @Matches(GROUP, { each: true, message: 'each sharedWithGroups entry must be a group name such as county_reviewer:510104' })
  sharedWithGroups?: string[];
}

type Label = { 'zh-CN': string; en: string };

export class TaskDto {
  @ApiProperty() id: string;
  @ApiProperty() processInstanceId: string;
  @ApiProperty() elementId: string;
  @ApiProperty({ example: '街道初审' }) name: string | null;
  @ApiProperty() processKey: string;
  @ApiProperty() processVersion: number;
  @ApiProperty({ nullable: true }) businessKey: string | null;
  @ApiProperty({ nullable: true, example: '510104017' }) regionCode: string | null;
  @ApiProperty({ enum: ['open', 'completed', 'cancelled'] }) status: string;
  @ApiProperty({ example: { 'zh-CN': '待办', en: 'Open' } }) statusLabel: Label;
  @ApiProperty({ type: [String] }) candidateGroups: string[];
  @ApiProperty({ type: [String] }) candidateUsers: string[];
  @ApiProperty({ nullable: true }) assignee: string | null;
  @ApiProperty({ nullable: true, description: 'who delegated it and gets it back on resolve' }) owner: string | null;
  @ApiProperty({ nullable: true, enum: ['pending', 'resolved'] }) delegationState: string | null;
  @ApiProperty() priority: number;
  @ApiProperty({ nullable: true }) dueAt: Date | null;
  @ApiProperty({ nullable: true }) followUpAt: Date | null;
  @ApiProperty({ enum: SLA_STATES }) sla: SlaState;
  @ApiProperty({ example: { 'zh-CN': '即将到期', en: 'Due soon' } }) slaLabel: Label;
  @ApiProperty({ nullable: true }) formKey: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) input: Record<string, unknown>;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true }) assignedAt: Date | null;
  @ApiProperty({ nullable: true, description: 'user id' }) assignedBy: string | null;
  @ApiProperty({ nullable: true }) claimedAt: Date | null;
  @ApiProperty({ nullable: true, description: 'user id' }) claimedBy: string | null;
  @ApiProperty({ nullable: true }) completedAt: Date | null;
  @ApiProperty({ nullable: true, description: 'user id' }) completedBy: string | null;
}

export class CompletedTaskDto {
  @ApiProperty() taskId: string;
  @ApiProperty() processInstanceId: string;
}

export class TaskPageDto {
  @ApiProperty({ type: [TaskDto] }) items: TaskDto[];
  @ApiProperty({ nullable: true, description: 'pass as cursor for the next page; null on the last one' }) nextCursor: string | null;
  @ApiProperty({ description: 'matching tasks, exact up to 1000' }) total: number;
  @ApiProperty({ description: 'false when there are more than total' }) totalExact: boolean;
  @ApiProperty({ example: '1000+' }) totalLabel: string;
}

export class TaskCommentDto {
  @ApiProperty() id: string;
  @ApiProperty() taskId: string;
  @ApiProperty() authorId: string;
  @ApiProperty() authorName: string;
  @ApiProperty() body: string;
  @ApiProperty() createdAt: Date;
}

export class TaskQueueDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true }) nameEn: string | null;
  @ApiProperty({ type: TaskFilterDto }) filter: TaskFilter;
  @ApiProperty({ type: [String] }) sharedWithGroups: string[];
  @ApiProperty() createdBy: string;
  @ApiProperty({ description: 'the caller created it (and may change it)' }) mine: boolean;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiPropertyOptional({ description: 'tasks in the queue for the caller, exact up to 1000' }) count?: number;
  @ApiPropertyOptional() countExact?: boolean;
  @ApiPropertyOptional({ example: '1000+' }) countLabel?: string;
}
