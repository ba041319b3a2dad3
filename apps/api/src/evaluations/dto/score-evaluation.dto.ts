import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';

/** What to score: both optional (the latest submission under the published rule set in force for the year). */
export class ScoreEvaluationDto {
  @ApiPropertyOptional({
    example: 1,
    description: 'the submission revision to score; omit for the latest',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  submissionRevision?: number;

  @ApiPropertyOptional({
    example: 'guangzhou-department-overall:2021:1',
    description:
      'a published or superseded rule-set version (`<id>:<year>:<version no>` or `<id>:<year>:published`); omit for ' +
      'the version in force for the year of the rule set the submission was validated with. Drafts are refused: ' +
      'official scores come from published rules.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 120)
  ruleSetRef?: string;
}
