import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { RuleSetStatus } from '@jiping/persistence';
import { RULE_SET_STATUSES } from './rule-set.dto';

/** Filters of GET /rule-sets; all optional. */
export class ListRuleSetsQueryDto {
  @ApiPropertyOptional({ example: 'guangzhou-department-overall', description: 'only this rule-set id' })
  @IsOptional()
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'id must be a kebab-case rule-set id' })
  id?: string;

  @ApiPropertyOptional({ example: 2021, description: 'only this fiscal year' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ enum: RULE_SET_STATUSES, example: 'published', description: 'only this status' })
  @IsOptional()
  @IsIn(RULE_SET_STATUSES)
  status?: RuleSetStatus;
}
