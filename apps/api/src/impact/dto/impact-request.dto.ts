import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';
import { MAX_FISCAL_YEAR, MIN_FISCAL_YEAR } from '../../departments/dto/path-params';

/** POST /rule-sets/:ref/impact: the version to compare with and the year whose submissions to re-score. */
export class ImpactRequestDto {
  @ApiProperty({
    example: 'guangzhou-department-overall:2021:published',
    description:
      'the rule set in force, the "before" side: <rule-set id>:<fiscal year>:<version no | published>. The version ' +
      'in the path is the "after" side (a draft is fine: that is the point).',
  })
  @IsString()
  @IsNotEmpty()
  against!: string;

  @ApiProperty({
    example: 2021,
    description:
      "the fiscal year: every department's latest submission of it is re-scored under both rule sets. `against` is " +
      'for this year; the version in the path is too, or continues `against`’s version (its rule file’s `continues`, ' +
      'e.g. a 2022 draft on the 2021 submissions: 2021年数据按2022年规则模拟)',
  })
  @IsInt()
  @Min(MIN_FISCAL_YEAR)
  @Max(MAX_FISCAL_YEAR)
  year!: number;
}

export class ImpactQueryDto {
  @ApiPropertyOptional({
    example: false,
    default: true,
    description: 'false leaves out the per-department "row" lines (progress, errors and the summary remain)',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'rows must be true or false' })
  rows?: boolean;
}
