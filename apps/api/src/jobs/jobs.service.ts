import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { FINISHED_JOB_STATUSES, JobEntity, type JobStatus } from '@jiping/persistence';
import { renderImpactWorkbook, type ImpactWorkbookSummary } from '@jiping/reports';
import { inLang, type Lang, localized, type Message } from '@jiping/rules';
import { In, Repository } from 'typeorm';
import type { EnvironmentVariables } from '../../../../config/environment';
import { AuditService, systemActor } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { ImpactService } from '../impact/impact.service';
import type { ImpactRequestDto } from '../impact/dto/impact-request.dto';
import { Metrics } from '../observability/metrics';
import { type ExportedFile, XLSX_TYPE } from '../common/download';
import type { ImpactRowPageDto, ImpactRowsQueryDto } from './dto/impact-rows.dto';
import { ImpactJobRows } from './impact-job-rows';
import { DepartmentImportJobService, type DepartmentImportJobInput } from './department-import-job.service';
import type { RescoreRequestDto } from './dto/rescore-request.dto';
import { BullQueue, InProcessQueue, type JobQueue } from './job-queue';
import { type RescoreJobParams, RescoreJobService, type RescorePage } from './rescore-job.service';

/** The kinds of job there are: a rule-change impact, a year re-scored, a department list imported. */
export const JOB_KINDS = ['impact', 'rescore', 'department-import'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** What a job keeps unshown (its `input` column): who asked — the job acts and audits as them — and its data. */
interface JobInput {
  actor?: Principal;
  departmentImport?: DepartmentImportJobInput;
}

/** What an impact job was asked: the two versions, the year, and the language of the summary's texts. */
export interface ImpactJobParams {
  ref: string;
  against: string;
  year: number;
  lang: Lang;
}

/**
 * A running job's step: `done` of `total` items, and for a job in two phases how many its first phase has
 * `prepared` (read, checked). Answers whether to stop (cancelled, or the instance is shutting down). Written at most
 * every PROGRESS_WRITE_MS, and always while nothing is done yet and at the last item.
 */
export type JobProgress = (done: number, total: number, prepared?: number) => Promise<boolean>;

/** The progress of a running job is written at most this often (and at its last step). */
const PROGRESS_WRITE_MS = 500;

/** This instance, as a job's `worker` names it. */
const INSTANCE = `${hostname()}:${process.pid}`;

/**
 * Long jobs as stored rows run by a queue: created by a request (202 and where to look), run by a worker of any
 * instance (BullMQ on Redis with REDIS_URL, this process otherwise), their progress, result or error written to the
 * row, cancelled on request. A job whose instance dies mid-run is run again from the start by another instance.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobsService.name);
  private readonly queue: JobQueue;
  private stopping = false;
  /** Jobs this instance runs now, each with whether it was asked to stop. */
  private readonly running = new Map<string, { cancel: boolean }>();

  constructor(
    @InjectRepository(JobEntity) private readonly jobs: Repository<JobEntity>,
    private readonly impact: ImpactService,
    private readonly impactRows: ImpactJobRows,
    private readonly rescore: RescoreJobService,
    private readonly departmentImport: DepartmentImportJobService,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    const url = config.get('REDIS_URL', { infer: true });
    const concurrency = config.get('JOB_CONCURRENCY', { infer: true }) ?? 1;
    this.queue = url
      ? new BullQueue({
          url,
          name: queueName(config),
          concurrency,
          lockMs: config.get('JOB_LOCK_MS', { infer: true }) ?? 30_000,
        })
      : new InProcessQueue(concurrency);
    this.metrics.queueDepthOf('jobs', () => this.queue.depth());
  }

  get queueKind(): JobQueue['kind'] {
    return this.queue.kind;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.start(
      (id) => this.execute(id),
      (id, error) => this.lost(id, error),
    );
    if (this.queue.kind === 'in-process') {
      // One instance: what it left queued or running when it stopped is run again now.
      const left = await this.jobs.find({
        select: ['id'],
        where: { status: In(['queued', 'running']) },
        order: { createdAt: 'ASC' },
      });
      for (const { id } of left) await this.queue.add(id);
    }
    this.logger.log(`jobs run on ${this.queue.kind === 'bullmq' ? 'BullMQ (Redis)' : 'this process'}`);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.queue.close();
  }

  /** Redis answers (always true without Redis): for /health/ready. */
  ping(): Promise<boolean> {
    return this.queue.ping();
  }

  /** An impact job: checked as the streaming impact is (404, 422 now, never later), stored, queued, audited. */
  async createImpact(ref: string, dto: ImpactRequestDto, lang: Lang, actor: Principal): Promise<JobEntity> {
    await this.impact.check(ref, dto);
    const params: ImpactJobParams = { ref, against: dto.against, year: dto.year, lang };
    return this.create('impact', params, actor, {}, { year: dto.year, ref, against: dto.against });
  }

  /**
   * A year re-scored after a rule fix: the rule set checked and its versions pinned now (404, 422), stored, queued,
   * audited with the reason.
   */
  async createRescore(year: number, dto: RescoreRequestDto, lang: Lang, actor: Principal): Promise<JobEntity> {
    const params: RescoreJobParams = await this.rescore.check(year, dto, lang);
    return this.create(
      'rescore',
      params,
      actor,
      {},
      { year, ruleSet: params.ruleSet, ruleSets: Object.values(params.ruleSets) },
      params.reason,
    );
  }

  /** A department list imported as a job: every row checked now (422 by row and column, no job), stored with it. */
  async createDepartmentImport(
    buffer: Buffer,
    fileName: string | null,
    lang: Lang,
    actor: Principal,
  ): Promise<JobEntity> {
    const { params, input } = await this.departmentImport.check(buffer, fileName);
    return this.create('department-import', { ...params, lang }, actor, { departmentImport: input }, { ...params });
  }

  async get(id: string): Promise<JobEntity> {
    const job = await this.jobs.findOneBy({ id });
    if (!job) {
      throw new ApiError(ApiErrorCode.NOT_FOUND, localized(`没有编号为 ${id} 的任务`, `no job ${id}`), [
        { pointer: '/id', message: localized('没有这个任务', 'no such job') },
      ]);
    }
    return job;
  }

  async list(query: { status?: JobStatus; kind?: string; limit?: number }): Promise<JobEntity[]> {
    return this.jobs.find({
      where: { ...(query.status && { status: query.status }), ...(query.kind && { kind: query.kind }) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: query.limit ?? 50,
    });
  }

  /**
   * A page of a job's departments: an impact's rows once it has succeeded, a re-scoring's outcomes once it has ended
   * with a result (a cancelled one lists those it scored); 409 before.
   */
  async departmentPage(id: string, query: ImpactRowsQueryDto): Promise<ImpactRowPageDto | RescorePage> {
    const job = await this.get(id);
    if (job.kind !== 'rescore') {
      await this.succeededImpact(id);
      return this.impactRows.page(id, query);
    }
    if (job.result === null) {
      throw new ApiError(
        ApiErrorCode.CONFLICT,
        localized(
          `任务${STATUS_LABELS[job.status].zh}，还没有可查看的重新评分结果`,
          `the job is ${job.status}: no re-scoring result to read`,
        ),
        [{ pointer: '/status', message: localized(`任务状态为“${STATUS_LABELS[job.status].zh}”`, job.status) }],
      );
    }
    if (query.sort !== undefined && query.sort !== 'code') {
      throw new ApiError(
        ApiErrorCode.VALIDATION_FAILED,
        localized('重新评分任务的部门按部门代码排列', 'the departments of a re-scoring are in code order'),
        [{ pointer: '/sort', message: localized('只能为 code', 'must be code') }],
      );
    }
    return this.rescore.page(id, JSON.parse(job.params) as RescoreJobParams, query);
  }

  /** A finished impact job as a workbook: 概要, 等次变动, 部门明细, 指标变动 and, when simulated, 模拟假设. */
  async impactWorkbook(id: string): Promise<ExportedFile> {
    const job = await this.succeededImpact(id);
    const params = JSON.parse(job.params) as ImpactJobParams;
    const { summary } = JSON.parse(job.result!) as { summary: ImpactWorkbookSummary };
    const [rows, described] = await Promise.all([
      this.impactRows.all(id),
      this.impact.describe(params.ref, params.against),
    ]);
    const [candidate, against] = described.versions;
    const title = `${candidate.title}第${candidate.versionNo}版`.replace(/[\\/:*?"<>|]/g, '_');
    const [ruleSetId, fiscalYear] = summary.ruleSet.ref.split(':');
    return {
      body: await renderImpactWorkbook(summary, rows, {
        paths: described.paths,
        labels: {
          ruleSet: `${candidate.title} 第${candidate.versionNo}版`,
          against: `${against.title} 第${against.versionNo}版`,
        },
      }),
      type: XLSX_TYPE,
      filename: `影响分析-${summary.year}年数据-${title}.xlsx`,
      asciiFilename: `impact-${summary.year}-${ruleSetId}-${fiscalYear}-${candidate.versionNo}.xlsx`,
    };
  }

  private async succeededImpact(id: string): Promise<JobEntity> {
    const job = await this.get(id);
    if (job.kind !== 'impact' || job.status !== 'succeeded' || job.result === null) {
      throw new ApiError(
        ApiErrorCode.CONFLICT,
        localized(
          `任务${STATUS_LABELS[job.status].zh}，还没有可查看的影响分析结果`,
          `the job is ${job.status}: no impact result to read`,
        ),
        [{ pointer: '/status', message: localized(`任务状态为“${STATUS_LABELS[job.status].zh}”`, job.status) }],
      );
    }
    return job;
  }

  /**
   * Cancels a job: one still queued is cancelled at once; a running one stops at its next progress step (a second
   * or so) and is then 已取消. A finished job cannot be cancelled (409).
   */
  async cancel(id: string, actor: Principal): Promise<JobEntity> {
    const job = await this.get(id);
    if (FINISHED_JOB_STATUSES.includes(job.status)) {
      throw new ApiError(
        ApiErrorCode.CONFLICT,
        localized(`任务已结束（${STATUS_LABELS[job.status].zh}），不能取消`, `the job has ended (${job.status})`),
        [{ pointer: '/status', message: localized(`任务状态为“${STATUS_LABELS[job.status].zh}”`, job.status) }],
      );
    }
    const now = new Date();
    const queued = await this.jobs.update(
      { id, status: 'queued' },
      { status: 'cancelled', cancelRequested: true, finishedAt: now, updatedAt: now },
    );
    if (!queued.affected) {
      await this.jobs.update({ id, status: 'running' }, { cancelRequested: true, updatedAt: now });
      const local = this.running.get(id);
      if (local) local.cancel = true;
    } else {
      await this.queue.remove(id);
    }
    await this.audit.record(actor, {
      action: 'job.cancelled',
      entityType: 'job',
      entityId: id,
      fiscalYear: yearOf(job),
      details: { kind: job.kind, status: job.status },
    });
    return this.get(id);
  }

  private async create(
    kind: JobKind,
    params: object,
    actor: Principal,
    input: JobInput,
    auditDetails: Record<string, unknown>,
    reason?: string,
  ): Promise<JobEntity> {
    const now = new Date();
    const job: JobEntity = {
      id: randomUUID(),
      kind,
      status: 'queued',
      params: JSON.stringify(params),
      input: JSON.stringify({ ...input, actor } satisfies JobInput),
      progressDone: 0,
      progressTotal: null,
      progressPrepared: null,
      result: null,
      error: null,
      cancelRequested: false,
      attempts: 0,
      worker: null,
      createdBy: actor.name,
      createdByUserId: actor.via === 'system' ? null : actor.userId,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      updatedAt: now,
    };
    await this.jobs.insert(job);
    await this.audit.record(actor, {
      action: 'job.created',
      entityType: 'job',
      entityId: job.id,
      fiscalYear: yearOf(job),
      reason: reason ?? null,
      details: { kind, ...auditDetails },
    });
    try {
      await this.queue.add(job.id);
    } catch (error) {
      const failedAt = new Date();
      await this.jobs.update(job.id, {
        status: 'failed',
        error: JSON.stringify({ code: ApiErrorCode.SERVICE_UNAVAILABLE, message: 'the job queue did not answer' }),
        finishedAt: failedAt,
        updatedAt: failedAt,
      });
      this.logger.warn(`job ${job.id} could not be queued: ${(error as Error).message}`);
      throw new ApiError(
        ApiErrorCode.SERVICE_UNAVAILABLE,
        localized('任务队列（Redis）暂时无响应，请稍后重试', 'the job queue (Redis) does not answer; try again later'),
        [],
        5,
      );
    }
    return job;
  }

  /**
   * Runs a job to its end on this instance (the queue's processor). A job already finished, or cancelled while it
   * waited, is left as it is; a job taken over from an instance that died starts again from the beginning.
   */
  private async execute(id: string): Promise<void> {
    const job = await this.jobs.findOneBy({ id });
    if (!job || FINISHED_JOB_STATUSES.includes(job.status)) return;
    const now = new Date();
    if (job.cancelRequested) {
      // cancelled while an instance that then died ran it: a re-scoring keeps what that run scored
      const partial =
        job.kind === 'rescore' && job.attempts > 0
          ? await this.rescore.result(id, JSON.parse(job.params) as RescoreJobParams, false)
          : undefined;
      await this.finish(job, undefined, 'cancelled', partial ? { result: JSON.stringify(partial) } : {});
      return;
    }
    const claimed = await this.jobs.update(
      { id, status: In(['queued', 'running']) },
      {
        status: 'running',
        worker: INSTANCE,
        attempts: job.attempts + 1,
        progressDone: 0,
        progressPrepared: null,
        startedAt: job.startedAt ?? now,
        updatedAt: now,
      },
    );
    if (!claimed.affected) return;
    if (job.attempts > 0) this.logger.warn(`job ${id} taken over from ${job.worker ?? 'another instance'}`);
    const input = JSON.parse(job.input ?? '{}') as JobInput;
    const actor = input.actor ?? systemActor(job.createdBy);
    const lang = (JSON.parse(job.params) as { lang?: Lang }).lang ?? 'zh';
    await this.audit.record(actor, {
      action: 'job.started',
      entityType: 'job',
      entityId: id,
      fiscalYear: yearOf(job),
      details: { kind: job.kind, worker: INSTANCE, attempt: job.attempts + 1 },
    });
    const state = { cancel: false };
    this.running.set(id, state);
    // an impact run taken over starts again from the beginning: from no rows
    const rows = job.kind === 'impact' ? this.impactRows.sink(id) : undefined;
    if (rows) await this.impactRows.clear(id);
    let written = 0;
    const progress: JobProgress = async (done, total, prepared) => {
      if (this.stopping) return true;
      const at = Date.now();
      if (at - written >= PROGRESS_WRITE_MS || done === total || done === 0) {
        written = at;
        await rows?.flush();
        await this.jobs.update(id, {
          progressDone: done,
          progressTotal: total,
          ...(prepared !== undefined && { progressPrepared: prepared }),
          updatedAt: new Date(at),
        });
        const row = await this.jobs.findOne({ select: ['id', 'cancelRequested'], where: { id } });
        if (row?.cancelRequested) state.cancel = true;
      }
      return state.cancel;
    };
    try {
      const outcome = await this.run(job, input, actor, progress, rows);
      if (this.stopping) return; // shutting down: left running, taken over later
      if (!outcome.result || !outcome.complete) {
        await this.finish(job, actor, 'cancelled', outcome.result ? { result: JSON.stringify(outcome.result) } : {});
      } else {
        await this.finish(job, actor, 'succeeded', { result: JSON.stringify(outcome.result) });
      }
    } catch (error) {
      if (this.stopping) return;
      const e = error as Error;
      const apiError = error instanceof ApiError ? error : undefined;
      if (apiError) this.logger.warn(`job ${id} refused: ${e.message}`);
      else this.logger.error(`job ${id} failed: ${e.message}`, e.stack);
      if (rows) await this.impactRows.clear(id).catch(() => undefined);
      await this.finish(job, actor, 'failed', {
        error: JSON.stringify({
          code: apiError?.code ?? ApiErrorCode.INTERNAL,
          message: apiError
            ? inLang(apiError.text, lang)
            : inLang(localized('任务运行出错，详见服务日志', 'the job failed; see the service log'), lang),
          ...(apiError &&
            apiError.details.length > 0 && {
              details: apiError.details.map((d) => ({ ...d, message: inLang(d.message as Message, lang) })),
            }),
        }),
      });
    } finally {
      this.running.delete(id);
    }
  }

  /** Runs the job of its kind: its result, and whether it ran to its end (false: cancelled). */
  private async run(
    job: JobEntity,
    input: JobInput,
    actor: Principal,
    progress: JobProgress,
    rows?: ReturnType<ImpactJobRows['sink']>,
  ): Promise<{ result?: object; complete: boolean }> {
    const kind = job.kind as JobKind;
    switch (kind) {
      case 'impact': {
        const params = JSON.parse(job.params) as ImpactJobParams;
        const result = await this.impact.run(
          params.ref,
          { against: params.against, year: params.year },
          params.lang,
          progress,
          (row) => rows!.add(row),
        );
        if (!result) await this.impactRows.clear(job.id);
        else await rows!.flush();
        return { result, complete: result !== undefined };
      }
      case 'rescore': {
        const result = (await this.rescore.run(job.id, JSON.parse(job.params) as RescoreJobParams, actor, progress)) as
          | { complete?: boolean }
          | undefined;
        return { result, complete: result?.complete === true };
      }
      case 'department-import': {
        const result = await this.departmentImport.run(job.id, input.departmentImport!, actor, progress);
        return { result, complete: result !== undefined };
      }
      default:
        throw new Error(`unknown job kind ${String(kind)}`);
    }
  }

  /** BullMQ gave up on a job (its instances kept dying on it): recorded as failed. */
  private async lost(id: string, error: Error): Promise<void> {
    const job = await this.jobs.findOneBy({ id });
    if (!job || FINISHED_JOB_STATUSES.includes(job.status)) return;
    this.logger.error(`job ${id} was given up: ${error.message}`);
    const input = JSON.parse(job.input ?? '{}') as JobInput;
    await this.finish(job, input.actor ?? systemActor(job.createdBy), 'failed', {
      error: JSON.stringify({ code: ApiErrorCode.INTERNAL, message: `the job was given up: ${error.message}` }),
    });
  }

  /** Ends a job that has not ended yet, audited (job.finished) when it ran (an actor) and this call ended it. */
  private async finish(
    job: JobEntity,
    actor: Principal | undefined,
    status: JobStatus,
    fields: Partial<JobEntity>,
  ): Promise<void> {
    const now = new Date();
    const ended = await this.jobs.update(
      { id: job.id, status: In(['queued', 'running']) },
      { ...fields, status, finishedAt: now, updatedAt: now },
    );
    if (!ended.affected || !actor) return;
    const result = fields.result ? (JSON.parse(fields.result) as Record<string, unknown>) : undefined;
    const error = fields.error ? (JSON.parse(fields.error) as { code: string }) : undefined;
    await this.audit.record(actor, {
      action: 'job.finished',
      entityType: 'job',
      entityId: job.id,
      fiscalYear: yearOf(job),
      details: {
        kind: job.kind,
        status,
        worker: INSTANCE,
        ...(error && { error: error.code }),
        // the counts, never the whole result
        ...(result?.counts !== undefined && { counts: result.counts }),
        ...(job.kind === 'department-import' &&
          result && { created: result.created, updated: result.updated, unchanged: result.unchanged }),
        ...(job.kind === 'impact' && result && { summary: summaryCounts(result.summary) }),
      },
    });
  }
}

/** How each status reads in the console (统一术语). */
export const STATUS_LABELS: Record<JobStatus, { zh: string; en: string }> = {
  queued: { zh: '排队中', en: 'queued' },
  running: { zh: '运行中', en: 'running' },
  succeeded: { zh: '已完成', en: 'succeeded' },
  failed: { zh: '失败', en: 'failed' },
  cancelled: { zh: '已取消', en: 'cancelled' },
};

export const KIND_LABELS: Record<JobKind, { zh: string; en: string }> = {
  impact: { zh: '规则变更影响分析', en: 'rule-change impact' },
  rescore: { zh: '年度重新评分', en: 'year re-scored' },
  'department-import': { zh: '部门名单导入', en: 'department list import' },
};

/** The fiscal year a job is about (impact, rescore), null for others. */
function yearOf(job: JobEntity): number | null {
  const { year } = JSON.parse(job.params) as { year?: unknown };
  return typeof year === 'number' ? year : null;
}

/** An impact summary's counts for the audit row. */
function summaryCounts(summary: unknown): Record<string, unknown> | undefined {
  if (!summary || typeof summary !== 'object') return undefined;
  const { departments, changed, failed } = summary as Record<string, unknown>;
  return { departments, changed, failed };
}

/** One BullMQ queue per database, so that deployments (or test suites) sharing a Redis never take each other's jobs. */
function queueName(config: ConfigService<EnvironmentVariables, true>): string {
  const database =
    config.get('DB_TYPE', { infer: true }) === 'mysql'
      ? new URL(config.get('DB_URL', { infer: true })!).pathname.slice(1)
      : createHash('sha256')
          .update(config.get('DB_PATH', { infer: true }))
          .digest('hex')
          .slice(0, 12);
  return `jiping-jobs-${database}`;
}
