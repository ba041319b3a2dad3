import type { Command } from 'commander';
import { asLocalized, type IndicatorNode, isGroupNode, type Lang, type RuleProblem, RuleSetError } from '@jiping/rules';
import { checkRuleFile } from '@jiping/scoring';
import { ExitCode, formatProblem } from './cli-error';
import type { CommandContext } from './cli';
import { readRuleFile } from './read-input';

/** `jiping validate <rule-file>`: schema, semantics and embedded tests. */
export function registerValidateCommand(program: Command, context: CommandContext): void {
  program
    .command('validate')
    .description(
      '检查规则文件：格式、含义（分值、档次、公式、条件）和内嵌测试 — check a rule file: schema, semantics and its embedded tests',
    )
    .argument('<rule-file>', 'rule file (JSON), e.g. rules/guangzhou/department-overall/2021.json')
    .action(async (ruleFile: string) => {
      context.exitCode = await validate(ruleFile, context);
    });
}

/**
 * Prints `✓ id@version (checksum) 有效：…` or every problem (where, what, the pointer) on stdout: the problems are
 * this command's result, as with a linter. A file that is not JSON is one problem at "/".
 */
export async function validate(ruleFile: string, { io, lang }: CommandContext): Promise<ExitCode> {
  let problems: RuleProblem[];
  try {
    const result = await checkRuleFile(await readRuleFile(ruleFile));
    const printWarnings = (): void => {
      const { warnings } = result;
      if (warnings.length === 0) return;
      io.out(
        lang === 'en'
          ? `⚠ ${warnings.length} warning${warnings.length === 1 ? '' : 's'} (they do not make the file invalid):\n`
          : `⚠ ${warnings.length} 条提醒（不影响文件有效）：\n`,
      );
      for (const warning of warnings) io.out(`  ${formatProblem(warning, lang)}\n`);
    };
    if (result.ruleSet) {
      const { id, version, checksum, file } = result.ruleSet;
      const [indicators, inputs, tests] = [countIndicators(file.indicators), file.inputs.length, file.tests.length];
      io.out(
        lang === 'en'
          ? `✓ ${id}@${version} (${checksum.slice(0, 12)}) valid: ${indicators} indicators, ` +
              `${inputs} inputs, ${tests} embedded tests passed\n` +
              `  checksum ${checksum} (the value rules/rules.lock.json pins)\n`
          : `✓ ${id}@${version}（${checksum.slice(0, 12)}）有效：${indicators} 个指标，${inputs} 个填报项，` +
              `${tests} 个内嵌测试全部通过\n` +
              `  校验和 ${checksum}（rules/rules.lock.json 登记的值）\n`,
      );
      printWarnings();
      return ExitCode.Ok;
    }
    problems = result.problems;
    printProblems(ruleFile, problems, io, lang);
    printWarnings();
    return ExitCode.InvalidInput;
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    problems = error.problems.length > 0 ? error.problems : [{ pointer: '', message: asLocalized(error.text) }];
  }
  printProblems(ruleFile, problems, io, lang);
  return ExitCode.InvalidInput;
}

function printProblems(ruleFile: string, problems: RuleProblem[], io: CommandContext['io'], lang: Lang): void {
  const count = problems.length;
  io.out(
    lang === 'en' ? `✗ ${ruleFile}: ${count} problem${count === 1 ? '' : 's'}\n` : `✗ ${ruleFile}：${count} 处问题\n`,
  );
  for (const problem of problems) io.out(formatProblem(problem, lang) + '\n');
}

/** Every node of the indicator tree: sections, groups, leaves and declared sections. */
function countIndicators(nodes: readonly IndicatorNode[]): number {
  return nodes.reduce((count, node) => count + 1 + (isGroupNode(node) ? countIndicators(node.children) : 0), 0);
}
