import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Submission } from '@jiping/rules';
import { IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
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
