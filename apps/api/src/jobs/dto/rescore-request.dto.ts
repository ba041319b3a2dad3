import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/** POST /years/:year/rescore/jobs: which rule set to score with, and why the year is scored again. */
export class RescoreRequestDto {
  @ApiPropertyOptional({
    example: 'guangzhou-department-overall:2021:2',
    description:
      'a published (or superseded) version of the year — the rule fix just published — as ' +
      '`<id>:<year>:<version no>` or `<id>:<year>:published`: every department whose submission was validated with ' +
      'that rule set is scored under it (others are skipped with the reason). Omit for the version in force of each ' +
      'rule set of the year, as it is when the job is created (pinned then: a version published while it runs does ' +
      'not change it). Drafts are refused: official scores come from published rules.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 120)
  ruleSetRef?: string;

  @ApiProperty({
    example: '固定资产利用率评分区间修正（第2版规则）',
    description: 'why the year is scored again: in the audit row of the job and of every evaluation it makes',
    maxLength: 500,
  })
  @IsString()
  @Length(1, 500)
  reason!: string;
}
