import { type Command, InvalidArgumentError } from 'commander';
import {
  asLocalized,
  inLang,
  type Lang,
  type Localized,
  localized,
  parsePointer,
  type RuleSet,
  type Submission,
} from '@jiping/rules';
import {
  applyChanges,
  attributeToChanges,
  compareReports,
  continuationMismatch,
  continuesRuleSet,
  type NodeComparison,
  type ReportComparison,
  type ScoreReport,
  scoreSubmission,
  ScoringError,
  simulate,
  type SubmissionChange,
} from '@jiping/scoring';
import { CliError, ExitCode } from './cli-error';
import type { CommandContext } from './cli';
import { loadRuleSet, readSubmission } from './read-input';
import { renderTable, type TableRow } from './table';

/** One --set as given, and the change it makes. */
export interface SetOption {
  text: string;
  change: SubmissionChange;
}

export interface WhatIfOptions {
  set: SetOption[];
  json?: boolean;
  /** The earlier rule file the submission was made under, when `rule-file` continues it (模拟). */
  base?: string;
}

/** `jiping what-if <rule-file> <submission-file> [--set <pointer>=<value> …] [--base <earlier-rule-file>] [--json]` */
export function registerWhatIfCommand(program: Command, context: CommandContext): void {
  program
    .command('what-if')
    .description(
      '按修改后的数据或另一规则文件为一份填报评分，显示变化的指标、总分和等次；规则文件声明承接（continues）' +
        '--base 给出的上一版本时，按新规则模拟旧年度数据。' +
        ' Score a submission with changes, or under a revision of its rules, and show what moved',
    )
    .argument('<rule-file>', '规则文件 rule file (JSON)')
    .argument('<submission-file>', '填报文件 submission (JSON)')
    .option(
      '--set <pointer=value>',
      'a change (repeatable): a JSON pointer into /inputs, /targetResults, /budget, /evidence or /overview, "=", ' +
        'and the value. Amounts and other numbers are plain text and stay decimal strings ' +
        '(--set /inputs/procurementActual=1643.42); true, false, null, objects, lists and "quoted strings" are JSON ' +
        '(--set /inputs/assetSystems=false); anything else is taken as text',
      (text: string, previous: SetOption[] | undefined) => collectSet(text, previous, context.lang),
    )
    .option(
      '--base <earlier-rule-file>',
      '填报所依据的上一版本规则文件：rule-file 承接它时，按 rule-file 模拟（原得分按它计） ' +
        'the rule file the submission was made under, when rule-file continues it (a simulation)',
    )
    .option('--json', 'print the comparison (every node, the sections, total and grade before and after) as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  jiping what-if rules/guangzhou/department-overall/2021.json submission.json \\\n' +
        '    --set /inputs/procurementActual=1643.42 --set /inputs/budgetPreparation/preAssessment/met=true\n' +
        '  jiping what-if docs/examples/guangzhou-department-overall-2022-draft.json submission.json \\\n' +
        '    --base rules/guangzhou/department-overall/2021.json\n',
    )
    .action(async (ruleFile: string, submissionFile: string, options: Partial<WhatIfOptions>) => {
      context.exitCode = await whatIf(ruleFile, submissionFile, { ...options, set: options.set ?? [] }, context);
    });
}

/** Commander's collector for --set: parses `<pointer>=<value>`; a malformed one is a usage error (exit 2). */
export function collectSet(text: string, previous: SetOption[] = [], lang: Lang = 'zh'): SetOption[] {
  const at = text.indexOf('=');
  if (at <= 0) {
    throw new InvalidArgumentError(
      lang === 'en'
        ? 'expected <pointer>=<value>, e.g. --set /inputs/procurementActual=1643.42'
        : '应为 <位置>=<值>，如 --set /inputs/procurementActual=1643.42',
    );
  }
  return [...previous, { text, change: { pointer: text.slice(0, at), value: parseSetValue(text.slice(at + 1)) } }];
}

const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/**
 * The value of a --set: a number stays the text it is (submissions take decimal strings, never JSON numbers);
 * other JSON (true, false, null, objects, lists, "quoted strings") is parsed; anything else is text.
 */
export function parseSetValue(text: string): unknown {
  if (NUMBER.test(text)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Scores the submission as it is and with the changes, and prints what moved. Bad input throws a CliError. */
export async function whatIf(
  ruleFile: string,
  submissionFile: string,
  options: WhatIfOptions,
  context: CommandContext,
): Promise<ExitCode> {
  if (options.set.length === 0 && options.base === undefined) {
    throw new CliError(
      localized(
        '请至少给出一项修改：--set <位置>=<值>，或用 --base 给出上一版本规则文件以模拟修订（见 jiping what-if --help）',
        'give at least one change: --set <pointer>=<value>, or --base <earlier-rule-file> to simulate a revision ' +
          '(see jiping what-if --help)',
      ),
      [],
      ExitCode.Usage,
    );
  }
  const ruleSet = await loadRuleSet(ruleFile);
  const base = options.base === undefined ? undefined : await loadRuleSet(options.base);
  const submission = await readSubmission(submissionFile);
  if (base && !continuesRuleSet(ruleSet, base)) {
    const why = continuationMismatch(ruleSet, base) ?? localized('两个文件相同', 'the two files are the same');
    throw new CliError(
      localized(
        `无法模拟：${ruleFile} 不承接 --base ${options.base}：${asLocalized(why).zh}`,
        `cannot simulate: ${ruleFile} does not continue --base ${options.base}: ${asLocalized(why).en}`,
      ),
      [],
      ExitCode.Usage,
    );
  }
  const changes = options.set.map((s) => s.change);
  const nameOf = (index: number): string => `--set ${options.set[index].text}`;
  const before = await scoreOrExplain(
    base ?? ruleSet,
    submission,
    localized(`填报文件 ${submissionFile}`, `submission ${submissionFile}`),
  );
  let changed: Submission;
  try {
    changed = applyChanges(submission as Submission, changes);
  } catch (error) {
    if (!(error instanceof ScoringError)) throw error;
    const problems = error.problems.map((p) => ({ ...p, path: nameOf(Number(parsePointer(p.pointer)?.[1])) }));
    throw new CliError(
      localized(
        `${problems.length} 项修改无法应用到 ${submissionFile}`,
        `${problems.length} change(s) cannot be applied to ${submissionFile}`,
      ),
      problems,
    );
  }
  const what = localized(`按修改后的填报文件 ${submissionFile}`, `submission ${submissionFile} with the changes`);
  const after = await scoreOrExplain(
    ruleSet,
    changed,
    what,
    (problems) => attributeToChanges(problems, changes, nameOf),
    base,
    context.lang,
  );
  const comparison = compareReports(before, after);
  const text = options.json
    ? JSON.stringify(after.simulation ? { ...comparison, simulation: after.simulation } : comparison, null, 2)
    : renderComparison(after, comparison, options.set, context.width, context.lang).join('\n');
  context.io.out(text + '\n');
  return ExitCode.Ok;
}

async function scoreOrExplain(
  ruleSet: RuleSet,
  submission: unknown,
  what: Localized,
  explain: (problems: ScoringError['problems']) => ScoringError['problems'] = (problems) => problems,
  earlier?: RuleSet,
  lang: Lang = 'zh',
): Promise<ScoreReport> {
  try {
    if (!earlier) return await scoreSubmission(ruleSet, submission);
    // 模拟: the earlier data mapped onto the later rules; the report says what was simulated and assumed.
    const { report, simulation } = await simulate(ruleSet, earlier, submission as Submission);
    const notes = simulation.notes.map((n) => ({ kind: n.kind, code: n.code, message: inLang(n.message, lang) }));
    return {
      ...report,
      simulation: { ...report.simulation!, description: inLang(simulation.description, lang), notes },
    };
  } catch (error) {
    if (error instanceof ScoringError) {
      const text = asLocalized(error.text);
      throw new CliError(localized(`${what.zh}：${text.zh}`, `${what.en}: ${text.en}`), explain(error.problems));
    }
    throw error;
  }
}

/** The changes, a table of the nodes that moved (指标, 原得分, 新得分, 变化), and the total and grade before/after. */
export function renderComparison(
  after: ScoreReport,
  comparison: ReportComparison,
  sets: SetOption[],
  width: number,
  lang: Lang = 'zh',
): string[] {
  const en = lang === 'en';
  const t = (zh: string, english: string): string => (en ? english : zh);
  const { department, ruleSet } = after;
  const { simulation } = after;
  const lines = [
    `${department.name}（${department.code}） ${after.fiscalYear}  ${ruleSet.id}@${ruleSet.version}`,
    ...(simulation
      ? [
          t(
            `模拟  ${simulation.description}（原得分按 ${simulation.from.id}@${simulation.from.version}）`,
            `simulated  ${simulation.description} (before: ${simulation.from.id}@${simulation.from.version})`,
          ),
          ...simulation.notes.map((note) => `      ${note.message}`),
        ]
      : []),
    ...sets.map(
      (s, index) =>
        `${index === 0 ? t('变更', 'set ') : '    '}  ${s.change.pointer} = ${JSON.stringify(s.change.value)}`,
    ),
    '',
  ];
  if (comparison.changed.length === 0) lines.push(t('得分无变化', 'no score moved'));
  else {
    const rows: TableRow[] = comparison.changed.map((node) => [
      {
        text: node.assumed ? `${node.name}${t('（含假定值）', ' (assumed values)')}` : node.name,
        indent: (node.level - 1) * 2,
      },
      node.before ?? '—',
      node.after ?? '—',
      signed(node),
    ]);
    lines.push(
      ...renderTable(
        [
          { header: t('指标', 'indicator'), wrap: true, minWidth: 16, maxWidth: 60 },
          { header: t('原得分', 'before'), align: 'right' },
          { header: t('新得分', 'after'), align: 'right' },
          { header: t('变化', 'delta'), align: 'right' },
        ],
        rows,
        { maxWidth: width },
      ),
    );
  }
  const { total, grade } = comparison;
  lines.push(
    '',
    t(
      `总分  ${total.before} → ${total.after}（${signed(total)}）`,
      `total  ${total.before} → ${total.after} (${signed(total)})`,
    ),
    t(
      `等次  ${grade.before} → ${grade.after}${grade.changed ? '' : '（不变）'}`,
      `grade  ${grade.before} → ${grade.after}${grade.changed ? '' : ' (unchanged)'}`,
    ),
  );
  const assumed = simulation?.assumptions ?? [];
  if (assumed.length > 0) {
    lines.push(
      '',
      t(
        '假定值（旧年度数据没有这些填报项，按规则文件声明的值计）：',
        'Assumed values (the earlier data lacks them; the rule file declares them):',
      ),
    );
    for (const a of assumed) {
      lines.push(
        t(
          `  ${a.label}：按${a.shown}计${a.reason ? `（${a.reason}）` : ''}`,
          `  ${a.label}: ${a.shown}${a.reason ? ` (${a.reason})` : ''}`,
        ),
      );
    }
  }
  return lines;
}

/** The engine's delta with a "+" on gains (formatting only: no arithmetic). */
const signed = ({ delta }: Pick<NodeComparison, 'delta'>): string =>
  delta.startsWith('-') || /^0(\.0*)?$/.test(delta) ? delta : `+${delta}`;
