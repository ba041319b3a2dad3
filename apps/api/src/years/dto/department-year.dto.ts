import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEPARTMENT_YEAR_STATUSES, type DepartmentYearStatus } from '@jiping/persistence';
import { IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';
import { KEBAB_CODE } from '../../departments/dto/path-params';
import { YEAR_ACTIONS, type YearAction } from '../year-workflow';

const STATUS_DESCRIPTION =
  'not-started 未填报 · in-progress 填报中 · submitted 已提交 · returned 已退回 · scored 已评分 · reviewed 已复核 · ' +
  'finalised 已定稿';

export class YearTargetsDto {
  @ApiProperty({ example: 2, nullable: true, type: Number, description: 'the newest declaration; null before any' })
  latestRevision!: number | null;
  @ApiProperty({ example: 1, nullable: true, type: Number, description: 'the binding declaration (批复)' })
  approvedRevision!: number | null;
  @ApiProperty({
    example: 2,
    nullable: true,
    type: Number,
    description: 'a declaration newer than the approved one, awaiting approval',
  })
  pendingRevision!: number | null;
}

export class YearSubmittedDto {
  @ApiProperty({ example: 1, description: 'the submission revision handed in; official scoring scores it' })
  revision!: number;
  @ApiProperty({ example: 1, nullable: true, type: Number, description: 'the (approved) targets it was made under' })
  targetRevision!: number | null;
  @ApiProperty({ example: '2022-03-01T08:00:00.000Z' }) at!: string;
  @ApiProperty({ example: '科技局填报员' }) by!: string;
  @ApiProperty({ example: false, description: 'the first submission came after the submission deadline' })
  late!: boolean;
}

export class YearReturnDto {
  @ApiProperty({ example: '佐证材料不全：请补充政府采购执行情况的说明' }) reason!: string;
  @ApiProperty({ example: '2022-03-05T02:00:00.000Z' }) at!: string;
  @ApiProperty({ example: '绩效处' }) by!: string;
}

export class YearScoreDto {
  @ApiProperty({
    example: '5f0c2a8e-8d7b-4c1e-9a53-0d2f9b6e4c11',
    description: 'the evaluation in force: the official scoring or its latest 复核 (GET …/evaluations/{id})',
  })
  evaluationId!: string;
  @ApiProperty({ example: '5f0c2a8e-8d7b-4c1e-9a53-0d2f9b6e4c11', description: 'the official scoring itself' })
  scoredEvaluationId!: string;
  @ApiProperty({ example: '94.622', description: '自评分: the official scoring’s total, as its report writes it' })
  selfScore!: string;
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: '复核分: the adjusted total, when an evaluator adjusted the evaluation; else null',
  })
  reviewScore!: string | null;
  @ApiProperty({ example: '94.622', description: 'the official total: 复核分 when there is one, else 自评分' })
  total!: string;
  @ApiProperty({ example: '优', description: '等次 of the evaluation in force' }) grade!: string;
  @ApiProperty({ example: '2022-03-31T08:00:00.000Z' }) scoredAt!: string;
}

export class YearActDto {
  @ApiProperty({ example: '2022-04-10T08:00:00.000Z' }) at!: string;
  @ApiProperty({ example: '绩效处' }) by!: string;
}

export class YearDeadlineFlagsDto {
  @ApiProperty({ example: '2021-03-31T15:59:59.000Z', nullable: true, type: String }) targetsDue!: string | null;
  @ApiProperty({ example: '2022-03-31T15:59:59.000Z', nullable: true, type: String }) submissionDue!: string | null;
  @ApiProperty({ example: false }) blockLateSubmissions!: boolean;
  @ApiProperty({
    example: false,
    description: 'the first declaration came after targetsDue (or none yet and it has passed)',
  })
  targetsLate!: boolean;
}

export const MISSING_ITEMS = [
  'rule-set',
  'targets',
  'targets-approval',
  'submission',
  'resubmission',
  'submit',
] as const;
export type MissingItem = (typeof MISSING_ITEMS)[number];

export class YearMissingDto {
  @ApiProperty({
    enum: MISSING_ITEMS,
    example: 'submit',
    description:
      'rule-set: no rule set published for the year; targets: no declaration; targets-approval: no declaration ' +
      'approved; submission: no year-end data; resubmission: the latest year-end data is not under the approved ' +
      'targets; submit: year-end data kept but not submitted (or returned and not submitted again)',
  })
  item!: MissingItem;
  @ApiProperty({ example: '年终数据（第1版）尚未提交', description: 'in the caller’s language (Accept-Language)' })
  message!: string;
}

export class YearActionDto {
  @ApiProperty({ enum: YEAR_ACTIONS, example: 'submit' }) action!: YearAction;
  @ApiProperty({ example: true, description: 'whether the caller may take it now' }) allowed!: boolean;
  @ApiPropertyOptional({
    example: '仅绩效处或管理员可以退回',
    description: 'why not, in the caller’s language (a disabled button’s tooltip)',
  })
  reason?: string;
}

/** A department's year: what its home page shows. */
export class DepartmentYearDto {
  @ApiProperty({ example: 'gz-kjj' }) departmentCode!: string;
  @ApiProperty({ example: '广州市科学技术局' }) departmentName!: string;
  @ApiProperty({ example: 2021 }) fiscalYear!: number;
  @ApiProperty({ enum: DEPARTMENT_YEAR_STATUSES, example: 'scored', description: STATUS_DESCRIPTION })
  status!: DepartmentYearStatus;
  @ApiProperty({ example: '已评分' }) statusLabel!: string;
  @ApiProperty({ type: YearTargetsDto }) targets!: YearTargetsDto;
  @ApiProperty({ example: 1, nullable: true, type: Number, description: 'the newest year-end data revision' })
  latestRevision!: number | null;
  @ApiProperty({
    type: YearSubmittedDto,
    nullable: true,
    description: 'the revision submitted last (kept after a 退回, until the next submission)',
  })
  submitted!: YearSubmittedDto | null;
  @ApiProperty({ type: YearReturnDto, nullable: true, description: 'the last 退回, with its reason' })
  lastReturn!: YearReturnDto | null;
  @ApiProperty({ type: YearScoreDto, nullable: true, description: 'the official score, once the year is scored' })
  score!: YearScoreDto | null;
  @ApiProperty({ type: YearActDto, nullable: true, description: '复核 completed' }) reviewed!: YearActDto | null;
  @ApiProperty({ type: YearActDto, nullable: true, description: '定稿' }) finalised!: YearActDto | null;
  @ApiProperty({ type: YearDeadlineFlagsDto }) deadlines!: YearDeadlineFlagsDto;
  @ApiProperty({ type: [YearMissingDto], description: 'what the department still has to do, in order' })
  missing!: YearMissingDto[];
  @ApiProperty({ type: [YearActionDto], description: 'every workflow action, and whether the caller may take it now' })
  actions!: YearActionDto[];
}

export class SubmitYearDto {
  @ApiPropertyOptional({ example: 1, description: 'the revision to submit; omit for the latest' })
  @IsOptional()
  @IsInt()
  @Min(1)
  revision?: number;
}

export class ReasonDto {
  @ApiProperty({
    example: '佐证材料不全：请补充政府采购执行情况的说明',
    description: 'required; kept in the audit log',
  })
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, { message: '应写明理由，不能为空白（reason must not be blank）' })
  reason!: string;
}

export class NoteDto {
  @ApiPropertyOptional({ example: '复核完成，同意评分结果', description: 'kept in the audit log' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class DepartmentWorkbookQueryDto {
  @ApiPropertyOptional({
    example: 'guangzhou-department-overall',
    description: 'the rule set, when several are published for the year',
  })
  @IsOptional()
  @Matches(KEBAB_CODE, { message: 'ruleSetId must be a kebab-case rule-set id, e.g. guangzhou-department-overall' })
  ruleSetId?: string;
}
