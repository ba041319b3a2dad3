import type { Command } from 'commander';
import { type ScoreReport, scoreSubmission, ScoringError } from '@jiping/scoring';
import { CliError, ExitCode } from './cli-error';
import type { CommandContext } from './cli';
import { loadRuleSet, readSubmission } from './read-input';
import { renderScoreReport } from './render-score-report';

/** `jiping score <rule-file> <submission-file> [--json]` */
export function registerScoreCommand(program: Command, context: CommandContext): void {
  program
    .command('score')
    .description('score a submission under a rule file and print the 自评表 (or the ScoreReport with --json)')
    .argument('<rule-file>', 'rule file (JSON)')
    .argument('<submission-file>', 'submission (JSON): department, fiscal year, budget, inputs and declared targets')
    .option('--json', 'print the full ScoreReport as JSON')
    .action(async (ruleFile: string, submissionFile: string, options: { json?: boolean }) => {
      context.exitCode = await score(ruleFile, submissionFile, options, context);
    });
}

/** Loads both files, scores, and prints. An invalid submission throws a CliError listing every problem. */
export async function score(
  ruleFile: string,
  submissionFile: string,
  options: { json?: boolean },
  context: CommandContext,
): Promise<ExitCode> {
  const ruleSet = await loadRuleSet(ruleFile);
  const submission = await readSubmission(submissionFile);
  let report: ScoreReport;
  try {
    report = await scoreSubmission(ruleSet, submission);
  } catch (error) {
    if (error instanceof ScoringError)
      throw new CliError(`submission ${submissionFile}: ${error.message}`, error.problems);
    throw error;
  }
  const text = options.json ? JSON.stringify(report, null, 2) : renderScoreReport(report, context.width).join('\n');
  context.io.out(text + '\n');
  return ExitCode.Ok;
}
