import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { JOB_STATUSES, type JobEntity, type JobStatus } from '@jiping/persistence';
import type { Lang } from '@jiping/rules';
import { JOB_KINDS, KIND_LABELS, type JobKind, STATUS_LABELS } from '../jobs.service';

export class JobProgressDto {
  @ApiProperty({ example: 6000, description: 'departments (or items) done so far' }) done!: number;
  @ApiProperty({ example: 10000, nullable: true, description: 'how many there are; null until the job has counted' })
  total!: number | null;
  @ApiPropertyOptional({
    example: 6500,
    nullable: true,
    type: Number,
    description:
      'a job in two phases: how many of total its first phase has prepared — an impact: departments read (while the ' +
      'scoring workers start, the bar moves with them), an import: rows checked; null for a job of one phase',
  })
  prepared!: number | null;
  @ApiProperty({
    example: 60,
    nullable: true,
    description:
      'whole percent, never going back: done of total, or for a job in two phases both phases weighted by their ' +
      'share of the work (an impact: reading 10 %, scoring 90 %; an import: checking and storing half each)',
  })
  percent!: number | null;
}

export class JobErrorDetailDto {
  @ApiProperty({ example: '/rows/3/parentCode' }) pointer!: string;
  @ApiProperty({ example: '第3行“上级部门代码”：上级部门“gz-old”已撤销，不能作为上级部门' }) message!: string;
  @ApiPropertyOptional({ example: '第3行“上级部门代码”' }) path?: string;
}

export class JobErrorDto {
  @ApiProperty({ example: 'VALIDATION_FAILED' }) code!: string;
  @ApiProperty({ example: '部门名单有 1 处错误（第 3 行），未导入任何部门：请改正后重新上传' }) message!: string;
  @ApiPropertyOptional({
    type: [JobErrorDetailDto],
    description: 'a refusal’s details, as the synchronous route would answer them (a department import: by row)',
  })
  details?: JobErrorDetailDto[];
}

/** A stored job: what it was asked, how far it is, and its result or error once finished. */
export class JobDto {
  @ApiProperty({ example: '0b9f6c1e-3f9a-4c55-9d7e-3c2f2d0c8a11' }) id!: string;
  @ApiProperty({ example: 'rescore', enum: JOB_KINDS }) kind!: JobKind;
  @ApiProperty({
    example: '年度重新评分',
    description:
      '规则变更影响分析 (impact), 年度重新评分 (rescore), 部门名单导入 (department-import); English on request',
  })
  kindLabel!: string;
  @ApiProperty({ example: 'running', enum: JOB_STATUSES }) status!: JobStatus;
  @ApiProperty({
    example: '运行中',
    description: '排队中, 运行中, 已完成, 失败, 已取消 (English with Accept-Language: en)',
  })
  statusLabel!: string;
  @ApiProperty({ type: JobProgressDto }) progress!: JobProgressDto;
  @ApiProperty({
    example: { ref: 'guangzhou-department-overall:2021:2', against: 'guangzhou-department-overall:2021:1', year: 2021 },
    description:
      'what the job was asked. impact: ref, against, year, lang. rescore: year, ruleSet (the version named, or ' +
      '"in-force"), ruleSets (the versions it scores with, by rule-set id, pinned when created), reason, lang. ' +
      'department-import: fileName, rows, and what the check on upload found it would do (created, updated, ' +
      'unchanged, skipped), lang',
  })
  params!: Record<string, unknown>;
  @ApiPropertyOptional({
    nullable: true,
    description:
      'once succeeded. Impact: { summary, errors, errorCount } — summary is the streaming impact’s summary line ' +
      '(without type), errors the first 100 error lines (a department a rule set could not score), errorCount all ' +
      'of them; every department’s row: GET /jobs/{id}/result/departments (paged), the workbook: GET ' +
      '/jobs/{id}/result.xlsx. Rescore: { year, ruleSet, complete, counts: { departments, rescored, changed, unchanged, skipped, ' +
      'carriedOver, notCarriedOver, toConfirm }, skippedByStatus: [{ status, statusLabel, count }] } — small ' +
      'whatever the number of departments; each department (re-scored, or skipped with the reason) a page at a time ' +
      'at GET /jobs/{id}/result/departments — also on a cancelled rescore, with complete false, for the ' +
      'departments it scored before it stopped. Department-import: as POST /departments/import answers (created, ' +
      'updated, unchanged, skipped, rows). GET /jobs leaves an import’s rows out.',
  })
  result!: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: JobErrorDto, nullable: true, description: 'once failed' }) error!: JobErrorDto | null;
  @ApiProperty({ description: 'a cancel was asked for: a running job stops at its next progress step' })
  cancelRequested!: boolean;
  @ApiProperty({
    example: 1,
    description: 'how many times a worker started it: more than 1 when its instance died and another took it over',
  })
  attempts!: number;
  @ApiProperty({
    example: 'jiping-api-1:1',
    nullable: true,
    description: 'the instance (host:pid) running or that ran it',
  })
  worker!: string | null;
  @ApiProperty({ example: '王立新' }) createdBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true }) startedAt!: string | null;
  @ApiProperty({ nullable: true }) finishedAt!: string | null;
  @ApiProperty() updatedAt!: string;
}

export class ListJobsQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: JobStatus;

  @ApiPropertyOptional({ enum: JOB_KINDS })
  @IsOptional()
  @IsIn(JOB_KINDS)
  kind?: JobKind;

  @ApiPropertyOptional({ example: 50, default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

const iso = (date: Date | null): string | null => (date ? new Date(date).toISOString() : null);

/** What a list of jobs leaves out of each result: an import's rows (GET /jobs/{id} has them). */
const LISTS: Partial<Record<JobKind, string[]>> = {
  'department-import': ['rows'],
};

/** The share (in percent) of a two-phase job's first phase in its percent: reading is cheap next to scoring. */
const PREPARED_SHARE: Partial<Record<JobKind, number>> = { impact: 10, 'department-import': 50 };

/** Whole percent of the work done: the phases weighted by their share; 100 only once everything is done. */
function percentOf(kind: JobKind, done: number, total: number | null, prepared: number | null): number | null {
  if (total === null) return null;
  if (total === 0) return 100;
  const share = prepared === null ? 0 : (PREPARED_SHARE[kind] ?? 50);
  const work = share * Math.min(prepared ?? 0, total) + (100 - share) * Math.min(done, total);
  return Math.floor(work / total);
}

/** The job as the API shows it; `brief` (GET /jobs) leaves the per-department lists out of its result. */
export function toJobDto(job: JobEntity, lang: Lang, brief = false): JobDto {
  const total = job.progressTotal;
  const succeeded = job.status === 'succeeded' && total !== null;
  const done = succeeded ? total : job.progressDone;
  const prepared = job.progressPrepared === null ? null : succeeded ? total : job.progressPrepared;
  const briefly = (result: Record<string, unknown>): Record<string, unknown> =>
    brief
      ? Object.fromEntries(Object.entries(result).filter(([key]) => !LISTS[job.kind as JobKind]?.includes(key)))
      : result;
  return {
    id: job.id,
    kind: job.kind as JobKind,
    kindLabel: KIND_LABELS[job.kind as JobKind]?.[lang] ?? job.kind,
    status: job.status,
    statusLabel: STATUS_LABELS[job.status][lang],
    progress: { done, total, prepared, percent: percentOf(job.kind as JobKind, done, total, prepared) },
    params: JSON.parse(job.params) as Record<string, unknown>,
    result: job.result === null ? null : briefly(JSON.parse(job.result) as Record<string, unknown>),
    error: job.error === null ? null : (JSON.parse(job.error) as JobErrorDto),
    cancelRequested: Boolean(job.cancelRequested),
    attempts: job.attempts,
    worker: job.worker,
    createdBy: job.createdBy,
    createdAt: iso(job.createdAt)!,
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    updatedAt: iso(job.updatedAt)!,
  };
}
