import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { RuleSetEntity } from '@jiping/persistence';
import {
  checksumOf,
  deriveDraft,
  diffRuleSets,
  type DraftChanges,
  draftVersion,
  inLang,
  type Lang,
  localized,
  type Localized,
  parseRuleFileText,
  type RuleFile,
  type RuleProblem,
  type RuleSet,
  type RuleSetDiff,
  RuleSetError,
  RuleSetErrorCode,
} from '@jiping/rules';
import { previewRuleWorkbookImport, type RuleWorkbookPreview, type RuleWorkbookProblem } from '@jiping/reports';
import { checkRuleFile, type TestExpectationUpdate, updateTestExpectations } from '@jiping/scoring';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { type AuditAction, AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { insertWithNextNumber } from '../common/next-number';
import type {
  CreateDraftDto,
  RuleFileCheckDto,
  RuleFileDiffDto,
  RuleFileProblemDto,
  TestExpectationUpdateDto,
  WorkbookImportedDto,
  WorkbookPreviewDto,
} from './dto/rule-set-editing.dto';
import type { RuleSetWithContentDto } from './dto/rule-set.dto';
import { RuleSetLoader } from './rule-set-loader';
import { formatRuleSetRef } from './rule-set-ref';
import { acceptRuleFile, columnProblems, ruleSetEntry, RuleSetsService, toRuleSetDto } from './rule-sets.service';

/**
 * What an editor of next year's rules needs beside upload, replace and publish (RuleSetsService), all through the
 * same checks as an upload: a new draft copied from a stored version (以2021年为基础), a check of a rule file that
 * stores nothing (with its diff against a base, and optionally its embedded tests brought up to its rules), and the
 * editable 指标体系 workbook imported back as a new draft — previewed first, then stored. Admins only.
 */
@Injectable()
export class RuleSetEditingService {
  constructor(
    @InjectRepository(RuleSetEntity) private readonly rows: Repository<RuleSetEntity>,
    private readonly loader: RuleSetLoader,
    private readonly audit: AuditService,
    private readonly ruleSets: RuleSetsService,
  ) {}

  /** The stored rule file of a version, pretty-printed as a person keeps it, and its download name. */
  async ruleFile(ref: string, principal: Principal): Promise<{ name: string; content: string }> {
    const row = await this.loader.findByRef(ref, {
      includeDrafts: principal.role !== 'department',
      pointer: '/ref',
      withContent: true,
    });
    return {
      name: formatRuleSetRef(row).replace(/:/g, '-'),
      content: JSON.stringify(JSON.parse(row.content), null, 2) + '\n',
    };
  }

  /** A new draft copied from `ref` with the next version (or the fiscal year, version, title asked for). */
  async createDraft(
    ref: string,
    changes: CreateDraftDto,
    principal: Principal,
    lang: Lang,
  ): Promise<RuleSetWithContentDto & { warnings: RuleFileProblemDto[] }> {
    const baseRow = await this.loader.findByRef(ref, { includeDrafts: true, pointer: '/ref' });
    const base = this.loader.toRuleSet(baseRow);
    const year = changes.fiscalYear ?? base.file.fiscalYear;
    const version = changes.version ?? (await this.unusedVersion(base, year));
    const draft = deriveDraft(base.file, { ...(changes as DraftChanges), fiscalYear: year, version });
    const accepted = await acceptRuleFile(draft);
    const stored = await this.ruleSets.storedWarnings(accepted.ruleSet);
    const row = await this.store(accepted.ruleSet, accepted.content, principal, 'rule-set.drafted', {
      basedOn: formatRuleSetRef(baseRow),
    });
    return {
      ...toRuleSetDto(row),
      content: JSON.parse(row.content) as Record<string, unknown>,
      warnings: [...stored, ...accepted.warnings].map((w) => renderProblem(w, lang)),
    };
  }

  /**
   * Every check of an upload on a rule file, storing nothing: problems with their Chinese paths, and with
   * `updateTests` the file with its embedded tests' expectations brought up to its rules; with `against`, the diff
   * from that stored version (also for a file that does not pass yet, where it can be compared).
   */
  async validate(
    body: unknown,
    options: { against?: string; replaces?: string; updateTests?: boolean },
    principal: Principal,
    lang: Lang,
  ): Promise<RuleFileCheckDto> {
    const base = options.against
      ? await this.loader.findByRef(options.against, {
          includeDrafts: principal.role !== 'department',
          pointer: '/against',
        })
      : undefined;
    let value = parseRuleFileText(JSON.stringify(body ?? null)) as RuleFile; // 413 over 1 MiB
    let testUpdates: TestExpectationUpdate[] = [];
    if (options.updateTests) ({ file: value, updates: testUpdates } = await updateTestExpectations(value));
    const record = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : ({} as RuleFile);
    const { problems, warnings, ruleSet } = await checkRuleFile(value);
    const all = [...problems, ...columnProblems(record as unknown as Record<string, unknown>)];
    const replaced = options.replaces
      ? await this.loader.findByRef(options.replaces, { includeDrafts: true, pointer: '/replaces' })
      : undefined;
    const stored = ruleSet && all.length === 0 ? await this.ruleSets.storedWarnings(ruleSet, replaced?.id) : [];
    const diff = base ? diffAgainst(this.loader.toRuleSet(base), value, lang) : undefined;
    return {
      valid: all.length === 0,
      ...(all.length === 0 && { checksum: checksumOf(value) }),
      problems: all.map((p) => renderProblem(p, lang)),
      warnings: [...stored, ...warnings].map((w) => renderProblem(w, lang)),
      testUpdates: testUpdates.map((u) => renderUpdate(u, lang)),
      ...(testUpdates.length > 0 && { file: value as unknown as Record<string, unknown> }),
      ...(diff && base && { diff: { fromRef: formatRuleSetRef(base), ...diff } }),
    };
  }

  /** What importing the workbook on `ref` would store. */
  async previewWorkbook(ref: string, buffer: Buffer, updateTests: boolean, lang: Lang): Promise<WorkbookPreviewDto> {
    const { row, preview } = await this.preview(ref, buffer, updateTests, lang);
    return {
      baseRef: formatRuleSetRef(row),
      valid: preview.valid,
      ...(preview.draft && { draft: preview.draft as unknown as Record<string, unknown> }),
      ...(preview.checksum && { checksum: preview.checksum }),
      ...(preview.diff && { diff: renderDiff(row, preview.diff) }),
      problems: preview.problems.map((p) => renderProblem(p, lang)),
      notes: preview.notes.map((p) => renderProblem(p, lang)),
      warnings: preview.warnings.map((w) => renderProblem(w, lang)),
      testUpdates: preview.testUpdates.map((u) => renderUpdate(u, lang)),
    };
  }

  /**
   * Imports the workbook on `ref` as a new draft: the next version number of the draft's (id, fiscal year), checked
   * like an upload and audited. Any unreadable cell or failed check is a 422 naming the cells; nothing is stored.
   */
  async importWorkbook(
    ref: string,
    buffer: Buffer,
    updateTests: boolean,
    principal: Principal,
    lang: Lang,
  ): Promise<WorkbookImportedDto> {
    const { row, preview } = await this.preview(ref, buffer, updateTests, lang);
    if (!preview.valid || !preview.draft) {
      const count = preview.problems.length;
      throw new RuleSetError(
        RuleSetErrorCode.RULE_SET_INVALID,
        localized(
          `工作簿有 ${count} 处问题，未保存草稿：可先用 ?dryRun=true 查看差异和问题`,
          `the workbook has ${count} problem(s); no draft was stored (preview with ?dryRun=true)`,
        ),
        preview.problems.map(asDetail),
      );
    }
    const accepted = await acceptRuleFile(preview.draft);
    const reused = await this.ruleSets.storedWarnings(accepted.ruleSet);
    const stored = await this.store(accepted.ruleSet, accepted.content, principal, 'rule-set.imported', {
      basedOn: formatRuleSetRef(row),
      ...(preview.testUpdates.length > 0 && { testUpdates: preview.testUpdates.length }),
    });
    return {
      baseRef: formatRuleSetRef(row),
      ruleSet: { ...toRuleSetDto(stored), content: JSON.parse(stored.content) as Record<string, unknown> },
      diff: renderDiff(row, preview.diff ?? diffAgainst(this.loader.toRuleSet(row), preview.draft, lang)!),
      notes: preview.notes.map((p) => renderProblem(p, lang)),
      warnings: [...reused, ...preview.warnings].map((w) => renderProblem(w, lang)),
      testUpdates: preview.testUpdates.map((u) => renderUpdate(u, lang)),
    };
  }

  private async preview(
    ref: string,
    buffer: Buffer,
    updateTests: boolean,
    lang: Lang,
  ): Promise<{ row: RuleSetEntity; preview: RuleWorkbookPreview }> {
    const row = await this.loader.findByRef(ref, { includeDrafts: true, pointer: '/ref' });
    const base = this.loader.toRuleSet(row);
    const preview = await previewRuleWorkbookImport(base, buffer, {
      updateTestExpectations: updateTests,
      lang,
      extraChecks: (draft) => columnProblems(draft as unknown as Record<string, unknown>),
    });
    return { row, preview };
  }

  /** The default version of a draft: draftVersion, skipping versions stored for its (id, year). */
  private async unusedVersion(base: RuleSet, year: number): Promise<string> {
    const stored = new Set(
      (
        await this.rows.find({
          where: { ruleSetId: base.id, fiscalYear: year },
          select: { id: true, fileVersion: true },
        })
      ).map((r) => r.fileVersion),
    );
    let version = draftVersion(base.version, base.file.fiscalYear, year);
    for (let i = 0; i < 100 && stored.has(version); i++) version = draftVersion(version);
    return version;
  }

  /** Stores a checked file as the next draft version of its (id, fiscal year), with its audit entry. */
  private async store(
    ruleSet: RuleSet,
    content: string,
    principal: Principal,
    action: AuditAction,
    details: Record<string, unknown>,
  ): Promise<RuleSetEntity> {
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
      async (saved, manager) => {
        const entry = ruleSetEntry(action, saved);
        await this.audit.record(principal, { ...entry, details: { ...entry.details, ...details } }, manager);
      },
    );
    return this.rows.findOneByOrFail({ id: saved.id });
  }
}

/** The diff from a stored version to a file that is not stored; undefined where the file cannot be compared yet. */
function diffAgainst(base: RuleSet, file: unknown, lang: Lang): RuleSetDiff | undefined {
  try {
    const draft = file as RuleFile;
    const to = { id: draft.id, version: draft.version, checksum: checksumOf(file), file: draft };
    return diffRuleSets(base, to, { lang });
  } catch {
    return undefined; // too broken to compare: its problems say why
  }
}

function renderDiff(base: RuleSetEntity, diff: RuleSetDiff): RuleFileDiffDto {
  return { fromRef: formatRuleSetRef(base), ...diff } as RuleFileDiffDto;
}

function renderProblem(
  problem: RuleProblem | RuleWorkbookProblem | (RuleProblem & { kind: string }),
  lang: Lang,
): RuleFileProblemDto {
  const { cell } = problem as RuleWorkbookProblem;
  const { kind } = problem as { kind?: string };
  return {
    ...(kind !== undefined && { kind }),
    pointer: problem.pointer,
    message: inLang(problem.message as Localized, lang),
    ...(problem.path !== undefined && { path: problem.path }),
    ...(cell !== undefined && { cell }),
  };
}

function renderUpdate(update: TestExpectationUpdate, lang: Lang): TestExpectationUpdateDto {
  return { ...update, message: inLang(update.message, lang) };
}

/** A workbook problem as an error detail: where is the cell, and the indicator beside it. */
function asDetail(problem: RuleWorkbookProblem): RuleProblem {
  const path =
    problem.cell && problem.path ? `${problem.cell}（${problem.path}）` : (problem.cell ?? problem.path ?? undefined);
  return { pointer: problem.pointer, message: problem.message, ...(path !== undefined && { path }) };
}
