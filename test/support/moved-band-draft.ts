import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GZ_2021, ROOT } from './load';

/** The parts of the rule file this change touches. */
interface Band {
  when: { all: Array<{ value: string }> };
}
interface Node {
  children: Node[];
  method: { bands: Band[] };
}
interface RuleFileJson {
  version: string;
  indicators: Node[];
  tests: Array<{ expected: { total: string; scores: Record<string, string> } }>;
}

/** 固定资产利用率 (fixed-asset-utilization) in rules/guangzhou/department-overall/2021.json. */
const fixedAssetUtilization = (file: RuleFileJson): Node => file.indicators[0].children[3].children[2];

/**
 * The rule change whose effect is known in advance: 广州 2021 with the 固定资产利用率 top band moved from 90 % to 95 %
 * (≥95 % → 2; [80 %, 95 %) → 1.5). Exactly the departments whose rate (rounded to 2 decimals of a percent) lies in
 * [90, 95) lose 0.5 on that indicator and on the total. The file stays valid: its embedded test "各项满分" has a rate of
 * exactly 90.00 %, so its expected total becomes 99.500 (管理效能 44.50). A fresh object each call.
 */
export function movedBandDraft(): Record<string, unknown> {
  const file = JSON.parse(readFileSync(join(ROOT, GZ_2021), 'utf8')) as RuleFileJson;
  const indicator = fixedAssetUtilization(file);
  const [top, second] = indicator.method.bands;
  if (top.when.all[0].value !== '90' || second.when.all[1].value !== '90') {
    throw new Error(
      'rules/guangzhou/department-overall/2021.json changed: 固定资产利用率 no longer has its top band at 90 %',
    );
  }
  top.when.all[0].value = '95';
  second.when.all[1].value = '95';
  file.version = '2021.2.0';
  const fullMarks = file.tests.find((test) => test.expected.total === '100.000')!;
  fullMarks.expected.total = '99.500';
  fullMarks.expected.scores.management = '44.50';
  return file as unknown as Record<string, unknown>;
}
