import {
  checksumOf,
  diffRuleSets,
  type Lang,
  type RuleFile,
  type RuleProblem,
  type RuleSet,
  type RuleSetDiff,
  withRulePaths,
} from '@jiping/rules';
import { checkRuleFile, type TestExpectationUpdate, updateTestExpectations } from '@jiping/scoring';
import type { WorkbookLimits } from '../import-zip-guard';
import { cellOf, importRuleWorkbook, type RuleWorkbookProblem } from './import-rule-workbook';

export interface RuleWorkbookPreviewOptions {
  /**
   * Set the embedded tests' expected results to what the draft's rules compute (each change listed in
   * `testUpdates`): for a draft whose rules change scores on purpose.
   */
  updateTestExpectations?: boolean;
  /** Checks of the caller beyond the rule-file checks (the API's column limits), with pointers into the draft. */
  extraChecks?: (draft: RuleFile) => RuleProblem[];
  limits?: Partial<WorkbookLimits>;
  /** The language of the diff's messages (Chinese by default). */
  lang?: Lang;
}

/** What importing an edited workbook would give, before anything is stored. */
export interface RuleWorkbookPreview {
  /** The new rule file; absent when the workbook as a whole cannot be read. */
  draft?: RuleFile;
  /** True when the draft may be saved: every cell was read and the draft passes every check of an upload. */
  valid: boolean;
  /** Unreadable cells first (指标体系!F12: 应为…), then the rule-file checks' problems with the cell they concern. */
  problems: RuleWorkbookProblem[];
  /** Worth a look, never blocking: the workbook's notes (a band's wording left as it was). */
  notes: RuleWorkbookProblem[];
  /** The rule-file safety nets (ruleFileWarnings: unused inputs, text contradicting the method, …), never blocking. */
  warnings: Array<RuleWorkbookProblem & { kind: string }>;
  /** The semantic difference from the base to the draft (as GET /rule-sets/{ref}/diff gives it). */
  diff?: RuleSetDiff;
  /** Expected results of embedded tests set to the draft's scores (only with updateTestExpectations). */
  testUpdates: TestExpectationUpdate[];
  /** The draft's checksum. */
  checksum?: string;
}

/**
 * Imports an edited 指标体系 workbook against its base (importRuleWorkbook), optionally brings the embedded tests'
 * expectations up to the new rules, runs the draft through the same checks as an uploaded rule file (checkRuleFile:
 * schema, meaning, embedded tests; plus `extraChecks`) and diffs it against the base. Problems name the cell they
 * concern where the workbook has one, the indicator's Chinese path and the JSON pointer. Stores nothing.
 */
export async function previewRuleWorkbookImport(
  base: RuleSet,
  buffer: Buffer,
  options: RuleWorkbookPreviewOptions = {},
): Promise<RuleWorkbookPreview> {
  const imported = await importRuleWorkbook(base, buffer, options.limits);
  if (!imported.draft) return { valid: false, problems: imported.problems, notes: [], warnings: [], testUpdates: [] };
  let draft = imported.draft;
  let testUpdates: TestExpectationUpdate[] = [];
  if (options.updateTestExpectations) {
    ({ file: draft, updates: testUpdates } = await updateTestExpectations(draft));
  }
  const { problems: checks, warnings } = await checkRuleFile(draft);
  const extra = withRulePaths(draft, options.extraChecks?.(draft) ?? []);
  const locate = <P extends RuleProblem>(problem: P): P & { cell?: string } => {
    const cell = cellOf(imported.cells, problem.pointer);
    return { ...problem, ...(cell && { cell }) };
  };
  const located = [...checks, ...extra].map(locate);
  const reading = imported.problems.map((problem) => ({ ...problem, ...withRulePaths(draft, [problem])[0] }));
  const checksum = checksumOf(draft);
  let diff: RuleSetDiff | undefined;
  try {
    diff = diffRuleSets(base, { id: draft.id, version: draft.version, checksum, file: draft }, { lang: options.lang });
  } catch {
    diff = undefined; // a draft too broken to compare: its problems say why
  }
  return {
    draft,
    valid: reading.length === 0 && located.length === 0,
    problems: [...reading, ...located],
    notes: imported.notes,
    warnings: warnings.map(locate),
    ...(diff && { diff }),
    testUpdates,
    checksum,
  };
}
