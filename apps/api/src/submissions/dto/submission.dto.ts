import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, Matches } from 'class-validator';
import { KEBAB_CODE } from '../../departments/dto/path-params';
import type { ScoreReport } from '@jiping/scoring';
import type { SubmissionBody } from '../engine-submission';

const FREE_FORM = { type: 'object', additionalProperties: true } as const;

/**
 * The year-end data (SubmissionBody): what the path and the declared targets do not already say. The envelope is
 * checked here; its documents (inputs, budget, …) are checked by the engine against the rule set, every problem with
 * its pointer. Amounts are decimal strings, never JSON numbers.
 */
export class SubmissionDto implements SubmissionBody {
  @ApiPropertyOptional({
    example: 'guangzhou-department-overall',
    description: 'the rule-set id, when several rule sets are published for the year',
  })
  @IsOptional()
  @Matches(KEBAB_CODE, { message: 'ruleSetId must be a kebab-case rule-set id, e.g. guangzhou-department-overall' })
  ruleSetId?: string;

  @ApiPropertyOptional({ type: 'integer', example: 2, description: '单位个数: the units the department comprises' })
  @IsOptional()
  @IsInt()
  unitCount?: number;

  @ApiPropertyOptional({
    ...FREE_FORM,
    example: { goal: '通过设立专项资金，聚焦基础研究和关键核心技术攻关……', achievement: '一是强化战略科技力量……' },
    description: '年度整体绩效目标 / 整体绩效目标完成情况 / 未能完成原因: { goal?, achievement?, shortfall? }',
  })
  @IsOptional()
  @IsObject()
  overview?: SubmissionBody['overview'];

  @ApiPropertyOptional({
    ...FREE_FORM,
    example: {
      unit: '元',
      columns: {
        fiscal: { budgeted: '5683370667.03', executed: '5115050402.17' },
        other: { budgeted: '18144.00', executed: '18144.00' },
        basic: { budgeted: '159305570.20', executed: '151066486.63' },
        project: { budgeted: '5524083240.83', executed: '4964002059.54' },
        city: { budgeted: '5467978811.03', executed: '4899658546.17' },
        transfer: { budgeted: '215410000.00', executed: '215410000.00' },
      },
    },
    description:
      "the budget header: 全年预算数 / 全年执行数 per column of the rule set's breakdowns, each summing alike",
  })
  @IsOptional()
  @IsObject()
  budget?: SubmissionBody['budget'];

  @ApiProperty({
    ...FREE_FORM,
    example: {
      expenditureProgress: '99.66',
      procurementActual: '1388.29',
      procurementPlanned: '1643.42',
      specialFunds: { withinTerm: true, platformDisclosure: true, measuresValid: true },
      resultApplication: {
        score: '2',
        tier: 'achieved',
        reason: '开展项目绩效运行监控和绩效评价后，及时落实整改措施……',
      },
      commendations: 1,
      violations: 0,
    },
    description: 'the value of every input the rule set declares, by input id (广州 2021: 30 inputs; abridged here)',
  })
  @IsObject()
  inputs!: SubmissionBody['inputs'];

  @ApiPropertyOptional({
    ...FREE_FORM,
    example: { 'budget-completion-rate': '详见《广州市财政局关于2021年1-12月市本级部门预算单位支出进度情况的通报》' },
    description: '佐证材料 per indicator code, quoted in its 评分依据',
  })
  @IsOptional()
  @IsObject()
  evidence?: SubmissionBody['evidence'];

  @ApiPropertyOptional({
    ...FREE_FORM,
    example: {
      'rd-1': { actual: '21' },
      'rd-4': { tier: 'achieved', score: '2', text: '完成（三家研究院均完成阶段性考核/目标）' },
    },
    description: 'the year-end result of every declared key indicator, by indicator code',
  })
  @IsOptional()
  @IsObject()
  targetResults?: SubmissionBody['targetResults'];

  @ApiPropertyOptional({
    ...FREE_FORM,
    example: { 'asset-systems': '本单位资产由机关事务管理局统一管理，未单独制定资产管理制度' },
    description:
      '不适用: the leaves and declared key indicators marked not applicable, by indicator code, each with its reason ' +
      '(only where the rule set allows it: allowNotApplicable); their weight is redistributed by the rule set’s policy',
  })
  @IsOptional()
  @IsObject()
  notApplicable?: SubmissionBody['notApplicable'];
}

export class SubmissionSummaryDto {
  @ApiProperty({ example: 1 }) revision!: number;
  @ApiProperty({ example: 'gz-kjj' }) departmentCode!: string;
  @ApiProperty({ example: 2021 }) fiscalYear!: number;
  @ApiProperty({ example: 'guangzhou-department-overall:2021:1', description: 'the rule set it was checked against' })
  ruleSet!: string;
  @ApiProperty({ example: 1, nullable: true, type: Number, description: 'the target declaration it was made under' })
  targetRevision!: number | null;
  @ApiProperty({ example: '5683388811.03', nullable: true, type: String, description: '全年预算数 (decimal string)' })
  budgetTotal!: string | null;
  @ApiProperty({ example: '5115068546.17', nullable: true, type: String, description: '全年执行数 (decimal string)' })
  executedTotal!: string | null;
  @ApiProperty({ example: '科技局填报账号' }) createdBy!: string;
  @ApiProperty({ example: '2022-03-01T08:00:00.000Z' }) createdAt!: string;
}

export class SubmissionDetailDto extends SubmissionSummaryDto {
  @ApiProperty({ ...FREE_FORM, description: 'the year-end data as accepted, unchanged' })
  submission!: SubmissionBody;
}

/** The rule-set version an estimate was checked and scored with. */
export class EstimateRuleSetDto {
  @ApiProperty({ example: 'guangzhou-department-overall:2021:1' }) ref!: string;
  @ApiProperty({ example: '097ff09e291dce632830f25867aa92afb30970e13d3bfaac5002a99afa9ab3d3' }) checksum!: string;
}

/** 预估得分: year-end data scored as it would be once saved and scored; nothing was stored. */
export class SubmissionEstimateDto {
  @ApiProperty({ example: 'gz-kjj' }) departmentCode!: string;
  @ApiProperty({ example: 2021 }) fiscalYear!: number;
  @ApiProperty({ type: EstimateRuleSetDto, description: 'the published version a save would be checked against' })
  ruleSet!: EstimateRuleSetDto;
  @ApiProperty({ example: 1, nullable: true, type: Number, description: 'the binding target declaration scored' })
  targetRevision!: number | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { total: '94.622', grade: '优', sections: ['…'], lostPoints: ['…'] },
    description: 'the full ScoreReport (every number a decimal string, every node with its 评分依据)',
  })
  report!: ScoreReport;
}
