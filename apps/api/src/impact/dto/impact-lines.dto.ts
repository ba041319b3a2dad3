import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorDetailDto } from '../../common/error-body.dto';
import {
  SimulationAssumptionDto,
  SimulationNoteDto,
  SimulationSideDto,
} from '../../what-if/dto/what-if-simulation.dto';

/**
 * The lines of the application/x-ndjson stream of POST /rule-sets/:ref/impact, one JSON object per line, told apart
 * by `type`. These classes document them in OpenAPI; the service writes the objects ImpactSummary returns.
 */

export class ImpactDepartmentDto {
  @ApiProperty({ example: 'gz-kjj' }) code!: string;
  @ApiProperty({ example: '广州市科学技术局' }) name!: string;
}

export class ImpactTotalDto {
  @ApiProperty({ example: '95.122' }) total!: string;
  @ApiProperty({ example: '优' }) grade!: string;
  @ApiPropertyOptional({
    type: [String],
    example: ['procurement-below-85'],
    description:
      'the codes of the rule set’s vetoes and caps (一票否决与上限) that held; total and grade are after them',
  })
  vetoes?: string[];
  @ApiPropertyOptional({
    type: [String],
    example: ['asset-systems'],
    description: 'the leaves and declared key indicators the department marked 不适用 (under :ref)',
  })
  notApplicable?: string[];
}

export class ImpactRuleSetDto {
  @ApiProperty({ example: 'guangzhou-department-overall:2021:2' }) ref!: string;
  @ApiProperty({ example: 'draft', enum: ['draft', 'published', 'superseded'] }) status!: string;
  @ApiProperty({ example: 'f0c0627781fd1785ecfc89210fc2e605cbf1cb1e81902138623be523bb9ae208' }) checksum!: string;
}

export class ImpactProgressLineDto {
  @ApiProperty({ enum: ['progress'] }) type!: 'progress';
  @ApiProperty({ example: 500, description: 'departments scored so far' }) done!: number;
  @ApiProperty({ example: 1200, description: 'departments with a submission for the year when the run started' })
  total!: number;
}

/** One department's outcome under both rule sets. */
export class ImpactRowDto {
  @ApiProperty({ type: ImpactDepartmentDto }) department!: ImpactDepartmentDto;
  @ApiProperty({ type: ImpactTotalDto, description: 'under `against`' }) before!: ImpactTotalDto;
  @ApiProperty({ type: ImpactTotalDto, example: { total: '94.622', grade: '优' }, description: 'under :ref' })
  after!: ImpactTotalDto;
  @ApiProperty({ example: '-0.500', description: 'after − before' }) delta!: string;
  @ApiPropertyOptional({
    type: [String],
    example: ['dataSecurity/dataRules', 'dataSecurity/riskAssessment'],
    description: 'in a simulation, the keys of the assumed values this department’s "after" used (absent when none)',
  })
  assumed?: string[];
}

export class ImpactRowLineDto extends ImpactRowDto {
  @ApiProperty({ enum: ['row'] }) type!: 'row';
}

export class ImpactErrorLineDto {
  @ApiProperty({ enum: ['error'] }) type!: 'error';
  @ApiPropertyOptional({
    type: ImpactDepartmentDto,
    description: 'the department that could not be scored; absent when the run itself failed (no summary follows)',
  })
  department?: ImpactDepartmentDto;
  @ApiPropertyOptional({ example: 'guangzhou-department-overall:2021:2', description: 'the rule set that refused it' })
  ruleSet?: string;
  @ApiProperty({ example: 'INVALID_SUBMISSION' }) code!: string;
  @ApiProperty({ example: 'the submission does not fit rule set guangzhou-department-overall@2021.2.0: 1 problem(s)' })
  message!: string;
  @ApiProperty({ type: [ErrorDetailDto] }) details!: ErrorDetailDto[];
}

export class ImpactExtremeDto {
  @ApiProperty({ example: '-0.500' }) delta!: string;
  @ApiProperty({ type: ImpactDepartmentDto }) department!: ImpactDepartmentDto;
}

export class ImpactDeltaDto {
  @ApiProperty({ example: '-0.0425', description: 'mean change of the total, half-up to 4 decimals' }) mean!: string;
  @ApiProperty({ example: '0.000' }) median!: string;
  @ApiProperty({ type: ImpactExtremeDto, description: 'the largest fall (the first department by code on a tie)' })
  min!: ImpactExtremeDto;
  @ApiProperty({
    type: ImpactExtremeDto,
    example: { delta: '0.000', department: { code: 'gz-czj', name: '广州市财政局' } },
  })
  max!: ImpactExtremeDto;
}

export class ImpactGradeListsDto {
  @ApiProperty({ example: ['优', '良', '中', '差'] }) before!: string[];
  @ApiProperty({ example: ['优', '良', '中', '差'] }) after!: string[];
}

export class ImpactGradeChangesDto {
  @ApiProperty({ example: 21 }) changed!: number;
  @ApiProperty({ example: 0 }) up!: number;
  @ApiProperty({ example: 21 }) down!: number;
}

export class IndicatorImpactDto {
  @ApiProperty({ example: 'fixed-asset-utilization' }) code!: string;
  @ApiProperty({ example: '固定资产利用率' }) name!: string;
  @ApiProperty({ example: '-0.0425', description: 'Σ(after − before) over every department scored / their number' })
  meanDelta!: string;
  @ApiProperty({ example: '-51.00' }) totalDelta!: string;
  @ApiProperty({ example: 102, description: 'departments whose score of this indicator changed' }) moved!: number;
  @ApiProperty({ example: 0 }) raised!: number;
  @ApiProperty({ example: 102 }) lowered!: number;
}

/** What an impact run simulated: the departments' data mapped onto a candidate that continues `against`'s version. */
export class ImpactSimulationDto {
  @ApiProperty({ example: '2021年数据按2022年规则模拟', description: 'in the caller’s language (Accept-Language)' })
  description!: string;
  @ApiProperty({ type: SimulationSideDto, description: 'the version the data was made under (`against`)' })
  from!: SimulationSideDto;
  @ApiProperty({ type: SimulationSideDto, description: 'the candidate (the version in the path)' })
  to!: SimulationSideDto;
  @ApiProperty({
    type: [SimulationNoteDto],
    description:
      'what the two rule files rename or leave out (removed inputs, indicators and their evidence, sections)',
  })
  notes!: SimulationNoteDto[];
}

/** A declared assumption of the candidate and the departments whose scores used it. */
export class ImpactAssumptionDto extends SimulationAssumptionDto {
  @ApiProperty({ example: 1, description: 'departments whose data lacked the value, so that it was assumed' })
  departments!: number;
}

/** A veto or cap (一票否决与上限) of either rule set and the departments it held for. */
export class ImpactVetoDto {
  @ApiProperty({ example: 'procurement-below-85' }) code!: string;
  @ApiProperty({ example: '等次上限' }) name!: string;
  @ApiProperty({ example: '政府采购执行率低于85%' }) reason!: string;
  @ApiProperty({ example: 0, description: 'departments it held for under `against`' }) before!: number;
  @ApiProperty({ example: 21, description: 'departments it held for under :ref' }) after!: number;
}

/** An indicator departments marked 不适用, and how many did. */
export class ImpactNotApplicableDto {
  @ApiProperty({ example: 'asset-systems' }) code!: string;
  @ApiProperty({ example: '资产管理制度健全性' }) name!: string;
  @ApiProperty({ example: 3 }) departments!: number;
}

export class ImpactSummaryLineDto {
  @ApiProperty({ enum: ['summary'] }) type!: 'summary';
  @ApiProperty({ example: 2021 }) year!: number;
  @ApiProperty({ type: ImpactRuleSetDto, description: 'the version in the path (after)' }) ruleSet!: ImpactRuleSetDto;
  @ApiProperty({
    type: ImpactRuleSetDto,
    example: {
      ref: 'guangzhou-department-overall:2021:1',
      status: 'published',
      checksum: '097ff09e291dce632830f25867aa92afb30970e13d3bfaac5002a99afa9ab3d3',
    },
    description: 'the version compared with (before)',
  })
  against!: ImpactRuleSetDto;
  @ApiProperty({ example: 1200, description: 'departments scored under both' }) departments!: number;
  @ApiProperty({ example: 0, description: 'departments one or both rule sets could not score (see the error lines)' })
  failed!: number;
  @ApiProperty({ example: 102 }) changed!: number;
  @ApiProperty({ example: 0 }) raised!: number;
  @ApiProperty({ example: 102 }) lowered!: number;
  @ApiPropertyOptional({ type: ImpactDeltaDto, nullable: true, description: 'null when no department was scored' })
  delta!: ImpactDeltaDto | null;
  @ApiProperty({ type: ImpactGradeListsDto }) grades!: ImpactGradeListsDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
    example: {
      优: { 优: 1179, 良: 21, 中: 0, 差: 0 },
      良: { 优: 0, 良: 0, 中: 0, 差: 0 },
      中: { 优: 0, 良: 0, 中: 0, 差: 0 },
      差: { 优: 0, 良: 0, 中: 0, 差: 0 },
    },
    description: 'transitions[grade before][grade after] = departments; the cells sum to `departments`',
  })
  transitions!: Record<string, Record<string, number>>;
  @ApiProperty({ type: ImpactGradeChangesDto }) gradeChanges!: ImpactGradeChangesDto;
  @ApiProperty({ type: [ImpactRowDto], description: 'the departments with the 10 largest |delta| (then by code)' })
  movers!: ImpactRowDto[];
  @ApiProperty({ type: [IndicatorImpactDto], description: 'the indicators that moved someone, largest |Σ| first' })
  indicators!: IndicatorImpactDto[];
  @ApiPropertyOptional({
    type: ImpactSimulationDto,
    description:
      'present only when the candidate continues against’s version (`continues` in its rule file, e.g. a 2022 draft ' +
      'on the 2021 submissions): what was simulated',
  })
  simulation?: ImpactSimulationDto;
  @ApiPropertyOptional({
    type: [ImpactAssumptionDto],
    description:
      'in a simulation, every value the candidate declares an assumption for and how many departments used it',
  })
  assumptions?: ImpactAssumptionDto[];
  @ApiPropertyOptional({
    example: 1,
    description: 'in a simulation, the departments that used at least one assumption',
  })
  departmentsWithAssumptions?: number;
  @ApiPropertyOptional({
    type: [ImpactVetoDto],
    description:
      'the vetoes and caps (一票否决与上限) of either rule set and how many departments each held for; the transition ' +
      'matrix counts the grades after them. Absent when neither rule set has any',
  })
  vetoes?: ImpactVetoDto[];
  @ApiPropertyOptional({
    type: [ImpactNotApplicableDto],
    description: 'the indicators departments marked 不适用 under :ref and how many did; absent when none did',
  })
  notApplicable?: ImpactNotApplicableDto[];
}

/** Every kind of line, for @ApiExtraModels. */
export const IMPACT_LINE_MODELS = [
  ImpactProgressLineDto,
  ImpactRowLineDto,
  ImpactErrorLineDto,
  ImpactSummaryLineDto,
] as const;
