import type { Command } from 'commander';
import { type IndicatorNode, isGroupNode, type RuleProblem, RuleSetError } from '@jiping/rules';
import { checkRuleFile } from '@jiping/scoring';
import { ExitCode, formatProblem } from './cli-error';
import type { CommandContext } from './cli';
import { readRuleFile } from './read-input';

/** `jiping validate <rule-file>`: schema, semantics and embedded tests. */
export function registerValidateCommand(program: Command, context: CommandContext): void {
  program
    .command('validate')
    .description('check a rule file: schema, semantics (weights, bands, formulas, conditions) and its embedded tests')
    .argument('<rule-file>', 'rule file (JSON), e.g. rules/guangzhou/department-overall/2021.json')
    .action(async (ruleFile: string) => {
      context.exitCode = await validate(ruleFile, context);
    });
}

/**
 * Prints `✓ id@version (checksum) valid: …` or every problem as `<pointer>: <message>` on stdout: the problems
 * are this command's result, as with a linter. A file that is not JSON is one problem at "/".
 */
export async function validate(ruleFile: string, { io }: CommandContext): Promise<ExitCode> {
  let problems: RuleProblem[];
  try {
    const result = await checkRuleFile(await readRuleFile(ruleFile));
    if (result.ruleSet) {
      const { id, version, checksum, file } = result.ruleSet;
      io.out(
        `✓ ${id}@${version} (${checksum.slice(0, 12)}) valid: ${countIndicators(file.indicators)} indicators, ` +
          `${file.inputs.length} inputs, ${file.tests.length} embedded tests passed\n` +
          `  checksum ${checksum} (the value rules/rules.lock.json pins)\n`,
      );
      return ExitCode.Ok;
    }
    problems = result.problems;
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    problems = error.problems.length > 0 ? error.problems : [{ pointer: '', message: error.message }];
  }
  io.out(`✗ ${ruleFile}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
  for (const problem of problems) io.out(formatProblem(problem) + '\n');
  return ExitCode.InvalidInput;
}

/** Every node of the indicator tree: sections, groups, leaves and declared sections. */
function countIndicators(nodes: readonly IndicatorNode[]): number {
  return nodes.reduce((count, node) => count + 1 + (isGroupNode(node) ? countIndicators(node.children) : 0), 0);
}
