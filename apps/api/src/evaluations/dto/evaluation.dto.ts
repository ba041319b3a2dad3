import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ScoreReport } from '@jiping/scoring';

const SEED_CHECKSUM = '097ff09e291dce632830f25867aa92afb30970e13d3bfaac5002a99afa9ab3d3';

/** The exact rule-set version an evaluation was scored with. */
export class EvaluationRuleSetDto {
  @ApiProperty({ example: 'guangzhou-department-overall:2021:1', description: '`<id>:<year>:<version no>`' })
  ref!: string;

  @ApiProperty({ example: 'guangzhou-department-overall' }) ruleSetId!: string;

  @ApiProperty({ example: 1, description: 'the stored version number within (rule-set id, fiscal year)' })
  versionNo!: number;

  @ApiProperty({ example: SEED_CHECKSUM, description: 'sha256 of the canonical rule file' })
  checksum!: string;
}

/** One evaluator adjustment (复核) as stored with an adjusted evaluation. */
export class StoredAdjustmentDto {
  @ApiProperty({ example: '/inputs/budgetPreparation/preAssessment' }) pointer!: string;

  @ApiProperty({ example: true, description: 'the value set (any JSON)' }) value!: unknown;

  @ApiProperty({ example: '复核：2021年部门预算已按规定开展事前绩效评估，佐证材料见预算评审意见' }) reason!: string;
}

/** An official evaluation without its report (as listed). */
export class EvaluationSummaryDto {
  @ApiProperty({ example: '5f0c2a8e-8d7b-4c1e-9a53-0d2f9b6e4c11' }) id!: string;

  @ApiProperty({ example: 1, description: 'per (department, fiscal year): 1, 2, 3… in the order of scoring' })
  sequence!: number;

  @ApiProperty({ example: 'gz-kjj' }) departmentCode!: string;

  @ApiProperty({ example: 2021 }) fiscalYear!: number;

  @ApiProperty({ example: 1, description: 'the submission revision scored' })
  submissionRevision!: number;

  @ApiPropertyOptional({
    example: 1,
    nullable: true,
    description: 'the target-declaration revision the submission was made under',
  })
  targetRevision!: number | null;

  @ApiProperty({ type: EvaluationRuleSetDto }) ruleSet!: EvaluationRuleSetDto;

  @ApiProperty({ example: '0.1.0', description: 'the scoring engine version' }) engineVersion!: string;

  @ApiProperty({ example: '94.622', description: 'total score as a decimal string, with the rule set’s total places' })
  total!: string;

  @ApiProperty({ example: '优', description: '等次' }) grade!: string;

  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description:
      'the evaluation this one re-scores with evaluator adjustments (复核), or null for an official scoring; the ' +
      'adjusted evaluation is never changed',
  })
  adjustedFrom!: string | null;

  @ApiProperty({
    type: [StoredAdjustmentDto],
    nullable: true,
    example: null,
    description:
      'every adjustment this evaluation was scored with, in order (those of the evaluation it adjusts first); null ' +
      'for an official scoring',
  })
  adjustments!: StoredAdjustmentDto[] | null;

  @ApiProperty({ example: '评审专家', description: 'the name of the key that scored' }) createdBy!: string;

  @ApiProperty({ example: '2022-03-31T08:00:00.000Z', description: 'ISO timestamp' }) createdAt!: string;
}

const REPORT_EXAMPLE = {
  reportVersion: '1',
  ruleSet: {
    id: 'guangzhou-department-overall',
    version: '2021.1.0',
    title: '广州市部门整体支出绩效自评指标体系（2021年度）',
    checksum: SEED_CHECKSUM,
  },
  engine: { name: 'jiping', version: '0.1.0' },
  department: { code: 'gz-kjj', name: '广州市科学技术局', unitCount: 2 },
  fiscalYear: 2021,
  sections: [
    {
      code: 'management',
      name: '管理效能',
      level: 1,
      kind: 'group',
      weight: '45',
      max: '45',
      score: '42.122',
      lost: '2.878',
      status: 'partial',
      children: ['…'],
    },
    { code: 'performance', name: '履职效能', level: 1, kind: 'declared-section', weight: '50', score: '50.00' },
    { code: 'bonus-penalty', name: '加减分项', level: 1, kind: 'group', weight: '5', score: '2.5' },
  ],
  total: '94.622',
  maxTotal: '100',
  grade: '优',
  gradeCode: 'excellent',
  lostPoints: [
    { code: 'commendation-criticism', name: '工作受表彰或批评', lost: '2.5', reason: '加分2.5分，未达上限5分' },
  ],
  trace: { fired: ['…'], notFired: ['…'] },
};

/** An official evaluation with its whole ScoreReport. */
export class EvaluationDto extends EvaluationSummaryDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: REPORT_EXAMPLE,
    description:
      'the ScoreReport, whole and self-contained: rule set id/version/checksum, engine version, every indicator’s ' +
      'score, max, metric, decision and 评分依据 (basis), the total and the grade. Every number is a decimal string. ' +
      'In an adjusted evaluation every leaf or target an adjustment touched carries review: { selfScore (自评分), ' +
      'reviewedScore (复核分), reason, changes: [{ pointer, before, after }] }.',
  })
  report!: ScoreReport;
}
