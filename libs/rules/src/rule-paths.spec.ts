import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isGroupNode, type IndicatorNode, type RuleFile } from './rule-file.types';
import { indicatorPath, nearestName, pointerSegments, rulePathOf, suggestion, withRulePaths } from './rule-paths';

const GZ_2021 = JSON.parse(
  readFileSync(join(__dirname, '../../../rules/guangzhou/department-overall/2021.json'), 'utf8'),
) as RuleFile;

/** Every node of the tree with its pointer and the names from the top down. */
function walk(nodes: IndicatorNode[], pointer: string, names: string[] = []): Array<[IndicatorNode, string, string[]]> {
  return nodes.flatMap((node, i) => {
    const at = `${pointer}/${i}`;
    const path = [...names, node.name];
    return [
      [node, at, path] as [IndicatorNode, string, string[]],
      ...(isGroupNode(node) ? walk(node.children, `${at}/children`, path) : []),
    ];
  });
}

describe(indicatorPath.name, () => {
  it('names 固定资产利用率 from its top-level section down', () => {
    expect(indicatorPath(GZ_2021, 'fixed-asset-utilization')).toBe('管理效能 › 资产管理 › 固定资产利用率');
  });

  it('is undefined for a code the file does not have, and for a value that is not a rule file', () => {
    expect(indicatorPath(GZ_2021, 'no-such-code')).toBeUndefined();
    expect(indicatorPath(null, 'x')).toBeUndefined();
    expect(indicatorPath({ indicators: 'not a list' }, 'x')).toBeUndefined();
  });

  it('agrees with rulePathOf for every indicator of the shipped file, at the node and below it', () => {
    const nodes = walk(GZ_2021.indicators, '/indicators');
    expect(nodes.length).toBeGreaterThan(30);
    for (const [node, pointer, names] of nodes) {
      expect(indicatorPath(GZ_2021, node.code)).toBe(names.join(' › '));
      expect(rulePathOf(GZ_2021, pointer)).toBe(names.join(' › '));
      expect(rulePathOf(GZ_2021, `${pointer}/weight`)).toBe(names.join(' › '));
    }
  });
});

describe(rulePathOf.name, () => {
  it.each([
    ['/indicators/0/children/3/children/2/method/bands/1/when', '管理效能 › 资产管理 › 固定资产利用率'],
    ['/indicators/0', '管理效能'],
    ['/inputs/15/id', '填报项「资产管理制度健全」'],
    ['/grades/0/min', '等次「优」'],
    ['/total', '总分'],
    ['/rounding/totalPlaces', '小数位数与舍入'],
    ['/tests/0/expected/total', `内嵌测试「${GZ_2021.tests[0].name}」`],
  ])('names %s as %s', (pointer, path) => {
    expect(rulePathOf(GZ_2021, pointer)).toBe(path);
  });

  it('adds the indicator to an embedded test’s expected score', () => {
    expect(rulePathOf(GZ_2021, '/tests/0/expected/scores/fixed-asset-utilization')).toBe(
      `内嵌测试「${GZ_2021.tests[0].name}」 › 管理效能 › 资产管理 › 固定资产利用率`,
    );
  });

  it('leaves out what the pointer says alone, and pointers past the end', () => {
    expect(rulePathOf(GZ_2021, '/id')).toBeUndefined();
    expect(rulePathOf(GZ_2021, '')).toBeUndefined();
    expect(rulePathOf(GZ_2021, '/indicators/99')).toBeUndefined();
    expect(rulePathOf(GZ_2021, '/inputs/999')).toBeUndefined();
  });

  it('reads escaped segments', () => {
    expect(pointerSegments('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
  });
});

describe(withRulePaths.name, () => {
  it('adds paths where there are none and keeps the ones given', () => {
    const problems = [
      { pointer: '/indicators/0/weight', message: 'x' },
      { pointer: '/inputs/0', message: 'y', path: '自定' },
      { pointer: '/id', message: 'z' },
    ];
    expect(withRulePaths(GZ_2021, problems)).toEqual([
      { pointer: '/indicators/0/weight', message: 'x', path: '管理效能' },
      { pointer: '/inputs/0', message: 'y', path: '自定' },
      { pointer: '/id', message: 'z' },
    ]);
  });
});

describe(nearestName.name, () => {
  const inputs = GZ_2021.inputs.map((input) => input.id);

  it.each([
    ['procurementPlaned', 'procurementPlanned'],
    ['procurmentActual', 'procurementActual'],
    ['ProcurementPlanned', 'procurementPlanned'],
  ])('suggests %s → %s', (misspelt, meant) => {
    expect(nearestName(misspelt, inputs)).toBe(meant);
  });

  it('suggests nothing for a name far from every known one, nor for a known name', () => {
    expect(nearestName('totallyUnrelated', inputs)).toBeUndefined();
    expect(nearestName('ab', ['xyz'])).toBeUndefined();
    expect(nearestName('procurementPlanned', ['procurementPlanned'])).toBeUndefined();
  });

  it('writes the question in both languages', () => {
    expect(suggestion('weigth', ['weight', 'code'])).toEqual({
      zh: '，是否应为 weight？',
      en: '; did you mean weight?',
    });
    expect(suggestion('zzz', ['weight'])).toEqual({ zh: '', en: '' });
  });
});
