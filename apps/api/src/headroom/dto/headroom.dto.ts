import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  Headroom,
  HeadroomChange,
  HeadroomLostLeaf,
  HeadroomNextGrade,
  HeadroomOption,
  HeadroomPlan,
  HeadroomPlanStep,
} from '@jiping/scoring';

const SEED_CHECKSUM = '097ff09e291dce632830f25867aa92afb30970e13d3bfaac5002a99afa9ab3d3';

export class HeadroomChangeDto implements HeadroomChange {
  @ApiProperty({ example: '/inputs/procurementActual', description: 'JSON pointer into the engine submission' })
  pointer!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
    example: '1639.23',
    description: 'the value to set (amounts as decimal strings); usable as a what-if change',
  })
  value!: string | number | boolean;
}

export class HeadroomOptionDto implements HeadroomOption {
  @ApiProperty({
    enum: ['figure', 'judgment'],
    example: 'figure',
    description:
      'figure: a submitted figure to change (an input a metric formula reads, a target’s actual value); judgment: a ' +
      'judgment-based value (a checklist point, yes/no, a judged score, commendations or violations, a qualitative ' +
      'tier), not a figure to change',
  })
  kind!: 'figure' | 'judgment';

  @ApiProperty({
    enum: ['first-gain', 'next-level', 'full'],
    example: 'full',
    description:
      'first-gain: the smallest change that raises the score; next-level: the smallest change reaching the next ' +
      'band or level; full: the smallest change reaching the leaf’s full score',
  })
  step!: 'first-gain' | 'next-level' | 'full';

  @ApiProperty({ example: 'procurementActual', description: 'the input id (or target code) that changes' })
  input!: string;

  @ApiProperty({ example: '实际采购金额合计数' }) label!: string;

  @ApiProperty({ example: '/inputs/procurementActual' }) pointer!: string;

  @ApiProperty({ example: '1388.29', description: 'the value as submitted' }) from!: string;

  @ApiProperty({
    example: '1639.23',
    description: 'the value proposed: the smallest change at the input’s precision (money 0.01, percent 0.01, count 1)',
  })
  to!: string;

  @ApiProperty({
    example: false,
    description:
      'whether an evaluator’s 复核 (POST …/evaluations/:id/adjustments) takes `changes` as they are, each with a ' +
      'reason: true for judgment-based values, false for figures (money, rates, counts, actual values). A what-if ' +
      'takes every option’s `changes` as they are.',
  })
  adjustable!: boolean;

  @ApiPropertyOptional({
    example: '84.48',
    description: 'the leaf’s metric as scored (a percent in percentage points)',
  })
  metricFrom?: string;

  @ApiPropertyOptional({ example: '99.75', description: 'the metric at `to`, rounded as scored (99.75 % × 2 = 2.00)' })
  metricTo?: string;

  @ApiProperty({ example: '2.00', description: 'the leaf’s score with this change alone' }) scoreTo!: string;

  @ApiProperty({ example: '0.31', description: 'scoreTo − the leaf’s score' }) gain!: string;

  @ApiProperty({ example: '94.932', description: 'the total with this change alone, scored by the engine' })
  total!: string;

  @ApiPropertyOptional({ example: '99.75%×2=2.00', description: 'the engine’s computation at `to`' })
  calc?: string;

  @ApiProperty({
    type: [HeadroomChangeDto],
    description: 'what to set: the `changes` of a what-if as they are, and the `adjustments` of a 复核 when adjustable',
  })
  changes!: HeadroomChangeDto[];
}

export class HeadroomLostLeafDto implements HeadroomLostLeaf {
  @ApiProperty({ example: 'procurement-execution-rate' }) code!: string;
  @ApiProperty({ example: '政府采购执行率' }) name!: string;
  @ApiProperty({ example: '1.69' }) score!: string;
  @ApiProperty({ example: '2' }) max!: string;
  @ApiProperty({ example: '0.31', description: 'max − score' }) lost!: string;
  @ApiProperty({ example: 'proportional', description: 'the scoring method (or target)' }) method!: string;
  @ApiProperty({ example: '84.48%未达100%', description: '扣分原因' }) reason!: string;
  @ApiPropertyOptional({ example: '84.48%' }) metric?: string;

  @ApiProperty({
    type: [HeadroomOptionDto],
    description: 'ways to gain points on this leaf, each on its own (alternatives, not steps)',
  })
  options!: HeadroomOptionDto[];
}

export class HeadroomNextGradeDto implements HeadroomNextGrade {
  @ApiProperty({ example: 'excellent' }) code!: string;
  @ApiProperty({ example: '优' }) label!: string;
  @ApiProperty({ example: '90', description: 'the grade’s inclusive lower bound' }) min!: string;
  @ApiProperty({ example: '0.378', description: 'min − total' }) needed!: string;
  @ApiProperty({ example: true, description: 'whether the options found can lift the total that far' })
  reachable!: boolean;
}

export class HeadroomGradeDto {
  @ApiProperty({ example: 'excellent' }) code!: string;
  @ApiProperty({ example: '优' }) label!: string;
  @ApiProperty({ example: '90' }) min!: string;
}

export class HeadroomPlanStepDto implements HeadroomPlanStep {
  @ApiProperty({ example: 'revenue-budget-variance' }) code!: string;
  @ApiProperty({ example: '财政拨款收入预决算差异率' }) name!: string;
  @ApiProperty({ type: HeadroomOptionDto }) option!: HeadroomOptionDto;
}

export class HeadroomVerifiedDto {
  @ApiProperty({ example: '90.122' }) total!: string;
  @ApiProperty({ example: '优' }) grade!: string;
  @ApiProperty({ example: 'excellent' }) gradeCode!: string;
  @ApiProperty({ example: true, description: 'whether the verified total reaches the grade' }) reached!: boolean;
}

export class HeadroomPlanDto implements HeadroomPlan {
  @ApiProperty({ type: HeadroomGradeDto }) grade!: HeadroomGradeDto;
  @ApiProperty({ example: '0.378' }) needed!: string;

  @ApiProperty({
    enum: ['exact', 'greedy'],
    example: 'exact',
    description: 'exact: every combination of up to 16 candidate leaves was considered; greedy beyond',
  })
  search!: 'exact' | 'greedy';

  @ApiProperty({ type: [HeadroomPlanStepDto] }) steps!: HeadroomPlanStepDto[];
  @ApiProperty({ example: 1 }) leavesChanged!: number;
  @ApiProperty({ example: '0.500', description: 'Σ of the steps’ gains, each scored alone' }) expectedGain!: string;
  @ApiProperty({ example: '0.122', description: 'expectedGain − needed' }) overshoot!: string;

  @ApiProperty({ type: HeadroomVerifiedDto, description: 'all the steps’ changes scored together by the engine' })
  verified!: HeadroomVerifiedDto;
}

export class HeadroomRuleSetDto {
  @ApiProperty({ example: 'guangzhou-department-overall' }) id!: string;
  @ApiProperty({ example: '2021.1.0' }) version!: string;
  @ApiProperty({ example: SEED_CHECKSUM }) checksum!: string;
}

export class HeadroomDepartmentDto {
  @ApiProperty({ example: 'gz-kjj' }) code!: string;
  @ApiProperty({ example: '广州市科学技术局' }) name!: string;
}

const SEED_LOST = [
  {
    code: 'commendation-criticism',
    name: '工作受表彰或批评',
    score: '2.5',
    max: '5',
    lost: '2.5',
    method: 'count-adjust',
    reason: '加分2.5分，未达上限5分',
    options: [
      {
        kind: 'judgment',
        step: 'full',
        input: 'commendations',
        label: '受财政部门表扬次数',
        pointer: '/inputs/commendations',
        from: '1',
        to: '2',
        scoreTo: '5.0',
        gain: '2.5',
        total: '97.122',
        changes: [{ pointer: '/inputs/commendations', value: '2' }],
      },
    ],
  },
  { code: 'budget-preparation', name: '部门预算编制情况', lost: '1.00', options: ['…'] },
  { code: 'revenue-budget-variance', name: '财政拨款收入预决算差异率', lost: '1.00', options: ['…'] },
  {
    code: 'fixed-asset-utilization',
    name: '固定资产利用率',
    score: '1.50',
    max: '2',
    lost: '0.50',
    method: 'bands',
    reason: '84.30%，落在80%（含）-90%区间',
    metric: '84.30%',
    options: [
      {
        kind: 'figure',
        step: 'full',
        input: 'fixedAssetsInUse',
        label: '实际在用固定资产总额',
        pointer: '/inputs/fixedAssetsInUse',
        from: '10232.75',
        to: '10924.54',
        metricFrom: '84.30',
        metricTo: '90.00',
        scoreTo: '2.00',
        gain: '0.50',
        total: '95.122',
        calc: '90.00%在≥90%区间，得2.00分',
        changes: [{ pointer: '/inputs/fixedAssetsInUse', value: '10924.54' }],
      },
      '…',
    ],
  },
  {
    code: 'procurement-execution-rate',
    name: '政府采购执行率',
    score: '1.69',
    max: '2',
    lost: '0.31',
    method: 'proportional',
    reason: '84.48%未达100%',
    metric: '84.48%',
    options: [
      {
        kind: 'figure',
        step: 'first-gain',
        input: 'procurementActual',
        label: '实际采购金额合计数',
        pointer: '/inputs/procurementActual',
        from: '1388.29',
        to: '1392.72',
        metricFrom: '84.48',
        metricTo: '84.75',
        scoreTo: '1.70',
        gain: '0.01',
        total: '94.632',
        calc: '84.75%×2=1.70',
        changes: [{ pointer: '/inputs/procurementActual', value: '1392.72' }],
      },
      {
        kind: 'figure',
        step: 'full',
        input: 'procurementActual',
        label: '实际采购金额合计数',
        pointer: '/inputs/procurementActual',
        from: '1388.29',
        to: '1639.23',
        metricFrom: '84.48',
        metricTo: '99.75',
        scoreTo: '2.00',
        gain: '0.31',
        total: '94.932',
        calc: '99.75%×2=2.00',
        changes: [{ pointer: '/inputs/procurementActual', value: '1639.23' }],
      },
      '…',
    ],
  },
  { code: 'budget-completion-rate', name: '预算完成率', lost: '0.0680', options: ['…'] },
];

/** Where the evaluation lost points and what it would take to gain them back (GET …/evaluations/:id/headroom). */
export class HeadroomDto implements Headroom {
  @ApiProperty({ example: '5f0c2a8e-8d7b-4c1e-9a53-0d2f9b6e4c11', description: 'the evaluation analysed' })
  evaluationId!: string;

  @ApiProperty({ type: HeadroomRuleSetDto, description: 'the rule-set version the evaluation is pinned to' })
  ruleSet!: HeadroomRuleSetDto;

  @ApiProperty({ type: HeadroomDepartmentDto }) department!: HeadroomDepartmentDto;
  @ApiProperty({ example: 2021 }) fiscalYear!: number;
  @ApiProperty({ example: '94.622', description: 'the total as scored' }) total!: string;
  @ApiProperty({ example: '100' }) maxTotal!: string;
  @ApiProperty({ example: '优' }) grade!: string;
  @ApiProperty({ example: 'excellent' }) gradeCode!: string;
  @ApiProperty({ example: '5.378', description: 'Σ lost = maxTotal − total' }) totalLost!: string;

  @ApiProperty({
    type: [HeadroomLostLeafDto],
    example: SEED_LOST,
    description: 'every leaf and declared target that lost points, the largest loss first (ties in tree order)',
  })
  lost!: HeadroomLostLeafDto[];

  @ApiProperty({
    type: HeadroomNextGradeDto,
    nullable: true,
    example: null,
    description: 'the next grade above the current one; null at the top grade (the seed is 优)',
  })
  nextGrade!: HeadroomNextGradeDto | null;

  @ApiProperty({ example: '5.378', description: 'points between the total and the maximum' }) toMaximum!: string;

  @ApiProperty({
    type: HeadroomPlanDto,
    nullable: true,
    example: null,
    description:
      'the cheapest combination of options lifting the total to the next grade (fewest leaves, then the least ' +
      'overshoot), verified by scoring all its changes together; null at the top grade',
  })
  plan!: HeadroomPlanDto | null;

  @ApiProperty({ example: 173, description: 'how many candidate submissions the engine scored to find this' })
  scorings!: number;
}
