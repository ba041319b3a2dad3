import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { asLocalized, localized } from '@jiping/rules';
import { renderScoreTableCsv, renderScoreTableXlsx } from '@jiping/reports';
import { type ScoreReport, scoreSubmission, ScoringError } from '@jiping/scoring';
import { CliError, ExitCode } from './cli-error';
import type { CommandContext } from './cli';
import { loadRuleSet, readSubmission } from './read-input';
import { renderScoreReport } from './render-score-report';

/** `jiping score <rule-file> <submission-file> [--json] [--xlsx <file>] [--csv <file>]` */
export function registerScoreCommand(program: Command, context: CommandContext): void {
  program
    .command('score')
    .description(
      '按规则文件为一份填报评分，输出自评表（--json 输出完整评分结果） — score a submission and print the 自评表',
    )
    .argument('<rule-file>', '规则文件 rule file (JSON)')
    .argument('<submission-file>', '填报文件：部门、年度、预算、填报项和申报目标 submission (JSON)')
    .option('--json', 'print the full ScoreReport as JSON')
    .option('--xlsx <file>', 'also write the 自评表 as an Excel workbook in the bureau’s layout')
    .option('--csv <file>', 'also write the 自评表 as CSV (UTF-8 with BOM)')
    .action(async (ruleFile: string, submissionFile: string, options: ScoreOptions) => {
      context.exitCode = await score(ruleFile, submissionFile, options, context);
    });
}

export interface ScoreOptions {
  json?: boolean;
  /** Write the 自评表 workbook (.xlsx) to this path. */
  xlsx?: string;
  /** Write the 自评表 CSV to this path. */
  csv?: string;
}

/**
 * Loads both files, scores, prints, and writes the requested exports. An invalid submission throws a CliError
 * listing every problem; a file that cannot be written throws a CliError naming it.
 */
export async function score(
  ruleFile: string,
  submissionFile: string,
  options: ScoreOptions,
  context: CommandContext,
): Promise<ExitCode> {
  const ruleSet = await loadRuleSet(ruleFile);
  const submission = await readSubmission(submissionFile);
  let report: ScoreReport;
  try {
    report = await scoreSubmission(ruleSet, submission);
  } catch (error) {
    if (error instanceof ScoringError)
      throw new CliError(
        localized(
          `填报文件 ${submissionFile}：${asLocalized(error.text).zh}`,
          `submission ${submissionFile}: ${error.message}`,
        ),
        error.problems,
      );
    throw error;
  }
  const text = options.json ? JSON.stringify(report, null, 2) : renderScoreReport(report, context.width).join('\n');
  context.io.out(text + '\n');
  if (options.xlsx) await writeExport(options.xlsx, await renderScoreTableXlsx(report));
  if (options.csv) await writeExport(options.csv, renderScoreTableCsv(report));
  return ExitCode.Ok;
}

async function writeExport(path: string, content: Buffer | string): Promise<void> {
  try {
    await writeFile(path, content);
  } catch (error) {
    const why = (error as Error).message;
    throw new CliError(localized(`无法写入 ${path}：${why}`, `cannot write ${path}: ${why}`));
  }
}
