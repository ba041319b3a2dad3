import type { Command } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import { inLang, type Lang, localized } from '@jiping/rules';
import { previewRuleWorkbookImport, renderEditableRuleWorkbook, type RuleWorkbookPreview } from '@jiping/reports';
import { CliError, ExitCode, formatProblem } from './cli-error';
import type { CommandContext } from './cli';
import { renderDiff } from './diff.command';
import { loadRuleSet } from './read-input';
import { wrapText } from './table';

/**
 * `jiping workbook export <rule-file> <out.xlsx>` and
 * `jiping workbook import <base-rule-file> <in.xlsx> [--out draft.json] [--update-tests] [--json]`:
 * the 指标体系 as an editable workbook, and the edited workbook back as a new draft rule file.
 */
export function registerWorkbookCommand(program: Command, context: CommandContext): void {
  const workbook = program
    .command('workbook')
    .description(
      '可编辑的指标体系工作簿：导出给财政局在 Excel/WPS 中修改，再导入为新的草稿规则文件 — the editable indicator-system workbook',
    );
  workbook
    .command('export')
    .description('把规则文件导出为可编辑的指标体系工作簿（.xlsx） — export a rule file as an editable workbook')
    .argument('<rule-file>', 'rule file (JSON), e.g. rules/guangzhou/department-overall/2021.json')
    .argument('<out.xlsx>', 'the workbook to write')
    .action(async (ruleFile: string, out: string) => {
      context.exitCode = await exportWorkbook(ruleFile, out, context);
    });
  workbook
    .command('import')
    .description(
      '读取修改后的工作簿，生成新的草稿规则文件，列出与基础版本的差异和无法读取的单元格 — import an edited workbook as a new draft: prints the diff and the problems',
    )
    .argument('<base-rule-file>', 'the rule file the workbook was exported from')
    .argument('<in.xlsx>', 'the edited workbook')
    .option('--out <draft.json>', '草稿没有问题时写入此文件 — write the draft here when it has no problem')
    .option(
      '--update-tests',
      '按新规则更新内嵌测试的预期结果（逐项列出） — set the embedded tests’ expected results to what the new rules compute (each listed)',
    )
    .option('--json', '以 JSON 输出 { valid, draft, diff, problems, notes, testUpdates } — print the preview as JSON')
    .action(async (base: string, input: string, options: ImportOptions) => {
      context.exitCode = await importWorkbook(base, input, options, context);
    });
}

interface ImportOptions {
  out?: string;
  updateTests?: boolean;
  json?: boolean;
}

async function exportWorkbook(ruleFile: string, out: string, { io, lang }: CommandContext): Promise<ExitCode> {
  const ruleSet = await loadRuleSet(ruleFile);
  await write(out, await renderEditableRuleWorkbook(ruleSet));
  io.out(
    lang === 'en'
      ? `✓ ${ruleSet.id}@${ruleSet.version}: editable workbook written to ${out}\n`
      : `✓ ${ruleSet.id}@${ruleSet.version}：可编辑的指标体系工作簿已写入 ${out}\n`,
  );
  return ExitCode.Ok;
}

/**
 * Prints what the import gives — the draft's id, version and checksum, the diff against the base, every problem
 * (cell, what, pointer), notes and test updates — and writes the draft with --out when it has no problem. Exit 0
 * when the draft is valid, 1 when a cell could not be read or the draft fails a check (nothing written).
 */
async function importWorkbook(
  baseFile: string,
  input: string,
  options: ImportOptions,
  { io, lang, width }: CommandContext,
): Promise<ExitCode> {
  const base = await loadRuleSet(baseFile);
  let buffer: Buffer;
  try {
    buffer = await readFile(input);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? localized(`找不到工作簿：${input}`, `workbook not found: ${input}`)
        : localized(
            `无法读取工作簿 ${input}：${(error as Error).message}`,
            `cannot read workbook ${input}: ${(error as Error).message}`,
          ),
    );
  }
  const preview = await previewRuleWorkbookImport(base, buffer, { updateTestExpectations: options.updateTests, lang });
  if (preview.valid && options.out) await write(options.out, JSON.stringify(preview.draft, null, 2) + '\n');
  if (options.json) {
    io.out(JSON.stringify(jsonPreview(preview, lang), null, 2) + '\n');
  } else {
    io.out(renderPreview(preview, input, options, lang, width).join('\n') + '\n');
  }
  return preview.valid ? ExitCode.Ok : ExitCode.InvalidInput;
}

function jsonPreview(preview: RuleWorkbookPreview, lang: Lang): unknown {
  const text = <T extends { message: { zh: string; en: string } }>(list: T[]) =>
    list.map((item) => ({ ...item, message: inLang(item.message, lang) }));
  return {
    valid: preview.valid,
    checksum: preview.checksum,
    problems: text(preview.problems),
    notes: text(preview.notes),
    testUpdates: text(preview.testUpdates),
    diff: preview.diff,
    draft: preview.draft,
  };
}

function renderPreview(
  preview: RuleWorkbookPreview,
  input: string,
  options: ImportOptions,
  lang: Lang,
  width: number,
): string[] {
  const en = lang === 'en';
  const lines: string[] = [];
  const { draft, diff } = preview;
  if (diff) lines.push(...renderDiff(diff, width, lang), '');
  if (preview.testUpdates.length > 0) {
    lines.push(
      en
        ? `Embedded tests brought up to the new rules (${preview.testUpdates.length}):`
        : `按新规则更新的内嵌测试预期结果（${preview.testUpdates.length} 处）：`,
    );
    for (const update of preview.testUpdates) lines.push(...indent(inLang(update.message, lang), width));
    lines.push('');
  }
  if (preview.notes.length > 0) {
    lines.push(en ? `Worth a look (${preview.notes.length}):` : `请核对（${preview.notes.length} 处）：`);
    for (const note of preview.notes) lines.push(`  ${formatProblem(pathed(note, lang), lang)}`);
    lines.push('');
  }
  if (preview.problems.length > 0) {
    lines.push(
      en
        ? `✗ ${input}: ${preview.problems.length} problem${preview.problems.length === 1 ? '' : 's'}; no draft written`
        : `✗ ${input}：${preview.problems.length} 处问题，未生成草稿`,
    );
    for (const problem of preview.problems) lines.push(`  ${formatProblem(pathed(problem, lang), lang)}`);
    if (preview.problems.some((p) => p.pointer.startsWith('/tests/')) && !options.updateTests) {
      lines.push(
        en
          ? '(the rules now score the embedded tests otherwise: if that is intended, run again with --update-tests)'
          : '（规则的改变使内嵌测试的得分不同：如属有意修改，可加 --update-tests 按新规则更新预期结果）',
      );
    }
    return lines;
  }
  const written = options.out ? (en ? `, written to ${options.out}` : `，已写入 ${options.out}`) : '';
  lines.push(
    en
      ? `✓ draft ${draft!.id}@${draft!.version} (${preview.checksum!.slice(0, 12)}) valid${written}`
      : `✓ 草稿 ${draft!.id}@${draft!.version}（${preview.checksum!.slice(0, 12)}）有效${written}`,
  );
  return lines;
}

/** A workbook problem as formatProblem prints it (unwrapped: pointers stay whole): the cell, then the indicator. */
const pathed = (
  problem: { pointer: string; message: { zh: string; en: string }; cell?: string; path?: string },
  lang: Lang,
) => ({
  pointer: problem.pointer,
  message: problem.message,
  path:
    problem.cell && problem.path
      ? lang === 'en'
        ? `${problem.cell} (${problem.path})`
        : `${problem.cell}（${problem.path}）`
      : (problem.cell ?? problem.path),
});

const indent = (text: string, width: number): string[] => wrapText(text, width - 2).map((line) => `  ${line}`);

async function write(path: string, content: Buffer | string): Promise<void> {
  try {
    await writeFile(path, content);
  } catch (error) {
    const reason = (error as Error).message;
    throw new CliError(localized(`无法写入 ${path}：${reason}`, `cannot write ${path}: ${reason}`));
  }
}
