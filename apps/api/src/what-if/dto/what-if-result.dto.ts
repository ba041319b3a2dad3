import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ScoreReport } from '@jiping/scoring';
import { WhatIfSimulationDto } from './what-if-simulation.dto';

const SEED_CHECKSUM = '097ff09e291dce632830f25867aa92afb30970e13d3bfaac5002a99afa9ab3d3';

/** A rule-set version a scenario was scored with. */
export class WhatIfRuleSetDto {
  @ApiProperty({
    example: 'guangzhou-department-overall:2021:1',
    description: '`<id>:<year>:<version no>` of a stored version, or "inline" for a rule file sent with the request',
  })
  ref!: string;

  @ApiProperty({ example: SEED_CHECKSUM, description: 'sha256 of the canonical rule file' }) checksum!: string;
}

/** What the scenario started from. */
export class WhatIfBaseDto {
  @ApiProperty({ example: 1, description: 'the submission revision changed' }) revision!: number;

  @ApiProperty({
    example: 1,
    nullable: true,
    description: 'the target-declaration revision the submission was made under',
  })
  targetRevision!: number | null;

  @ApiProperty({
    type: WhatIfRuleSetDto,
    description: 'the version the base submission was validated with: the "before" of the comparison is scored with it',
  })
  ruleSet!: WhatIfRuleSetDto;
}

/** One node (indicator) before and after. */
export class NodeComparisonDto {
  @ApiProperty({ example: 'procurement-execution-rate' }) code!: string;
  @ApiProperty({ example: '政府采购执行率' }) name!: string;
  @ApiProperty({ example: 3, description: '1 = 一级指标, 2 = 二级, 3 = 三级' }) level!: number;
  @ApiProperty({ example: 'leaf', enum: ['group', 'leaf', 'declared-section', 'declared-goal', 'target'] })
  kind!: string;
  @ApiProperty({ example: '1.69', nullable: true, description: 'null when the node exists only after' })
  before!: string | null;
  @ApiProperty({ example: '2.00', nullable: true, description: 'null when the node exists only before' })
  after!: string | null;
  @ApiProperty({ example: '0.31', description: 'after − before, with the places the scores are shown with' })
  delta!: string;
  @ApiPropertyOptional({
    type: [String],
    example: ['dataSecurity/dataRules'],
    description: 'in a simulation, the keys of the assumed values the after side of this leaf read',
  })
  assumed?: string[];
}

export class TotalComparisonDto {
  @ApiProperty({ example: '94.622' }) before!: string;
  @ApiProperty({ example: '94.932' }) after!: string;
  @ApiProperty({ example: '0.310' }) delta!: string;
}

export class GradeComparisonDto {
  @ApiProperty({ example: '优' }) before!: string;
  @ApiProperty({ example: '优' }) after!: string;
  @ApiProperty({ example: false }) changed!: boolean;
}

/** A veto or cap of the rule set (一票否决与上限) that held (ScoreReport.vetoes). */
export class ReportVetoDto {
  @ApiProperty({ example: 'procurement-below-85' }) code!: string;
  @ApiProperty({ example: '等次上限' }) name!: string;
  @ApiProperty({ enum: ['set-grade', 'max-grade', 'max-total'] }) effect!: string;
  @ApiProperty({ example: '政府采购执行率低于85%' }) reason!: string;
  @ApiPropertyOptional({ example: '良' }) grade?: string;
  @ApiPropertyOptional({ example: 'good' }) gradeCode?: string;
  @ApiPropertyOptional({ example: '90.000' }) maxTotal?: string;
  @ApiProperty({ example: true, description: 'whether it alone lowered the total or the grade' }) changed!: boolean;
  @ApiProperty({ example: '等次上限：政府采购执行率低于85%，等次最高为良，由优调整为良' }) text!: string;
}

export class VetoComparisonDto {
  @ApiProperty({ type: [ReportVetoDto] }) before!: ReportVetoDto[];
  @ApiProperty({ type: [ReportVetoDto] }) after!: ReportVetoDto[];
}

/** The before/after of every node, section, the total and the grade (compareReports in libs/scoring). */
export class ReportComparisonDto {
  @ApiProperty({ type: [NodeComparisonDto], description: 'every indicator, in tree order' })
  nodes!: NodeComparisonDto[];
  @ApiProperty({ type: [NodeComparisonDto], description: 'the 一级指标 (管理效能, 履职效能, 加减分项)' })
  sections!: NodeComparisonDto[];
  @ApiProperty({ type: TotalComparisonDto }) total!: TotalComparisonDto;
  @ApiProperty({ type: GradeComparisonDto }) grade!: GradeComparisonDto;
  @ApiPropertyOptional({
    type: VetoComparisonDto,
    description: 'the vetoes and caps (一票否决与上限) that held on either side; absent when none held',
  })
  vetoes?: VetoComparisonDto;
  @ApiProperty({
    type: [NodeComparisonDto],
    description: 'the nodes whose score moved, in tree order (e.g. 管理效能, 采购管理, 政府采购执行率)',
  })
  changed!: NodeComparisonDto[];
}

/** The answer to one scenario. Nothing of it is stored. */
export class WhatIfResultDto {
  @ApiProperty({ example: 'gz-kjj' }) department!: string;
  @ApiProperty({ example: 2021 }) year!: number;
  @ApiProperty({ type: WhatIfBaseDto }) base!: WhatIfBaseDto;

  @ApiProperty({ type: WhatIfRuleSetDto, description: 'the rule set the changed submission ("after") was scored with' })
  ruleSet!: WhatIfRuleSetDto;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { total: '94.932', grade: '优', sections: ['…'], lostPoints: ['…'] },
    description: 'the full ScoreReport of the changed submission (the "after"); every number is a decimal string',
  })
  report!: ScoreReport;

  @ApiProperty({ type: ReportComparisonDto }) comparison!: ReportComparisonDto;

  @ApiPropertyOptional({
    type: WhatIfSimulationDto,
    description:
      'present only when the rule set continues the version the base was made under (`continues` in the rule file: ' +
      'e.g. a 2022 draft on 2021 data): what was simulated (2021年数据按2022年规则模拟), the values assumed and what was ' +
      'left out. The report then has `simulation` too, and every leaf that read an assumed value has `assumed`.',
  })
  simulation?: WhatIfSimulationDto;
}

/** The answers to { scenarios: [...] }, in the order asked. */
export class WhatIfResultsDto {
  @ApiProperty({ type: [WhatIfResultDto] }) scenarios!: WhatIfResultDto[];
}
