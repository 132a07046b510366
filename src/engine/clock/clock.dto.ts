import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class PauseClockDto {
  @ApiProperty({ example: '等待申请人补正材料（一次性告知书 2026-09-29）', description: 'why the clock stops: recorded with who and when' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;

  @ApiPropertyOptional({
    example: ['SubProcess_Acceptance'],
    description: 'the timers, or the activities whose boundary timers and due date stop; all running deadlines when absent',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  elementIds?: string[];
}

export class ResumeClockDto {
  @ApiPropertyOptional({ example: '申请人已补正材料' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
