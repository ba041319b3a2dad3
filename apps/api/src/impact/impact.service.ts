import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DepartmentEntity, type RuleSetEntity, SubmissionEntity, TargetDeclarationEntity } from '@jiping/persistence';
import {
  type IndicatorNode,
  inLang,
  isGroupNode,
  type Lang,
  type Localized,
  localized,
  type RuleSet,
  type Submission,
} from '@jiping/rules';
import {
  continuationMismatch,
  continuesRuleSet,
  type ImpactDepartment,
  impactFrameOf,
  type ImpactRow,
  ImpactSummary,
  type SimulationFrame,
  simulationFrameOf,
} from '@jiping/scoring';
import { type ScoringJob, type ScoringOutcome, ScoringPool } from '@jiping/scoring-workers';
import { In, Repository } from 'typeorm';
import { ApiError, ApiErrorCode, type ErrorDetail } from '../common/api-error';
import { RuleSetLoader } from '../rule-sets/rule-set-loader';
import { formatRuleSetRef, parseRuleSetRef } from '../rule-sets/rule-set-ref';
import { type SubmissionBody, toEngineSubmission } from '../submissions/engine-submission';
import type { ImpactRequestDto } from './dto/impact-request.dto';

/** Submissions read from the database per query, by department code. */
const PAGE_SIZE = 500;
/**
 * Pages read ahead of the scoring (besides the one being scored): while the workers start and compile the rule sets,
 * the next page is already being read, and a job's progress moves with each page read. Bounded: a page of parsed
 * submissions is some 25 MB.
 */
const READ_AHEAD_PAGES = 1;
/** A progress line every 5 % of the departments, and at least every 500. */
const progressStep = (total: number): number => Math.max(1, Math.min(500, Math.ceil(total / 20)));

const REF_POINTER = '/ref';
const AGAINST_POINTER = '/against';

interface Side {
  row: RuleSetEntity;
  ruleSet: RuleSet;
}

interface ImpactRun {
  before: Side;
  after: Side;
  year: number;
  total: number;
  rows: boolean;
  read?: (count: number) => void;
  everyChunk?: boolean;
  /** When the candidate continues `before`'s version (e.g. a 2022 draft on 2021 data): the departments' data is mapped. */
  simulation?: SimulationFrame;
  lang: Lang;
}

/** How the caller wants the stream: with a row per department or not, and in which language its texts are. */
export interface ImpactOptions {
  rows: boolean;
  lang?: Lang;
  /** Told the count of departments read so far, after each page (a job's first phase). */
  read?: (count: number) => void;
  /** A progress line per chunk scored (a job, whose writes are throttled) instead of every 5 %. */
  everyChunk?: boolean;
}

/** The error lines an impact job keeps in its result (every failure is counted in errorCount). */
const MAX_JOB_ERRORS = 100;

/** What an impact job leaves: the summary line (without its type), the first error lines and how many there were. */
export interface ImpactJobResult {
  summary: Record<string, unknown>;
  errors: object[];
  errorCount: number;
}

/** One line of the stream: a JSON object and a newline. */
const line = (value: object): string => JSON.stringify(value) + '\n';

/**
 * Rule-change impact: every department's latest submission of a year re-scored under the version in force and a
 * candidate (a draft is fine), on a pool of worker threads, streamed as NDJSON — progress, a row per department, an
 * error line per department that cannot be scored, then the summary ImpactSummary computes. Submissions are read a
 * page at a time, only as fast as the workers take them; nothing is stored.
 */
@Injectable()
export class ImpactService implements OnModuleDestroy {
  private readonly logger = new Logger(ImpactService.name);
  private pool?: ScoringPool;

  constructor(
    @InjectRepository(SubmissionEntity) private readonly submissions: Repository<SubmissionEntity>,
    @InjectRepository(TargetDeclarationEntity) private readonly declarations: Repository<TargetDeclarationEntity>,
    @InjectRepository(DepartmentEntity) private readonly departments: Repository<DepartmentEntity>,
    private readonly loader: RuleSetLoader,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.pool?.close();
  }

  /**
   * Checks the request and resolves both versions — every refusal happens here, before anything is streamed — and
   * returns the lines of the stream, produced as they are read.
   */
  async start(ref: string, dto: ImpactRequestDto, options: ImpactOptions): Promise<AsyncGenerator<string>> {
    return this.lines(await this.resolve(ref, dto, options));
  }

  /** Checks an impact request as start does (404, 422), without running it: an impact job is refused up front. */
  async check(ref: string, dto: ImpactRequestDto): Promise<void> {
    await this.resolve(ref, dto, { rows: false });
  }

  /**
   * Runs an impact analysis to its summary (an impact job): `progress` is told the departments scored, the total and
   * the departments read — after each page read (so that it moves while the workers start) and each chunk scored —
   * and stops the run when it answers true (the job was cancelled); `row`, when given, is handed each department's
   * row as it is scored (the job stores them). Returns undefined when stopped.
   */
  async run(
    ref: string,
    dto: ImpactRequestDto,
    lang: Lang,
    progress: (done: number, total: number, read: number) => Promise<boolean>,
    row?: (row: ImpactRow) => Promise<void>,
  ): Promise<ImpactJobResult | undefined> {
    // Pages are read ahead of the scoring: each report is made in turn with the counts as they are then, so that
    // what is written never goes back.
    const counts = { done: 0, total: 0, read: 0 };
    let reports = Promise.resolve(false);
    const report = (): Promise<boolean> =>
      (reports = reports.then(() => progress(counts.done, counts.total, counts.read)));
    const lines = await this.start(ref, dto, {
      rows: row !== undefined,
      lang,
      everyChunk: true,
      read: (count) => {
        counts.read = count;
        // a cancel is seen at the next scored chunk
        void report().catch(() => undefined);
      },
    });
    const errors: object[] = [];
    let failed = 0;
    for await (const text of lines) {
      const { type, ...value } = JSON.parse(text) as { type: string } & Record<string, unknown>;
      if (type === 'row') {
        await row?.(value as unknown as ImpactRow);
      } else if (type === 'progress') {
        counts.done = value.done as number;
        counts.total = value.total as number;
        if (await report()) return undefined; // closes the generator
      } else if (type === 'error') {
        if (value.department === undefined) throw new Error(String(value.message));
        failed++;
        if (errors.length < MAX_JOB_ERRORS) errors.push(value);
      } else if (type === 'summary') {
        return { summary: value, errors, errorCount: failed };
      }
    }
    throw new Error('the impact run ended without its summary');
  }

  /**
   * The two versions of a run as people name them (title and version number), and each indicator's Chinese path
   * (管理效能 › 资产管理 › 固定资产利用率 as names) by code, the candidate's first (an indicator the candidate dropped
   * keeps its old path): what an impact workbook prints.
   */
  async describe(
    ref: string,
    against: string,
  ): Promise<{ paths: Map<string, string[]>; versions: Array<{ title: string; versionNo: number }> }> {
    const paths = new Map<string, string[]>();
    const versions: Array<{ title: string; versionNo: number }> = [];
    for (const version of [ref, against]) {
      const row = await this.loader.findByRef(version, { includeDrafts: true });
      versions.push({ title: row.title, versionNo: row.versionNo });
      const walk = (nodes: readonly IndicatorNode[], above: string[]): void => {
        for (const node of nodes) {
          const path = [...above, node.name];
          if (!paths.has(node.code)) paths.set(node.code, path);
          if (isGroupNode(node)) walk(node.children, path);
        }
      };
      walk(this.loader.toRuleSet(row).file.indicators, []);
    }
    return { paths, versions };
  }

  private async resolve(ref: string, dto: ImpactRequestDto, options: ImpactOptions): Promise<ImpactRun> {
    assertRefs([
      [ref, REF_POINTER],
      [dto.against, AGAINST_POINTER],
    ]);
    const after = await this.side(ref, REF_POINTER);
    const before = await this.side(dto.against, AGAINST_POINTER);
    // The candidate may be of a later year when it continues `against` (its `continues`): a simulation.
    const simulating = continuesRuleSet(after.ruleSet, before.ruleSet);
    const wrongYear: ErrorDetail[] = [[after, REF_POINTER] as const, [before, AGAINST_POINTER] as const]
      .filter(([side]) => side.row.fiscalYear !== dto.year && !(side === after && simulating))
      .map(([side, pointer]) => ({ pointer, message: wrongYearMessage(side, before, dto.year, pointer) }));
    if (wrongYear.length > 0) {
      throw new ApiError(
        ApiErrorCode.VALIDATION_FAILED,
        localized(
          `两个规则集须针对 ${dto.year} 年度（被重新评分的年度），或候选版本声明承接 against 的版本（continues）`,
          `both rule sets must be for ${dto.year}, the year re-scored, or the candidate must continue against's version (continues)`,
        ),
        wrongYear,
      );
    }
    const total = await this.countDepartments(dto.year);
    return {
      before,
      after,
      year: dto.year,
      total,
      rows: options.rows,
      lang: options.lang ?? 'zh',
      read: options.read,
      everyChunk: options.everyChunk,
      ...(simulating && { simulation: simulationFrameOf(after.ruleSet, before.ruleSet) }),
    };
  }

  private async side(ref: string, pointer: string): Promise<Side> {
    const row = await this.loader.findByRef(ref, { includeDrafts: true, pointer });
    return { row, ruleSet: this.loader.toRuleSet(row) };
  }

  private async *lines(run: ImpactRun): AsyncGenerator<string> {
    const { before, after, total } = run;
    const refs = [formatRuleSetRef(before.row), formatRuleSetRef(after.row)];
    const summary = new ImpactSummary({
      before: impactFrameOf(before.ruleSet),
      after: impactFrameOf(after.ruleSet),
      ...(run.simulation && { assumptions: run.simulation.assumptions }),
    });
    const step = run.everyChunk ? 1 : progressStep(total);
    let done = 0;
    let reported = 0;
    yield line({ type: 'progress', done, total });
    try {
      this.pool ??= new ScoringPool();
      const scored = this.pool.score({
        ruleSets: [before.ruleSet, after.ruleSet],
        ...(run.simulation && { continuations: [undefined, before.ruleSet] }),
        jobs: this.jobs(run.year, run.read),
      });
      for await (const { context, outcomes } of scored) {
        const department = context!;
        done++;
        const [old, candidate] = outcomes;
        if (old.ok && candidate.ok) {
          const row = summary.add({ department, before: old.scoring, after: candidate.scoring });
          if (run.rows) yield line({ type: 'row', ...row });
        } else {
          summary.addFailure();
          for (const [i, outcome] of outcomes.entries()) {
            if (!outcome.ok) yield line(errorLine(department, refs[i], outcome));
          }
        }
        if (done - reported >= step) {
          reported = done;
          yield line({ type: 'progress', done, total });
        }
      }
    } catch (error) {
      this.logger.error(
        `impact of ${refs[1]} against ${refs[0]} failed: ${(error as Error).message}`,
        (error as Error).stack,
      );
      yield line({
        type: 'error',
        code: ApiErrorCode.INTERNAL,
        message: inLang(
          localized('影响分析中断，未生成汇总：请稍后重试', 'the impact run failed; no summary follows'),
          run.lang,
        ),
        details: [],
      });
      return;
    }
    if (reported !== done) yield line({ type: 'progress', done, total });
    yield line({
      type: 'summary',
      year: run.year,
      ruleSet: ruleSetLine(after.row),
      against: ruleSetLine(before.row),
      ...(run.simulation && { simulation: simulationLine(run.simulation, before.row, after.row, run.lang) }),
      ...summary.result(),
    });
  }

  private async countDepartments(year: number): Promise<number> {
    const counted = await this.submissions
      .createQueryBuilder('s')
      .select('COUNT(DISTINCT s.departmentCode)', 'count')
      .where('s.fiscalYear = :year', { year })
      .getRawOne<{ count: number | string }>();
    return Number(counted?.count ?? 0);
  }

  /**
   * Each department's latest submission of the year, with the declared targets it was made under, as engine
   * submissions: a page of PAGE_SIZE departments per query, in department-code order, READ_AHEAD_PAGES read ahead of
   * the one being scored; `read` is told the count read after each page.
   */
  private async *jobs(year: number, read?: (count: number) => void): AsyncGenerator<ScoringJob<ImpactDepartment>> {
    let after = '';
    let ended = false;
    let count = 0;
    let chain: Promise<unknown> = Promise.resolve();
    const pages: Array<Promise<Array<ScoringJob<ImpactDepartment>>>> = [];
    // pages are read one after the other (each starts after the last code of the one before)
    const readNext = (): void => {
      const page = chain.then(async () => {
        if (ended) return [];
        const { jobs, last, full } = await this.page(year, after);
        after = last;
        ended = !full;
        count += jobs.length;
        if (jobs.length > 0) read?.(count);
        return jobs;
      });
      // a page read ahead and never awaited (the run was stopped) must not fail unhandled
      page.catch(() => undefined);
      chain = page.catch(() => undefined);
      pages.push(page);
    };
    for (let i = 0; i <= READ_AHEAD_PAGES; i++) readNext();
    try {
      for (;;) {
        const jobs = await pages.shift()!;
        if (jobs.length === 0) return;
        yield* jobs;
        readNext();
      }
    } finally {
      ended = true;
    }
  }

  /** One page of departments after `after`: their engine submissions, the last code, and whether the page is full. */
  private async page(
    year: number,
    after: string,
  ): Promise<{ jobs: Array<ScoringJob<ImpactDepartment>>; last: string; full: boolean }> {
    const latest = await this.submissions
      .createQueryBuilder('s')
      .select('s.departmentCode', 'code')
      .addSelect('MAX(s.revision)', 'revision')
      .where('s.fiscalYear = :year', { year })
      .andWhere('s.departmentCode > :after', { after })
      .groupBy('s.departmentCode')
      .orderBy('s.departmentCode', 'ASC')
      .limit(PAGE_SIZE)
      .getRawMany<{ code: string; revision: number | string }>();
    if (latest.length === 0) return { jobs: [], last: after, full: false };
    const rows = await this.submissions.find({
      select: ['departmentCode', 'revision', 'targetRevision', 'content'],
      where: latest.map((l) => ({ departmentCode: l.code, fiscalYear: year, revision: Number(l.revision) })),
    });
    const codes = rows.map((r) => r.departmentCode);
    const declared = rows.filter((r) => r.targetRevision != null);
    const declarations =
      declared.length === 0
        ? []
        : await this.declarations.find({
            select: ['departmentCode', 'revision', 'content'],
            where: declared.map((r) => ({
              departmentCode: r.departmentCode,
              fiscalYear: year,
              revision: r.targetRevision!,
            })),
          });
    const targets = new Map(declarations.map((d) => [d.departmentCode, d]));
    const names = new Map(
      (await this.departments.find({ select: ['code', 'name'], where: { code: In(codes) } })).map((d) => [
        d.code,
        d.name,
      ]),
    );
    rows.sort((a, b) => (a.departmentCode < b.departmentCode ? -1 : a.departmentCode > b.departmentCode ? 1 : 0));
    const jobs = rows.map((row) => {
      const department = { code: row.departmentCode, name: names.get(row.departmentCode) ?? row.departmentCode };
      const declaration = targets.get(row.departmentCode);
      const submission = toEngineSubmission({
        department,
        fiscalYear: year,
        body: JSON.parse(row.content) as SubmissionBody,
        targets:
          declaration && declaration.revision === row.targetRevision
            ? (JSON.parse(declaration.content) as Submission['targets'])
            : undefined,
      });
      return { id: department.code, submission, context: department };
    });
    return { jobs, last: latest[latest.length - 1].code, full: latest.length === PAGE_SIZE };
  }
}

/** Both references must parse; every malformed one is named (422). */
function assertRefs(refs: Array<[ref: string, pointer: string]>): void {
  const details: ErrorDetail[] = [];
  for (const [ref, pointer] of refs) {
    try {
      parseRuleSetRef(ref, pointer);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      details.push(...error.details);
    }
  }
  if (details.length > 0) {
    throw new ApiError(
      ApiErrorCode.VALIDATION_FAILED,
      localized('请用规则集引用写明两个版本', 'name both versions as rule-set references'),
      details,
    );
  }
}

/** Why a version cannot re-score the year's submissions: another year, and (the candidate) not a continuation. */
function wrongYearMessage(side: Side, before: Side, year: number, pointer: string): Localized {
  const ref = formatRuleSetRef(side.row);
  const plain = localized(
    `${ref} 是 ${side.row.fiscalYear} 年度的；${year} 年的提交数据按 ${year} 年度的规则集评分`,
    `${ref} is for ${side.row.fiscalYear}; submissions of ${year} are scored by a rule set for ${year}`,
  );
  if (pointer !== REF_POINTER || before.row.fiscalYear !== year) return plain;
  return continuationMismatch(side.ruleSet, before.ruleSet) ?? plain;
}

/** What the stream simulated, in the caller's language: the summary line's `simulation`. */
function simulationLine(frame: SimulationFrame, from: RuleSetEntity, to: RuleSetEntity, lang: Lang): object {
  return {
    description: inLang(frame.description, lang),
    from: { ref: formatRuleSetRef(from), ...frame.from },
    to: { ref: formatRuleSetRef(to), ...frame.to },
    notes: frame.notes.map((note) => ({ kind: note.kind, code: note.code, message: inLang(note.message, lang) })),
  };
}

const ruleSetLine = (row: RuleSetEntity): { ref: string; status: string; checksum: string } => ({
  ref: formatRuleSetRef(row),
  status: row.status,
  checksum: row.checksum,
});

function errorLine(department: ImpactDepartment, ruleSet: string, outcome: ScoringOutcome & { ok: false }): object {
  const { code, message, problems } = outcome.error;
  return { type: 'error', department, ruleSet, code, message, details: problems };
}
