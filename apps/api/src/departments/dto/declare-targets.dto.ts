import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Submission } from '@jiping/rules';
import { Transform } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import { KEBAB_CODE } from './path-params';

/** The declared targets: { "<declared section code>": [goals…] }, exactly the engine Submission's `targets`. */
export type DeclaredTargets = NonNullable<Submission['targets']>;

const TARGETS_EXAMPLE = {
  performance: [
    {
      code: 'rd',
      name: '通过开展重点研发计划，提高关键核心技术创新能力……',
      weight: '12',
      indicators: [
        {
          code: 'rd-1',
          name: '聚焦重点产业领域，支持重点主攻方向数量',
          weight: '3',
          kind: 'quantitative',
          comparator: '>=',
          target: '20',
          unit: '个',
        },
        {
          code: 'rd-4',
          name: '推动重大产业创新平台建设和发展',
          weight: '2',
          kind: 'qualitative',
          target: '支持在建研究院按照合作共建协议约定开展研究院建设工作，完成阶段性目标或年度目标',
        },
      ],
    },
  ],
};

export class DeclareTargetsDto {
  @ApiPropertyOptional({
    example: 'guangzhou-department-overall',
    description: 'the rule-set id, when several rule sets are published for the year',
  })
  @IsOptional()
  @Matches(KEBAB_CODE, { message: 'ruleSetId must be a kebab-case rule-set id, e.g. guangzhou-department-overall' })
  ruleSetId?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: TARGETS_EXAMPLE,
    description:
      'per declared section of the rule set (广州 2021: performance, 履职效能), its goals and key indicators; the ' +
      'weights must sum to the section weight. Checked by the engine, every problem with its pointer.',
  })
  @IsObject()
  targets!: DeclaredTargets;
}

export const TARGET_APPROVALS = ['approved', 'pending', 'superseded', 'not-approved'] as const;
export type TargetApproval = (typeof TARGET_APPROVALS)[number];

export class TargetDeclarationSummaryDto {
  @ApiProperty({ example: 1 }) revision!: number;
  @ApiProperty({ example: 'guangzhou-department-overall:2021:1', description: 'the rule set it was checked against' })
  ruleSet!: string;
  @ApiProperty({ example: '科技局填报账号' }) createdBy!: string;
  @ApiProperty({ example: '2021-02-25T08:00:00.000Z' }) createdAt!: string;
  @ApiProperty({
    enum: TARGET_APPROVALS,
    example: 'approved',
    description:
      '批复: approved — the binding revision (year-end data is kept and scored under it); pending — newer than the ' +
      'binding one (or none is approved yet), awaiting approval; superseded — approved once, replaced by a later ' +
      'approval; not-approved — older than the binding one and never approved',
  })
  approval!: TargetApproval;
  @ApiProperty({ example: '绩效处', nullable: true, type: String, description: 'who approved it (批复)' })
  approvedBy!: string | null;
  @ApiProperty({ example: '2021-03-01T02:00:00.000Z', nullable: true, type: String }) approvedAt!: string | null;
}

export class TargetDeclarationDto extends TargetDeclarationSummaryDto {
  @ApiProperty({ example: 2021 }) fiscalYear!: number;
  @ApiProperty({ example: 'gz-kjj' }) departmentCode!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: TARGETS_EXAMPLE }) targets!: DeclaredTargets;
}

export class TargetsOverviewDto {
  @ApiProperty({ type: TargetDeclarationDto, nullable: true, description: 'the latest revision; null before any' })
  current!: TargetDeclarationDto | null;
  @ApiProperty({
    type: TargetDeclarationDto,
    nullable: true,
    description: 'the binding revision (批复): year-end data is kept and scored under it; null before any approval',
  })
  approved!: TargetDeclarationDto | null;
  @ApiProperty({ type: [TargetDeclarationSummaryDto], description: 'every revision, newest first' })
  history!: TargetDeclarationSummaryDto[];
}

export class ApproveTargetsDto {
  @ApiPropertyOptional({ example: '随2021年部门预算一并批复', description: 'a note kept in the audit log' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class TargetsWorkbookQueryDto {
  @ApiPropertyOptional({
    example: 'guangzhou-department-overall',
    description: 'the rule-set id, when several rule sets are published for the year',
  })
  @IsOptional()
  @Matches(KEBAB_CODE, { message: 'ruleSetId must be a kebab-case rule-set id, e.g. guangzhou-department-overall' })
  ruleSetId?: string;
}

export class TargetsWorkbookImportQueryDto extends TargetsWorkbookQueryDto {
  @ApiPropertyOptional({
    example: true,
    default: false,
    description: 'read and check the workbook and show what would be declared, storing nothing',
  })
  @IsOptional()
  @Transform(({ value }) =>
    value === 'true' || value === true ? true : value === 'false' || value === false ? false : value,
  )
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;
}

export class TargetsWorkbookSectionDto {
  @ApiProperty({ example: 'performance', description: 'the declared section (履职效能)' }) section!: string;
  @ApiProperty({ example: 5, description: 'goals (绩效目标); 0 when the section lists indicators only' })
  goals!: number;
  @ApiProperty({ example: 21, description: 'key indicators (关键指标)' }) indicators!: number;
}

export class TargetsWorkbookProblemDto {
  @ApiProperty({ example: '/targets/performance/0/indicators/0/comparator' }) pointer!: string;
  @ApiProperty({ example: '应为比较方式之一：≥、≤、=、区间' }) message!: string;
  @ApiPropertyOptional({ example: '履职效能!H3', description: 'the cell (sheet!cell)' }) path?: string;
}

export class TargetsWorkbookPreviewDto {
  @ApiProperty({ example: true, description: 'whether the import would be kept (no problem)' }) valid!: boolean;
  @ApiProperty({ example: 'guangzhou-department-overall:2021:1', description: 'the rule set it is checked against' })
  ruleSet!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: TARGETS_EXAMPLE,
    description: 'the targets it would declare (as PUT …/targets takes them); null when there are problems',
  })
  targets!: DeclaredTargets | null;
  @ApiProperty({ type: [TargetsWorkbookSectionDto] }) summary!: TargetsWorkbookSectionDto[];
  @ApiProperty({
    type: [TargetsWorkbookProblemDto],
    description: 'every problem, each with its cell and pointer, in the caller’s language (Chinese first)',
  })
  problems!: TargetsWorkbookProblemDto[];
}
