import type { Command } from 'commander';
import { diffRuleSets, type RuleSetDiff } from '@jiping/rules';
import { ExitCode } from './cli-error';
import type { CommandContext } from './cli';
import { loadRuleSet } from './read-input';
import { wrapText } from './table';

/** `jiping diff <old-rule-file> <new-rule-file> [--json]` */
export function registerDiffCommand(program: Command, context: CommandContext): void {
  program
    .command('diff')
    .description('show what changed between two versions of a rule set (weights, bands, formulas, inputs, …)')
    .argument('<old-rule-file>', 'the released rule file (JSON)')
    .argument('<new-rule-file>', 'the candidate rule file (JSON)')
    .option('--json', 'print the RuleSetDiff as JSON')
    .action(async (oldFile: string, newFile: string, options: { json?: boolean }) => {
      context.exitCode = await diff(oldFile, newFile, options, context);
    });
}

/** Both files must be valid rule sets. Differences are information, not failure: the exit code is 0 either way. */
export async function diff(
  oldFile: string,
  newFile: string,
  options: { json?: boolean },
  context: CommandContext,
): Promise<ExitCode> {
  const result = diffRuleSets(await loadRuleSet(oldFile), await loadRuleSet(newFile));
  const text = options.json ? JSON.stringify(result, null, 2) : renderDiff(result, context.width).join('\n');
  context.io.out(text + '\n');
  return ExitCode.Ok;
}

/** The changes grouped by kind (kinds in the diff's own order), each with its pointer, then a summary line. */
export function renderDiff(result: RuleSetDiff, width: number): string[] {
  const { from, to, changes } = result;
  const lines = [
    `${from.id}@${from.version} (${from.checksum.slice(0, 12)}) → ${to.id}@${to.version} (${to.checksum.slice(0, 12)})`,
    '',
  ];
  if (changes.length === 0) {
    lines.push(
      from.checksum === to.checksum
        ? 'No differences: the two files have the same checksum.'
        : 'No semantic differences (the checksums differ: only the version, tests[] or list order changed).',
    );
    return lines;
  }
  const indented = (text: string, indent: number): string[] =>
    wrapText(text, width - indent).map((line) => ' '.repeat(indent) + line);
  for (const kind of new Set(changes.map((change) => change.kind))) {
    const ofKind = changes.filter((change) => change.kind === kind);
    lines.push(`${kind} (${ofKind.length})`);
    for (const change of ofKind)
      lines.push(...indented(change.message, 2), ...indented(`at ${change.pointer || '/'}`, 4));
    lines.push('');
  }
  lines.push(summaryLine(result));
  return lines;
}

function summaryLine({ changes, summary }: RuleSetDiff): string {
  const counts = Object.entries(summary)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([kind, count]) => `${count} ${kind}`);
  return `${changes.length} change${changes.length === 1 ? '' : 's'}: ${counts.join(', ')}`;
}
