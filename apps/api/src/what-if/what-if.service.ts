import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InlineRuleSets, InlineRuleSetsError, InlineRuleSetsErrorCode } from '@jiping/scoring-workers';
import type { DepartmentEntity, RuleSetEntity, SubmissionEntity } from '@jiping/persistence';
import {
  asLocalized,
  checkedRuleSet,
  inLang,
  type Lang,
  localized,
  type RuleSet,
  RuleSetError,
  type RuleSetErrorCode,
  type Submission,
} from '@jiping/rules';
import {
  applyChanges,
  attributeToChanges,
  compareReports,
  type CompiledRuleSet,
  compileRuleSet,
  compiledRuleSetFor,
  continuationMismatch,
  continuesRuleSet,
  type ScoreReport,
  scoreSubmission,
  ScoringError,
  ScoringErrorCode,
  type SubmissionChange,
  simulate,
  type Simulation,
} from '@jiping/scoring';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { DepartmentsService } from '../departments/departments.service';
import { RuleSetLoader } from '../rule-sets/rule-set-loader';
import { formatRuleSetRef, parseRuleSetRef } from '../rule-sets/rule-set-ref';
import { SubmissionsService } from '../submissions/submissions.service';
import { isScenarioList, type WhatIfRequest, type WhatIfScenarioDto } from './dto/what-if-request.dto';
import type { WhatIfResultDto, WhatIfResultsDto, WhatIfRuleSetDto } from './dto/what-if-result.dto';
import { simulationDto } from './dto/what-if-simulation.dto';

/** The rule set a scenario's changed submission is scored with. */
interface AfterRuleSet {
  compiled: CompiledRuleSet;
  ref: WhatIfRuleSetDto;
  /** Sent with the request: problems in its file point under /ruleSet. */
  inline: boolean;
}

/**
 * What a scenario reads of its base besides the changes: the rule-set version it was validated with, the base as the
 * engine sees it, and its score under that version. All of it depends only on rows that never change — a submission
 * revision, its target revision, and a rule-set version a submission was accepted under (published then: only its
 * status changes later) — and on the department's name. So it is kept for the next scenario on the same base, and
 * never modified: applyChanges copies the submission, compareReports only reads the report.
 */
interface StoredBase {
  /** As RuleSetLoader reads it; a scenario reads its reference and checksum, never its status (that may change). */
  validatedWith: Promise<RuleSetEntity>;
  submission: Promise<Submission>;
  /** Scored on first use, where a scenario scores its "before". */
  before: () => Promise<ScoreReport>;
}

/** The bytes of an inline rule file the body parser left out of the body, by the placeholder left in its place. */
export type InlineBytes = (ruleSet: unknown) => Uint8Array | undefined;

/** How many bases are kept (each holds a submission and a ScoreReport: some hundred kB). */
const BASE_CACHE_LIMIT = 64;

/**
 * What-if for one department: a stored submission, changed in memory, scored by the engine before and after, and
 * compared. A read: nothing is stored, not even an audit entry.
 */
@Injectable()
export class WhatIfService implements OnModuleDestroy {
  private readonly bases = new Map<string, StoredBase>();

  constructor(
    private readonly loader: RuleSetLoader,
    private readonly departments: DepartmentsService,
    private readonly submissions: SubmissionsService,
    private readonly inline: InlineRuleSets,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.inline.close();
  }

  /** One scenario → one result; { scenarios } → { scenarios } in the same order, all scored before answering. */
  async ask(
    request: WhatIfRequest,
    principal: Principal,
    lang: Lang = 'zh',
    inlineBytes: InlineBytes = () => undefined,
  ): Promise<WhatIfResultDto | WhatIfResultsDto> {
    if (!isScenarioList(request)) return this.scenario(request, principal, '', lang, inlineBytes);
    const settled = await Promise.allSettled(
      request.scenarios.map((scenario, index) =>
        this.scenario(scenario, principal, `/scenarios/${index}`, lang, inlineBytes),
      ),
    );
    const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
    if (failures.length > 0) throw mergeFailures(failures);
    return { scenarios: settled.map((s) => (s as PromiseFulfilledResult<WhatIfResultDto>).value) };
  }

  /**
   * Load → apply the changes → score before and after → compare. `at` prefixes the pointers of its problems. When the
   * chosen rule set continues the version the base was made under (its `continues`, e.g. a 2022 draft on 2021 data),
   * the changed data is mapped onto it first and the result carries `simulation`.
   */
  private async scenario(
    scenario: WhatIfScenarioDto,
    principal: Principal,
    at: string,
    lang: Lang,
    inlineBytes: InlineBytes,
  ): Promise<WhatIfResultDto> {
    const { year } = scenario;
    const department = await this.departments.findVisible(scenario.department, principal);
    const base = await this.submissions.findRevision(
      department.code,
      year,
      scenario.base === undefined || scenario.base === 'latest' ? undefined : scenario.base,
      { withContent: false }, // its data is read with the base, once
    );
    const stored = this.storedBase(department, base);
    const validatedWith = await stored.validatedWith;
    const submission = await stored.submission;
    const changes: SubmissionChange[] = scenario.changes ?? [];
    const changed = withPointersUnder(at, () => applyChanges(submission, changes));
    const after = await this.afterRuleSet(
      scenario.ruleSet,
      validatedWith,
      year,
      principal,
      `${at}/ruleSet`,
      inlineBytes,
    );
    const earlier = this.loader.compiled(validatedWith).ruleSet;
    const simulating = simulates(after, earlier, year, `${at}/ruleSet`);
    const before = await stored.before();
    let report: ScoreReport;
    let simulation: Simulation | undefined;
    try {
      if (simulating) ({ report, simulation } = await simulate(after.compiled, earlier, changed));
      else report = await scoreSubmission(after.compiled, changed);
    } catch (error) {
      throw blameChanges(simulating ? underRuleSet(error, after, `${at}/ruleSet`) : error, changes, at);
    }
    // An inline rule file's report repeats its texts (hundreds of kB to serialise): other requests get a turn on this
    // thread between scoring it and answering it, rather than waiting for both.
    if (after.inline) await new Promise((resolve) => setImmediate(resolve));
    return {
      department: department.code,
      year,
      base: {
        revision: base.revision,
        targetRevision: base.targetRevision,
        ruleSet: { ref: formatRuleSetRef(validatedWith), checksum: validatedWith.checksum },
      },
      ruleSet: after.ref,
      report,
      comparison: compareReports(before, report),
      ...(simulation && {
        simulation: simulationDto(simulation, lang, formatRuleSetRef(validatedWith), after.ref.ref),
      }),
    };
  }

  /**
   * "published" or nothing: the version in force of the rule set the base was validated with; a reference: that
   * stored version (drafts only for evaluators and admins); an object: an inline rule file, checked fully (schema,
   * meaning, embedded tests) and never stored. A version of another year must continue the base's (see simulates).
   */
  private async afterRuleSet(
    choice: WhatIfScenarioDto['ruleSet'],
    validatedWith: RuleSetEntity,
    year: number,
    principal: Principal,
    pointer: string,
    inlineBytes: InlineBytes,
  ): Promise<AfterRuleSet> {
    if (choice !== undefined && typeof choice !== 'string') {
      return this.inlineRuleSet(choice, principal, pointer, inlineBytes);
    }
    let row: RuleSetEntity;
    if (choice === undefined || choice === 'published') {
      row = await this.loader.findPublishedForYear(year, validatedWith.ruleSetId);
    } else {
      parseRuleSetRef(choice, pointer);
      row = await this.loader.findByRef(choice, { includeDrafts: principal.role !== 'department', pointer });
    }
    return {
      compiled: this.loader.compiled(row),
      ref: { ref: formatRuleSetRef(row), checksum: row.checksum },
      inline: false,
    };
  }

  /**
   * An inline draft rule file: evaluators and admins only, size-limited, checked like an upload (pointers under
   * `pointer`) on the inline rules worker within its time budget (schema, meaning, embedded tests: what grows with
   * the file), then compiled; never stored.
   */
  private async inlineRuleSet(
    file: Record<string, unknown>,
    principal: Principal,
    pointer: string,
    inlineBytes: InlineBytes,
  ): Promise<AfterRuleSet> {
    if (principal.role === 'department') {
      throw new ApiError(
        ApiErrorCode.FORBIDDEN,
        localized(
          '只有评价人员和管理员可以在假设分析中使用内联规则文件：请使用已发布或已上传的规则集',
          'only evaluator and admin keys may send an inline rule file; name a stored rule set instead',
        ),
        [{ pointer, message: localized('部门账号不能发送内联规则文件', 'department keys cannot send a rule file') }],
      );
    }
    // the file's bytes as sent, when the body parser left them out of the body (the worker decodes and parses them)
    const bytes = inlineBytes(file);
    const sent = bytes ?? JSON.stringify(file);
    const checked = await this.inline.run(sent, []).catch((error: unknown) => {
      throw inlineRulesFailure(error, pointer);
    });
    if (checked.kind === 'refused') {
      throw new RuleSetError(
        checked.code as RuleSetErrorCode,
        checked.message,
        checked.problems.map((p) => ({ ...p, pointer: pointer + p.pointer })),
      );
    }
    // Checked on the worker already: taken as it is with the checksum the worker computed (checking and hashing a
    // large file again here would hold up every other request), and parsed only when it is not compiled yet
    // (compiled sets are kept by checksum).
    const compiled =
      compiledRuleSetFor(checked.checksum) ??
      compileRuleSet(checkedRuleSet(checked.text ?? (sent as string), checked.checksum));
    return { compiled, ref: { ref: 'inline', checksum: checked.checksum }, inline: true };
  }

  /**
   * The base of a scenario, kept by submission row and department name (most recently used last, at most
   * BASE_CACHE_LIMIT) and shared by concurrent scenarios. A failure is not kept: the next scenario reads it again.
   */
  private storedBase(department: DepartmentEntity, base: SubmissionEntity): StoredBase {
    const key = `${base.id}\u0000${department.name}`;
    let stored = this.bases.get(key);
    if (stored) {
      this.bases.delete(key);
    } else {
      const entry = this.readBase(department, base, () => {
        if (this.bases.get(key) === entry) this.bases.delete(key);
      });
      stored = entry;
      if (this.bases.size >= BASE_CACHE_LIMIT) this.bases.delete(this.bases.keys().next().value!);
    }
    this.bases.set(key, stored);
    return stored;
  }

  /**
   * Reads a base in the order a scenario needs it; `forget` is called on the first failure. `base` is a row read
   * without its data: the data is read here, once per base.
   */
  private readBase(department: DepartmentEntity, base: SubmissionEntity, forget: () => void): StoredBase {
    const validatedWith = (async () => {
      const row = await this.loader.findById(base.ruleSetRowId);
      if (!row) throw missingRuleSetRow(base);
      return row;
    })();
    const submission = validatedWith.then(async () =>
      this.submissions.engineSubmission(
        department,
        await this.submissions.findRevision(base.departmentCode, base.fiscalYear, base.revision),
      ),
    );
    validatedWith.catch(forget);
    submission.catch(forget);
    let before: Promise<ScoreReport> | undefined;
    return {
      validatedWith,
      submission,
      before: () => {
        if (!before) {
          before = (async () => scoreSubmission(this.loader.compiled(await validatedWith), await submission))();
          before.catch(forget);
        }
        return before;
      },
    };
  }
}

function missingRuleSetRow(base: SubmissionEntity): ApiError {
  return new ApiError(
    ApiErrorCode.INTERNAL,
    localized(
      `第 ${base.revision} 版填报所依据的规则集（${base.ruleSetRowId}）不存在`,
      `submission revision ${base.revision} names rule-set row ${base.ruleSetRowId}, which is missing`,
    ),
  );
}

/** What the inline rules worker could not do, as the caller reads it. */
function inlineRulesFailure(error: unknown, pointer: string): unknown {
  if (!(error instanceof InlineRuleSetsError)) return error;
  if (error.code === InlineRuleSetsErrorCode.BUSY || error.code === InlineRuleSetsErrorCode.CLOSED) {
    return new ApiError(
      ApiErrorCode.SERVICE_UNAVAILABLE,
      localized(
        '正在检查的内联规则文件过多，请稍后重试',
        'too many inline rule files are being checked; try again shortly',
      ),
      [],
      5,
    );
  }
  return new ApiError(
    ApiErrorCode.RULE_SET_TOO_COSTLY,
    error.code === InlineRuleSetsErrorCode.TIMEOUT
      ? localized(
          '内联规则文件的检查超过时限，未完成：请上传为草稿（POST /rule-sets）后按版本引用',
          'checking the inline rule file took too long; upload it as a draft (POST /rule-sets) and name its version',
        )
      : localized(
          '内联规则文件无法检查：请上传为草稿（POST /rule-sets）查看问题',
          'the inline rule file could not be checked; upload it as a draft (POST /rule-sets) to see why',
        ),
    [{ pointer, message: localized('内联规则文件过于复杂', 'the inline rule file is too costly to check') }],
  );
}

/**
 * Whether a scenario is a simulation: the rule set continues the version the base was made under (a 2022 draft with
 * `continues` 2021 on 2021 data — no flag needed). A rule set of another year that does not continue it is refused,
 * saying how to declare the continuation.
 */
function simulates(after: AfterRuleSet, earlier: RuleSet, year: number, pointer: string): boolean {
  const later = after.compiled.ruleSet;
  if (continuesRuleSet(later, earlier)) return true;
  if (later.file.fiscalYear === year) return false;
  const why = continuationMismatch(later, earlier)!;
  const at = after.inline ? `${pointer}/${later.file.continues ? 'continues' : 'fiscalYear'}` : pointer;
  throw new ApiError(ApiErrorCode.VALIDATION_FAILED, why, [{ pointer: at, message: why }]);
}

/** The problems of a simulation that point into the rule file (CANNOT_SIMULATE) point under /ruleSet when it is inline. */
function underRuleSet(error: unknown, after: AfterRuleSet, pointer: string): unknown {
  if (!(error instanceof ScoringError) || error.code !== ScoringErrorCode.CANNOT_SIMULATE) return error;
  const problems = error.problems.map((p) =>
    after.inline
      ? { ...p, pointer: pointer + p.pointer }
      : {
          pointer,
          message: localized(
            `${inLang(p.message, 'zh')}（${after.ref.ref} ${p.pointer}）`,
            `${inLang(p.message, 'en')} (${after.ref.ref} ${p.pointer})`,
          ),
        },
  );
  return new ScoringError(error.code, error.message, problems);
}

/** Runs work whose domain errors point into a part of the request; rethrows them with `prefix` on every pointer. */
function withPointersUnder<T>(prefix: string, work: () => T): T {
  const rethrow = (error: unknown): never => {
    throw prefixPointers(error, prefix);
  };
  try {
    const result = work();
    return (result instanceof Promise ? result.catch(rethrow) : result) as T;
  } catch (error) {
    return rethrow(error);
  }
}

function prefixPointers(error: unknown, prefix: string): unknown {
  if (prefix === '') return error;
  const under = <P extends { pointer: string }>(problems: readonly P[]): P[] =>
    problems.map((p) => ({ ...p, pointer: prefix + p.pointer }));
  if (error instanceof ScoringError) return new ScoringError(error.code, error.text, under(error.problems));
  if (error instanceof RuleSetError) return new RuleSetError(error.code, error.text, under(error.problems));
  return error;
}

/**
 * The changed submission did not score: its problems keep their submission pointers (/inputs/…) and name the change
 * that caused them; in a list of scenarios, the scenario too.
 */
function blameChanges(error: unknown, changes: SubmissionChange[], at: string): unknown {
  if (!(error instanceof ScoringError)) return error;
  const number = at === '' ? undefined : at.slice('/scenarios/'.length);
  const scenario =
    number === undefined
      ? { zh: '', en: '' }
      : { zh: `（第 ${Number(number) + 1} 个情景）`, en: ` (scenario ${number})` };
  const attributed = attributeToChanges(error.problems, changes, (index) => `${at}/changes/${index}`);
  const problems = attributed.map((problem, index) =>
    number !== undefined && problem.message === error.problems[index].message
      ? { ...problem, message: localized(problem.message.zh + scenario.zh, problem.message.en + scenario.en) }
      : problem,
  );
  const text = asLocalized(error.text);
  return new ScoringError(
    error.code,
    localized(`按模拟修改${scenario.zh}后，${text.zh}`, `after the what-if changes${scenario.en}, ${text.en}`),
    problems,
  );
}

/**
 * One error for the failed scenarios of a list: their submission problems merged when every failure is one
 * (INVALID_SUBMISSION), else the first scenario's error as it is.
 */
function mergeFailures(failures: unknown[]): unknown {
  const invalid = failures.filter(
    (f): f is ScoringError => f instanceof ScoringError && f.code === ScoringErrorCode.INVALID_SUBMISSION,
  );
  if (invalid.length !== failures.length || invalid.length === 1) return failures[0];
  return new ScoringError(
    ScoringErrorCode.INVALID_SUBMISSION,
    localized(
      `${invalid.length} 个情景无法评分：${invalid.map((f) => asLocalized(f.text).zh).join('；')}`,
      `${invalid.length} scenarios cannot be scored: ${invalid.map((f) => f.message).join('; ')}`,
    ),
    invalid.flatMap((f) => f.problems),
  );
}
