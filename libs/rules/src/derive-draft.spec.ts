import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from './checksum';
import { deriveDraft, draftVersion } from './derive-draft';
import type { RuleFile } from './rule-file.types';
import { validateRuleFile } from './validate-rule-file';

const BASE = JSON.parse(
  readFileSync(join(__dirname, '../../../rules/guangzhou/department-overall/2021.json'), 'utf8'),
) as RuleFile;

describe('draftVersion', () => {
  it.each([
    ['2021.1.0', undefined, undefined, '2021.2.0'],
    ['2021.1', undefined, undefined, '2021.2'],
    ['2022.0.1', undefined, undefined, '2022.1.0'],
    ['3', undefined, undefined, '4'],
    ['v2', undefined, undefined, 'v3'],
    ['草案', undefined, undefined, '草案-2'],
    ['2021.1.0', 2021, 2022, '2022.1.0'],
    ['2021.3.2', 2021, 2022, '2022.1.0'],
    ['2021', 2021, 2022, '2022'],
    ['1.4.0', 2021, 2022, '1.5.0'],
  ])('%s (%s → %s) → %s', (version, from, to, expected) => {
    expect(draftVersion(version, from, to)).toBe(expected);
  });
});

describe('deriveDraft', () => {
  it('copies the file with the next version, and nothing else changed', () => {
    const draft = deriveDraft(BASE);
    expect(draft.version).toBe('2021.2.0');
    expect(canonicalJson({ ...draft, version: BASE.version })).toBe(canonicalJson(BASE));
    expect(draft).not.toBe(BASE);
  });

  it('for next year: the year in the title, effective date and tests, and continues naming the base', () => {
    const draft = deriveDraft(BASE, { fiscalYear: 2022 });
    expect(draft.fiscalYear).toBe(2022);
    expect(draft.version).toBe('2022.1.0');
    expect(draft.title).toBe('广州市部门整体支出绩效自评指标体系（2022年度）');
    expect(draft.effectiveFrom).toBe('2022-01-01');
    expect(draft.continues).toEqual({ id: BASE.id, version: '2021.1.0', fiscalYear: 2021 });
    expect(draft.tests.map((t) => (t.submission as { fiscalYear: number }).fiscalYear)).toEqual([2022, 2022, 2022]);
    expect(validateRuleFile(draft)).toEqual([]);
    // the base is untouched
    expect(BASE.fiscalYear).toBe(2021);
    expect(BASE.tests.map((t) => (t.submission as { fiscalYear: number }).fiscalYear)).toEqual([2021, 2021, 2021]);
  });

  it('takes the version, title and effective date it is given', () => {
    const draft = deriveDraft(BASE, {
      fiscalYear: 2022,
      version: '2022.0.1',
      title: '2022 草案',
      effectiveFrom: '2022-03-01',
    });
    expect([draft.version, draft.title, draft.effectiveFrom]).toEqual(['2022.0.1', '2022 草案', '2022-03-01']);
  });
});
