import type { Command } from 'commander';
import { diffRuleSets, type Lang, type RuleSetChangeKind, type RuleSetDiff } from '@jiping/rules';
import { ExitCode } from './cli-error';
import type { CommandContext } from './cli';
import { loadRuleSet } from './read-input';
import { wrapText } from './table';

/** `jiping diff <old-rule-file> <new-rule-file> [--json]` */
export function registerDiffCommand(program: Command, context: CommandContext): void {
  program
    .command('diff')
    .description(
      '比较两个版本的规则集，逐条列出修订内容（分值、分档、计分方法、公式、填报项…） show what changed between two versions',
    )
    .argument('<old-rule-file>', '已发布的规则文件 the released rule file (JSON)')
    .argument('<new-rule-file>', '修订稿 the candidate rule file (JSON)')
    .option('--json', '以 JSON 输出 RuleSetDiff print the RuleSetDiff as JSON')
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
  const result = diffRuleSets(await loadRuleSet(oldFile), await loadRuleSet(newFile), { lang: context.lang });
  const text = options.json
    ? JSON.stringify(result, null, 2)
    : renderDiff(result, context.width, context.lang).join('\n');
  context.io.out(text + '\n');
  return ExitCode.Ok;
}

/** What each kind of change is called in a 修订说明. */
const KIND_LABELS: Record<RuleSetChangeKind, { zh: string; en: string }> = {
  'metadata-changed': { zh: '基本信息', en: 'metadata' },
  'rounding-changed': { zh: '舍入规则', en: 'rounding' },
  'grade-changed': { zh: '等次', en: 'grades' },
  'input-added': { zh: '新增填报项', en: 'inputs added' },
  'input-removed': { zh: '删除填报项', en: 'inputs removed' },
  'input-changed': { zh: '填报项修改', en: 'inputs changed' },
  'indicator-added': { zh: '新增指标', en: 'indicators added' },
  'indicator-removed': { zh: '删除指标', en: 'indicators removed' },
  'indicator-renamed': { zh: '指标更名', en: 'indicators renamed' },
  'indicator-moved': { zh: '指标移动', en: 'indicators moved' },
  'weight-changed': { zh: '分值调整', en: 'weights' },
  'method-changed': { zh: '计分方法调整', en: 'methods' },
  'parameter-changed': { zh: '计分参数调整', en: 'parameters' },
  'formula-changed': { zh: '计算公式调整', en: 'formulas' },
  'band-changed': { zh: '分档调整', en: 'bands' },
  'condition-changed': { zh: '适用或否决条件调整', en: 'conditions' },
  'declared-changed': { zh: '申报要求调整', en: 'declarations' },
  'explanation-changed': { zh: '指标解释修改', en: 'explanations' },
  'basis-changed': { zh: '评分依据模板修改', en: '评分依据 templates' },
  'not-applicable-changed': { zh: '不适用设置调整', en: '不适用 settings' },
  'veto-added': { zh: '新增一票否决与上限', en: 'vetoes added' },
  'veto-removed': { zh: '删除一票否决与上限', en: 'vetoes removed' },
  'veto-changed': { zh: '一票否决与上限调整', en: 'vetoes changed' },
};

/** The changes grouped by kind (kinds in the diff's own order), each with its pointer, then a summary line. */
export function renderDiff(result: RuleSetDiff, width: number, lang: Lang = 'zh'): string[] {
  const { from, to, changes } = result;
  const lines = [
    `${from.id}@${from.version} (${from.checksum.slice(0, 12)}) → ${to.id}@${to.version} (${to.checksum.slice(0, 12)})`,
    '',
  ];
  if (changes.length === 0) {
    const same = from.checksum === to.checksum;
    lines.push(
      lang === 'en'
        ? same
          ? 'No differences: the two files have the same checksum.'
          : 'No semantic differences (the checksums differ: only the version, tests[] or list order changed).'
        : same
          ? '没有差异：两个文件的校验和相同。'
          : '没有实质修订（校验和不同：只改了版本号、内嵌测试或排列顺序）。',
    );
    return lines;
  }
  const indented = (text: string, indent: number): string[] =>
    wrapText(text, width - indent).map((line) => ' '.repeat(indent) + line);
  for (const kind of new Set(changes.map((change) => change.kind))) {
    const ofKind = changes.filter((change) => change.kind === kind);
    lines.push(
      lang === 'en' ? `${KIND_LABELS[kind].en} (${ofKind.length})` : `${KIND_LABELS[kind].zh}（${ofKind.length}处）`,
    );
    for (const change of ofKind) {
      const at = change.pointer || '/';
      lines.push(...indented(change.message, 2), ...indented(lang === 'en' ? `at ${at}` : `位置 ${at}`, 4));
    }
    lines.push('');
  }
  lines.push(summaryLine(result, lang));
  return lines;
}

function summaryLine({ changes, summary }: RuleSetDiff, lang: Lang): string {
  const counts = (Object.entries(summary) as Array<[RuleSetChangeKind, number | undefined]>).filter(
    ([, count]) => (count ?? 0) > 0,
  );
  return lang === 'en'
    ? `${changes.length} change${changes.length === 1 ? '' : 's'}: ${counts.map(([kind, n]) => `${n} ${kind}`).join(', ')}`
    : `共 ${changes.length} 处修订：${counts.map(([kind, n]) => `${KIND_LABELS[kind].zh} ${n}`).join('，')}`;
}
