import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { fitsDecimalColumn, RuleSetEntity, type RuleSetStatus, SCORE_COLUMN } from '@jiping/persistence';
import {
  diffRuleSets,
  type Lang,
  localized,
  parseRuleFileText,
  type RuleProblem,
  type RuleSet,
  RuleSetError,
  type RuleWarning,
  RuleSetErrorCode,
} from '@jiping/rules';
import { checkRuleFile, D, MIN_TESTS_TO_PUBLISH } from '@jiping/scoring';
import { randomUUID } from 'node:crypto';
import { DataSource, type FindOptionsWhere, In, Repository } from 'typeorm';
import { type AuditAction, type AuditEntry, AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode, type ErrorDetail } from '../common/api-error';
import { KeyedMutex } from '../common/keyed-mutex';
import { insertWithNextNumber } from '../common/next-number';
import type { ListRuleSetsQueryDto } from './dto/list-rule-sets-query.dto';
import type { RuleSetDiffDto } from './dto/rule-set-diff.dto';
import type { RuleSetDto, RuleSetWithContentDto } from './dto/rule-set.dto';
import { RuleSetLoader } from './rule-set-loader';
import { formatRuleSetRef, parseRuleSetRef } from './rule-set-ref';

/** Where a path parameter's problems point. */
const REF_POINTER = '/ref';
const AGAINST_POINTER = '/against';

/** Column widths of rule_set a file's id, version and title must fit (the schema sets no maximum). */
const COLUMN_LIMITS: Array<[key: 'id' | 'version' | 'title', max: number]> = [
  ['id', 64],
  ['version', 32],
  ['title', 200],
];

/** evaluation.grade is varchar(16). */
const GRADE_LABEL_LENGTH = 16;
const DECIMAL_TEXT = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** A rule file that passed every check, with the text to store. */
export interface AcceptedFile {
  ruleSet: RuleSet;
  content: string;
  warnings: RuleWarning[];
}

/** A stored version and the warnings about its file. */
export interface AcceptedRuleSet {
  row: RuleSetDto;
  warnings: RuleWarning[];
}

/**
 * The rule-set lifecycle: upload a draft (validated fully, embedded tests run), replace it while it is a draft,
 * publish it (the version in force before becomes superseded), delete drafts, list, read and diff versions.
 * Department keys never see drafts.
 */
@Injectable()
export class RuleSetsService {
  /** Serialises publishing per (rule-set id, fiscal year) in this process; conditional updates guard the rest. */
  private readonly publishing = new KeyedMutex();

  constructor(
    @InjectRepository(RuleSetEntity) private readonly rows: Repository<RuleSetEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly loader: RuleSetLoader,
    private readonly audit: AuditService,
  ) {}

  /** Stores a valid rule file as the next draft version of its (id, fiscal year). */
  async upload(body: unknown, principal: Principal): Promise<AcceptedRuleSet> {
    const { ruleSet, content, warnings } = await acceptRuleFile(body);
    const stored = await this.storedWarnings(ruleSet);
    const saved = await insertWithNextNumber(
      this.rows,
      { ruleSetId: ruleSet.id, fiscalYear: ruleSet.file.fiscalYear },
      'versionNo',
      (versionNo) =>
        this.rows.create({
          id: randomUUID(),
          ruleSetId: ruleSet.id,
          fiscalYear: ruleSet.file.fiscalYear,
          versionNo,
          fileVersion: ruleSet.version,
          title: ruleSet.file.title,
          status: 'draft',
          checksum: ruleSet.checksum,
          content,
          createdBy: principal.name,
          createdAt: new Date(),
          publishedBy: null,
          publishedAt: null,
        }),
      (saved, manager) => this.audit.record(principal, ruleSetEntry('rule-set.uploaded', saved), manager),
    );
    return { row: toRuleSetDto(await this.rows.findOneByOrFail({ id: saved.id })), warnings: [...stored, ...warnings] };
  }

  /**
   * The upload checks against what is stored for the same (id, fiscal year), other than `except`: a file identical
   * to a stored version (same checksum), or one that reuses a stored `version` with other content.
   */
  async storedWarnings(ruleSet: RuleSet, except?: string): Promise<RuleWarning[]> {
    const rows = (
      await this.rows.find({
        where: { ruleSetId: ruleSet.id, fiscalYear: ruleSet.file.fiscalYear },
        select: { id: true, ruleSetId: true, fiscalYear: true, versionNo: true, fileVersion: true, checksum: true },
        order: { versionNo: 'ASC' },
      })
    ).filter((row) => row.id !== except);
    const same = rows.find((row) => row.checksum === ruleSet.checksum);
    if (same) {
      const ref = formatRuleSetRef(same);
      return [
        {
          kind: 'identical-upload',
          pointer: '',
          message: localized(
            `与已保存的第 ${same.versionNo} 版（${ref}）内容完全相同：无需再次上传，可直接使用该版本`,
            `identical to stored version ${ref}: there is no need to upload it again`,
          ),
        },
      ];
    }
    const reused = rows.find((row) => row.fileVersion === ruleSet.version);
    if (!reused) return [];
    const ref = formatRuleSetRef(reused);
    return [
      {
        kind: 'version-reused',
        pointer: '/version',
        message: localized(
          `版本号“${ruleSet.version}”已被第 ${reused.versionNo} 版（${ref}）使用，但内容不同：请改用新的版本号，以免两份不同的规则同名`,
          `version "${ruleSet.version}" is already used by ${ref}, with other content: give this file a new version`,
        ),
      },
    ];
  }

  async list(query: ListRuleSetsQueryDto, principal: Principal): Promise<RuleSetDto[]> {
    const visible: RuleSetStatus[] =
      principal.role === 'department' ? ['published', 'superseded'] : ['draft', 'published', 'superseded'];
    const statuses = query.status ? visible.filter((status) => status === query.status) : visible;
    if (statuses.length === 0) return [];
    const where: FindOptionsWhere<RuleSetEntity> = { status: In(statuses) };
    if (query.id !== undefined) where.ruleSetId = query.id;
    if (query.year !== undefined) where.fiscalYear = query.year;
    const rows = await this.rows.find({ where, order: { ruleSetId: 'ASC', fiscalYear: 'ASC', versionNo: 'ASC' } });
    return rows.map(toRuleSetDto);
  }

  async get(ref: string, principal: Principal): Promise<RuleSetWithContentDto> {
    const row = await this.loader.findByRef(ref, {
      includeDrafts: seesDrafts(principal),
      pointer: REF_POINTER,
      withContent: true,
    });
    return { ...toRuleSetDto(row), content: JSON.parse(row.content) as Record<string, unknown> };
  }

  /** Replaces a draft's file; its id and fiscal year stay, so does its version number. */
  async replace(ref: string, body: unknown, principal: Principal): Promise<AcceptedRuleSet> {
    const row = await this.loader.findByRef(ref, { includeDrafts: true, pointer: REF_POINTER });
    assertDraft(row, 'changed');
    const { ruleSet, content, warnings } = await acceptRuleFile(body, (file) => identityProblems(file, row));
    const stored = await this.storedWarnings(ruleSet, row.id);
    const changes = { content, checksum: ruleSet.checksum, title: ruleSet.file.title, fileVersion: ruleSet.version };
    const current = await this.dataSource.transaction(async (manager) => {
      const rows = manager.getRepository(RuleSetEntity);
      const result = await rows.update({ id: row.id, status: 'draft' }, changes);
      const current = await rows.findOneBy({ id: row.id });
      // Published or deleted between the read and the write: the conditional update matched nothing.
      if (!current) throw ApiError.notFound(localized(`规则集“${ref}”`, `rule set "${ref}"`));
      if (!result.affected) assertDraft(current, 'changed');
      await this.audit.record(principal, ruleSetEntry('rule-set.updated', current), manager);
      return current;
    });
    return { row: toRuleSetDto(current), warnings: [...stored, ...warnings] };
  }

  /** Draft → published in one transaction; the version published before becomes superseded. */
  async publish(ref: string, principal: Principal): Promise<RuleSetDto> {
    const row = await this.loader.findByRef(ref, { includeDrafts: true, pointer: REF_POINTER });
    assertDraft(row, 'published again');
    const { file } = this.loader.toRuleSet(row); // the stored file still matches its checksum
    if (file.tests.length < MIN_TESTS_TO_PUBLISH) {
      throw new ApiError(
        ApiErrorCode.PRECONDITION_MISSING,
        localized(
          `规则集“${ref}”只有 ${file.tests.length} 个内嵌测试，发布前至少需要 ${MIN_TESTS_TO_PUBLISH} 个：请补充测试（填报数据和应得的总分、等次）后上传新版本再发布`,
          `rule set "${ref}" has ${file.tests.length} embedded test(s); publishing needs at least ${MIN_TESTS_TO_PUBLISH}: add tests (a submission with its expected total and grade), upload, then publish`,
        ),
        [
          {
            pointer: '/tests',
            path: '内嵌测试',
            message: localized(
              `至少需要 ${MIN_TESTS_TO_PUBLISH} 个内嵌测试，现有 ${file.tests.length} 个`,
              `at least ${MIN_TESTS_TO_PUBLISH} embedded tests are needed; there are ${file.tests.length}`,
            ),
          },
        ],
      );
    }
    const published = await this.publishing.run(`${row.ruleSetId}:${row.fiscalYear}`, () =>
      this.dataSource.transaction(async (manager) => {
        const rows = manager.getRepository(RuleSetEntity);
        await rows.update(
          { ruleSetId: row.ruleSetId, fiscalYear: row.fiscalYear, status: 'published' },
          { status: 'superseded' },
        );
        const result = await rows.update(
          { id: row.id, status: 'draft' },
          { status: 'published', publishedBy: principal.name, publishedAt: new Date() },
        );
        if (!result.affected) {
          // Changed by another request meanwhile: throwing rolls back the superseding above.
          const current = await rows.findOneBy({ id: row.id });
          if (!current) throw ApiError.notFound(localized(`规则集“${ref}”`, `rule set "${ref}"`));
          assertDraft(current, 'published again');
        }
        const published = await rows.findOneByOrFail({ id: row.id });
        await this.audit.record(principal, ruleSetEntry('rule-set.published', published), manager);
        return published;
      }),
    );
    return toRuleSetDto(published);
  }

  async remove(ref: string, principal: Principal): Promise<void> {
    const row = await this.loader.findByRef(ref, { includeDrafts: true, pointer: REF_POINTER });
    assertDraft(row, 'deleted');
    await this.dataSource.transaction(async (manager) => {
      const rows = manager.getRepository(RuleSetEntity);
      const result = await rows.delete({ id: row.id, status: 'draft' });
      if (!result.affected) {
        const current = await rows.findOneBy({ id: row.id });
        if (current) assertDraft(current, 'deleted');
        return;
      }
      await this.audit.record(principal, ruleSetEntry('rule-set.deleted', row), manager);
    });
  }

  /** What changed from `against` to `ref`. */
  async diff(ref: string, against: string, principal: Principal, lang: Lang = 'zh'): Promise<RuleSetDiffDto> {
    const details: ErrorDetail[] = [];
    for (const [text, pointer] of [
      [ref, REF_POINTER],
      [against, AGAINST_POINTER],
    ]) {
      try {
        parseRuleSetRef(text, pointer);
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
    const includeDrafts = seesDrafts(principal);
    const to = await this.loader.findByRef(ref, { includeDrafts, pointer: REF_POINTER });
    const from = await this.loader.findByRef(against, { includeDrafts, pointer: AGAINST_POINTER });
    const diff = diffRuleSets(this.loader.toRuleSet(from), this.loader.toRuleSet(to), { lang });
    return { fromRef: formatRuleSetRef(from), toRef: formatRuleSetRef(to), ...diff };
  }
}

const seesDrafts = (principal: Principal): boolean => principal.role !== 'department';

/** The audit entry of a rule-set action: the version by its ref, with its row id and checksum. */
export function ruleSetEntry(action: AuditAction, row: RuleSetEntity): AuditEntry {
  return {
    action,
    entityType: 'rule-set',
    entityId: formatRuleSetRef(row),
    fiscalYear: row.fiscalYear,
    details: { rowId: row.id, fileVersion: row.fileVersion, checksum: row.checksum },
  };
}

/** Only a draft may change; a published version is immutable and a superseded one is history. */
function assertDraft(row: RuleSetEntity, what: 'changed' | 'published again' | 'deleted'): void {
  if (row.status === 'draft') return;
  const ref = formatRuleSetRef(row);
  const status = STATUS_LABELS[row.status] ?? row.status;
  throw ApiError.conflict(
    what === 'published again'
      ? localized(
          `规则集“${ref}”${status}，不是草稿：只有草稿可以发布`,
          `rule set "${ref}" is ${row.status}, not a draft: only a draft can be published`,
        )
      : localized(
          `规则集“${ref}”${status}，不能${what === 'changed' ? '修改' : '删除'}：已发布的规则集不可更改，请上传新版本`,
          `rule set "${ref}" is ${row.status} and cannot be ${what}: published rule sets are immutable; upload a new version`,
        ),
  );
}

const STATUS_LABELS: Record<string, string> = { published: '已发布', superseded: '已被新版本取代', draft: '是草稿' };

/**
 * Checks an uploaded rule file fully: size (1 MiB of JSON text), schema, meaning, the embedded test cases, that it
 * fits the columns it is stored in, and any `extra` problems; every problem is reported at once, nothing stored.
 */
export async function acceptRuleFile(
  body: unknown,
  extra: (file: Record<string, unknown>) => RuleProblem[] = () => [],
): Promise<AcceptedFile> {
  const content = JSON.stringify(body ?? null);
  const value = parseRuleFileText(content); // RULE_SET_TOO_LARGE (413) over 1 MiB
  const file =
    value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const { problems: fileProblems, ruleSet, warnings } = await checkRuleFile(value);
  const problems = [...extra(file), ...fileProblems, ...columnProblems(file)];
  if (problems.length > 0 || !ruleSet) {
    throw new RuleSetError(
      RuleSetErrorCode.RULE_SET_INVALID,
      localized(
        `规则文件有 ${problems.length} 处问题，未保存`,
        `the rule file has ${problems.length} problem(s); nothing was stored`,
      ),
      problems,
    );
  }
  return { ruleSet, content, warnings };
}

export function columnProblems(file: Record<string, unknown>): RuleProblem[] {
  const problems = COLUMN_LIMITS.flatMap(([key, max]) => {
    const text = file[key];
    return typeof text === 'string' && [...text].length > max
      ? [{ pointer: `/${key}`, message: localized(`最多 ${max} 个字符`, `at most ${max} characters`) }]
      : [];
  });
  // what an evaluation stores of it: the grade label (varchar 16) and a total no larger than the file's total
  if (Array.isArray(file.grades)) {
    file.grades.forEach((grade: unknown, i) => {
      const label = (grade as { label?: unknown })?.label;
      if (typeof label === 'string' && [...label].length > GRADE_LABEL_LENGTH) {
        problems.push({
          pointer: `/grades/${i}/label`,
          message: localized(
            `等次名称最多 ${GRADE_LABEL_LENGTH} 个字符`,
            `a grade label has at most ${GRADE_LABEL_LENGTH} characters`,
          ),
        });
      }
    });
  }
  if (typeof file.total === 'string' && DECIMAL_TEXT.test(file.total)) {
    const digits = SCORE_COLUMN.precision - SCORE_COLUMN.scale;
    if (!fitsDecimalColumn(new D(file.total).toDecimalPlaces(0, D.ROUND_DOWN), SCORE_COLUMN)) {
      problems.push({
        pointer: '/total',
        message: localized(`总分的整数部分最多 ${digits} 位`, `at most ${digits} digits before the point`),
      });
    }
  }
  return problems;
}

/** A replaced draft keeps its rule-set id and fiscal year: they are what its version number counts within. */
function identityProblems(file: Record<string, unknown>, row: RuleSetEntity): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (file.id !== row.ruleSetId) {
    problems.push({
      pointer: '/id',
      message: localized(
        `替换草稿时规则集 id 必须仍为“${row.ruleSetId}”；要另起一个规则集，请用 POST /rule-sets 上传`,
        `must stay "${row.ruleSetId}"; to start another rule set, upload it with POST /rule-sets`,
      ),
    });
  }
  if (file.fiscalYear !== row.fiscalYear) {
    problems.push({
      pointer: '/fiscalYear',
      message: localized(
        `替换草稿时年度必须仍为 ${row.fiscalYear}；要另起一个年度，请用 POST /rule-sets 上传`,
        `must stay ${row.fiscalYear}; to start another year, upload it with POST /rule-sets`,
      ),
    });
  }
  return problems;
}

export function toRuleSetDto(row: RuleSetEntity): RuleSetDto {
  return {
    ref: formatRuleSetRef(row),
    rowId: row.id,
    ruleSetId: row.ruleSetId,
    fiscalYear: row.fiscalYear,
    versionNo: row.versionNo,
    fileVersion: row.fileVersion,
    title: row.title,
    status: row.status,
    checksum: row.checksum,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    publishedBy: row.publishedBy,
    publishedAt: row.publishedAt ? row.publishedAt.toISOString() : null,
  };
}
