import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { DEADLINE_RULES, MAX_PERIOD_DAYS } from './working-days';

const REGION_CODE = /^(\d{6}|\d{9}|\d{6}-[A-Z]{1,8})$/;
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

export class WorkingDaysQuery {
  @ApiProperty({ description: 'the start date (day 0; counting starts the day after), Asia/Shanghai', example: '2026-09-24' })
  @Matches(DATE_SHAPE, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  @ApiProperty({ description: 'the period: working days, or calendar days with rule=calendar-rolling', example: 7 })
  @Transform(toInt)
  @IsInt({ message: 'n must be an integer' })
  @Min(-MAX_PERIOD_DAYS, { message: `n must be at least -${MAX_PERIOD_DAYS}` })
  @Max(MAX_PERIOD_DAYS, { message: `n must be at most ${MAX_PERIOD_DAYS}` })
  n: number;

  @ApiPropertyOptional({ description: 'the acting office region: its overlays (e.g. 凉山 彝族年) apply', example: '510100' })
  @IsOptional()
  @Matches(REGION_CODE, { message: 'region must be a region code such as 510100 or 513400' })
  region?: string;

  @ApiPropertyOptional({ enum: DEADLINE_RULES, default: 'working-days', description: 'working-days: N working days after from; calendar-rolling: N calendar days, the last day rolled forward past rest days' })
  @IsOptional()
  @IsIn(DEADLINE_RULES, { message: `rule must be one of ${DEADLINE_RULES.join(', ')}` })
  rule?: (typeof DEADLINE_RULES)[number];
}

export class DeadlineDto {
  @ApiProperty({ example: '2026-10-12', description: 'the last day of the period' }) due: string;
  @ApiProperty({ example: '2026-10-12T23:59:59.999+08:00', description: 'the end of the last day: 24:00 Asia/Shanghai, as its last millisecond' }) dueAt: string;
  @ApiProperty({ description: 'true when a day that decides the result lies in a year without a confirmed calendar (weekends only were counted)' })
  provisional: boolean;
  @ApiProperty({ type: [Number], example: [] }) missingYears: number[];
  @ApiProperty({ enum: DEADLINE_RULES }) rule: string;
  @ApiProperty({ example: '2026-09-24' }) from: string;
  @ApiProperty({ example: 7 }) n: number;
  @ApiProperty({ nullable: true, example: '510100' }) region: string | null;
}

export class YearParam {
  @Transform(toInt)
  @IsInt({ message: 'year must be a year such as 2027' })
  @Min(1992, { message: 'year must be 1992 or later' })
  @Max(2199, { message: 'year must be 2199 or earlier' })
  year: number;
}

export class YearQuery {
  @ApiPropertyOptional({ description: 'apply this region’s overlays', example: '513400' })
  @IsOptional()
  @Matches(REGION_CODE, { message: 'region must be a region code such as 510100 or 513400' })
  region?: string;
}

export class NoticeDayDto {
  @ApiProperty({ example: '2027-10-01' })
  @Matches(DATE_SHAPE, { message: 'date must be a date YYYY-MM-DD' })
  date: string;

  @ApiProperty({ enum: ['holiday', 'workday', 'closure'], description: 'holiday: rest (节假日); workday: make-up working day (调休上班); closure: one-off rest' })
  @IsIn(['holiday', 'workday', 'closure'], { message: 'kind must be holiday, workday or closure' })
  kind: 'holiday' | 'workday' | 'closure';

  @ApiProperty({ example: '国庆节' })
  @IsString({ message: 'name must be text' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(60, { message: 'name must be at most 60 characters' })
  name: string;
}

export class RecordNoticeDto {
  @ApiProperty({ example: '国办发明电〔2026〕X号', description: 'the notice’s document number (文号)' })
  @IsString({ message: 'sourceDocument must be text' })
  @IsNotEmpty({ message: 'sourceDocument must name the notice (文号)' })
  @MaxLength(200, { message: 'sourceDocument must be at most 200 characters' })
  sourceDocument: string;

  @ApiPropertyOptional({ example: '国务院办公厅关于2027年部分节假日安排的通知' })
  @IsOptional()
  @IsString({ message: 'title must be text' })
  @MaxLength(200, { message: 'title must be at most 200 characters' })
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @MaxLength(1000, { message: 'note must be at most 1000 characters' })
  note?: string;

  @ApiPropertyOptional({ description: 'a region code for a regional overlay or closure; absent for the national arrangement', example: '513400' })
  @IsOptional()
  @Matches(REGION_CODE, { message: 'region must be a region code such as 513400' })
  region?: string;

  @ApiProperty({ type: [NoticeDayDto], description: 'every holiday (weekend days inside a holiday included), make-up working day and closure' })
  @IsArray({ message: 'days must be a list' })
  @ArrayMaxSize(400, { message: 'days must have at most 400 entries' })
  @ValidateNested({ each: true })
  @Type(() => NoticeDayDto)
  days: NoticeDayDto[];
}

export class NoticeListQuery {
  @ApiPropertyOptional({ example: 2027 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'year must be a year such as 2027' })
  year?: number;

  @ApiPropertyOptional({ description: 'national, or a region code', example: 'national' })
  @IsOptional()
  @Matches(/^(national|\d{6}|\d{9}|\d{6}-[A-Z]{1,8})$/, { message: 'region must be national or a region code' })
  region?: string;
}

export class NoticeIdParam {
  @Matches(/^\d{1,18}$/, { message: 'id must be a notice id' })
  id: string;
}
