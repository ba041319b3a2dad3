import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { KEBAB_CODE, MAX_FISCAL_YEAR, MIN_FISCAL_YEAR } from '../../departments/dto/path-params';

/** At most this many changes per scenario and scenarios per request. */
export const MAX_CHANGES = 200;
export const MAX_SCENARIOS = 20;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Any JSON value, null included; only a missing value is refused. */
const HasValue = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'hasValue',
      validator: {
        validate: (value) => value !== undefined,
        defaultMessage: () => 'value is required: any JSON value (an amount as a decimal string, e.g. "1643.42")',
      },
    },
    options,
  );

/** `latest` or a submission revision number. */
const IsBase = () =>
  ValidateBy({
    name: 'isBase',
    validator: {
      validate: (value) => value === 'latest' || (Number.isInteger(value) && (value as number) >= 1),
      defaultMessage: () => 'base is "latest" or a submission revision number (1, 2, …)',
    },
  });

/** `published`, a rule-set reference, or an inline rule file (a JSON object). */
const IsRuleSetChoice = () =>
  ValidateBy({
    name: 'isRuleSetChoice',
    validator: {
      validate: (value) =>
        (typeof value === 'string' && value.length >= 1 && value.length <= 120) || isPlainObject(value),
      defaultMessage: () =>
        'ruleSet is "published", a rule-set reference (e.g. guangzhou-department-overall:2021:2) or a rule file object',
    },
  });

/** One what-if change: a value at a JSON pointer into the submission. */
export class WhatIfChangeDto {
  @ApiProperty({
    example: '/inputs/procurementActual',
    description:
      'a JSON pointer (RFC 6901) into the submission’s /inputs, /targetResults, /budget, /evidence or /overview; ' +
      'an existing value is replaced and the last key is created when its parent exists',
  })
  @IsString()
  @MaxLength(500)
  pointer!: string;

  @ApiProperty({
    oneOf: [
      { type: 'string' },
      { type: 'boolean' },
      { type: 'integer' },
      { type: 'object', additionalProperties: true },
    ],
    example: '1643.42',
    description:
      'the new value, as the submission format wants it: amounts and rates as decimal strings ("1643.42"), ' +
      'checklist points as true/false, a judgment as { score, tier, reason }',
  })
  @HasValue()
  value!: unknown;
}

/** One what-if question about one department’s year. */
export class WhatIfScenarioDto {
  @ApiProperty({ example: 'gz-kjj', description: 'department code' })
  @Matches(KEBAB_CODE, { message: 'department must be a kebab-case department code, e.g. gz-kjj' })
  @MaxLength(64)
  department!: string;

  @ApiProperty({ type: 'integer', example: 2021, description: 'fiscal year' })
  @IsInt()
  @Min(MIN_FISCAL_YEAR)
  @Max(MAX_FISCAL_YEAR)
  year!: number;

  @ApiPropertyOptional({
    oneOf: [
      { type: 'string', enum: ['latest'] },
      { type: 'integer', minimum: 1 },
    ],
    example: 'latest',
    description: 'the submission revision to start from; "latest" (the default) or a revision number',
  })
  @IsOptional()
  @IsBase()
  base?: 'latest' | number;

  @ApiPropertyOptional({
    type: [WhatIfChangeDto],
    description: `the changes, applied in order (at most ${MAX_CHANGES}); none scores the base as it is`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CHANGES)
  @ValidateNested({ each: true })
  @Type(() => WhatIfChangeDto)
  changes?: WhatIfChangeDto[];

  @ApiPropertyOptional({
    oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: true }],
    example: 'published',
    description:
      'the rule set to score the changed submission with: "published" (the default: the version in force of the rule ' +
      'set the base was validated with), a reference such as guangzhou-department-overall:2021:2 (drafts too, ' +
      'except for department keys), or an inline draft rule file, checked fully like an upload but never stored',
  })
  @IsOptional()
  @IsRuleSetChoice()
  ruleSet?: string | Record<string, unknown>;
}

/** Several what-if questions scored in one request. */
export class WhatIfScenariosDto {
  @ApiProperty({ type: [WhatIfScenarioDto], description: `1 to ${MAX_SCENARIOS} scenarios, answered in this order` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SCENARIOS)
  @ValidateNested({ each: true })
  @Type(() => WhatIfScenarioDto)
  scenarios!: WhatIfScenarioDto[];
}

/** The body of POST /what-if: one scenario, or { scenarios: [...] }. */
export type WhatIfRequest = WhatIfScenarioDto | WhatIfScenariosDto;

export const isScenarioList = (request: WhatIfRequest): request is WhatIfScenariosDto => 'scenarios' in request;
