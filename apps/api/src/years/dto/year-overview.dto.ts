import { ApiProperty } from '@nestjs/swagger';
import { DEPARTMENT_YEAR_STATUSES, type DepartmentYearStatus } from '@jiping/persistence';

const STATUS_DESCRIPTION =
  'not-started 未填报 · in-progress 填报中 · submitted 已提交 · returned 已退回 · scored 已评分 · reviewed 已复核 · ' +
  'finalised 已定稿';

export class OverviewItemDto {
  @ApiProperty({ example: 'gz-kjj' }) departmentCode!: string;
  @ApiProperty({ example: '广州市科学技术局' }) departmentName!: string;
  @ApiProperty({ example: '广州市' }) region!: string;
  @ApiProperty({ example: false, description: 'retired (已撤销): listed only when it has a year of its own' })
  retired!: boolean;
  @ApiProperty({ enum: DEPARTMENT_YEAR_STATUSES, example: 'scored', description: STATUS_DESCRIPTION })
  status!: DepartmentYearStatus;
  @ApiProperty({ example: '已评分', description: 'the status as users read it (统一术语)' }) statusLabel!: string;
  @ApiProperty({ example: 1, nullable: true, type: Number, description: 'the revision handed in (提交)' })
  submittedRevision!: number | null;
  @ApiProperty({ example: '2022-03-01T08:00:00.000Z', nullable: true, type: String }) submittedAt!: string | null;
  @ApiProperty({ example: false, description: 'the first submission came after the year’s submission deadline' })
  late!: boolean;
  @ApiProperty({
    example: '5f0c2a8e-8d7b-4c1e-9a53-0d2f9b6e4c11',
    nullable: true,
    type: String,
    description: 'the evaluation in force (GET /departments/{code}/years/{year}/evaluations/{id})',
  })
  evaluationId!: string | null;
  @ApiProperty({ example: '94.622', nullable: true, type: String, description: '自评分: the official scoring’s total' })
  selfScore!: string | null;
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: '复核分: the adjusted total in force; null when nothing was adjusted',
  })
  reviewScore!: string | null;
  @ApiProperty({
    example: '94.622',
    nullable: true,
    type: String,
    description: 'the official total: 复核分 when adjusted, else 自评分; null until scored (or after a 退回)',
  })
  total!: string | null;
  @ApiProperty({ example: '优', nullable: true, type: String, description: '等次 of the evaluation in force' })
  grade!: string | null;
  @ApiProperty({
    example: 1,
    nullable: true,
    type: Number,
    description:
      'rank among the scored departments of the year (all of them, whatever the filters), by total: ties share a ' +
      'rank and the next rank skips (1, 1, 3); null when not scored',
  })
  rank!: number | null;
}

export class StatusCountDto {
  @ApiProperty({ enum: DEPARTMENT_YEAR_STATUSES, example: 'scored' }) status!: DepartmentYearStatus;
  @ApiProperty({ example: '已评分' }) label!: string;
  @ApiProperty({ example: 1 }) count!: number;
}

export class GradeCountDto {
  @ApiProperty({ example: '优' }) grade!: string;
  @ApiProperty({ example: 1 }) count!: number;
}

export class OverviewSummaryDto {
  @ApiProperty({ example: 1, description: 'departments matching the filters' }) departments!: number;
  @ApiProperty({ example: 1, description: 'of which scored (a total in force)' }) scored!: number;
  @ApiProperty({ example: 0, description: 'of which submitted late' }) late!: number;
  @ApiProperty({ type: [StatusCountDto], description: 'every status in workflow order' })
  byStatus!: StatusCountDto[];
  @ApiProperty({
    type: [GradeCountDto],
    description: 'every grade of the year’s published rule set(s), best first, then any other found',
  })
  byGrade!: GradeCountDto[];
  @ApiProperty({
    example: '94.622',
    nullable: true,
    type: String,
    description: 'mean of the totals in force, with as many decimals as the totals have (half up); null if none',
  })
  mean!: string | null;
  @ApiProperty({ example: '94.622', nullable: true, type: String, description: 'median, the same way' })
  median!: string | null;
  @ApiProperty({ example: '94.622', nullable: true, type: String }) highest!: string | null;
  @ApiProperty({ example: '94.622', nullable: true, type: String }) lowest!: string | null;
}

export class YearOverviewDto {
  @ApiProperty({ example: 2021 }) fiscalYear!: number;
  @ApiProperty({ type: [OverviewItemDto], description: 'the page: `limit` departments from `offset`' })
  items!: OverviewItemDto[];
  @ApiProperty({ example: 1, description: 'departments matching the filters (all pages)' }) total!: number;
  @ApiProperty({
    example: null,
    nullable: true,
    type: Number,
    description: 'the offset of the next page (pass it as ?offset=); null on the last page',
  })
  next!: number | null;
  @ApiProperty({
    type: OverviewSummaryDto,
    description: 'counts and statistics of the departments matching the filters',
  })
  summary!: OverviewSummaryDto;
}
