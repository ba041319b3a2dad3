import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RuleFile, valueAtPointer } from '@jiping/rules';
import { checkRuleFile } from './check-rule-file';
import { updateTestExpectations } from './update-test-expectations';

const BASE = JSON.parse(
  readFileSync(join(__dirname, '../../../rules/guangzhou/department-overall/2021.json'), 'utf8'),
) as RuleFile;

describe('updateTestExpectations', () => {
  it('leaves a file whose tests pass as it is', async () => {
    const { file, updates } = await updateTestExpectations(BASE);
    expect(updates).toEqual([]);
    expect(file).toBe(BASE);
  });

  it('brings the expected results up to rules changed on purpose, listing each value it changes', async () => {
    const draft = structuredClone(BASE);
    // 固定资产利用率: 80 %（含）–90 % scores 1 instead of 1.5 (the seed test lies in that band: 84.30 %)
    (valueAtPointer(draft, '/indicators/0/children/3/children/2/method/bands/1') as { score: string }).score = '1';
    expect((await checkRuleFile(draft)).problems.map((p) => p.pointer)).toEqual([
      '/tests/0/expected/total',
      '/tests/0/expected/scores/fixed-asset-utilization',
    ]);
    const { file, updates } = await updateTestExpectations(draft);
    expect(updates.map(({ pointer, before, after }) => [pointer, before, after])).toEqual([
      ['/tests/0/expected/total', '94.622', '94.122'],
      ['/tests/0/expected/scores/fixed-asset-utilization', '1.50', '1.00'],
    ]);
    expect(updates[0].message).toEqual({
      zh: '内嵌测试“2021年自评数据（履职效能简化为一个目标）”：预期总分 94.622 改为 94.122',
      en: 'embedded test "2021年自评数据（履职效能简化为一个目标）": expected total 94.622 → 94.122',
    });
    expect(updates[1].message.zh).toBe(
      '内嵌测试“2021年自评数据（履职效能简化为一个目标）”：预期“管理效能 › 资产管理 › 固定资产利用率”得分 1.50 改为 1.00',
    );
    expect((await checkRuleFile(file)).problems).toEqual([]);
    // the draft given is not changed
    expect(draft.tests[0].expected.total).toBe('94.622');
  });

  it('changes a grade in the form it is written in', async () => {
    const draft = structuredClone(BASE);
    draft.grades[0].min = '95'; // 94.622 is now 良
    draft.tests[0].expected.grade = 'excellent';
    const { updates } = await updateTestExpectations(draft);
    expect(updates.map(({ pointer, before, after }) => [pointer, before, after])).toEqual([
      ['/tests/0/expected/grade', 'excellent', 'good'],
    ]);
  });

  it('returns a file with other problems unchanged', async () => {
    const draft = structuredClone(BASE);
    draft.indicators[0].weight = '46';
    const { file, updates } = await updateTestExpectations(draft);
    expect(updates).toEqual([]);
    expect(file).toBe(draft);
  });
});
