import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleFileText, type RuleSet, toRuleSet } from '@jiping/rules';

export const ROOT = join(__dirname, '..', '..');

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
}

export function loadRuleSet(path: string): RuleSet {
  return toRuleSet(parseRuleFileText(readFileSync(join(ROOT, path), 'utf8')));
}

export const GZ_2021 = 'rules/guangzhou/department-overall/2021.json';
export const NATIONAL_2020 = 'rules/national/project-self-evaluation/2020.json';
export const SEED_SUBMISSION = 'test/fixtures/gz-kjj-2021/submission.json';
export const NATIONAL_SUBMISSION = 'test/fixtures/national-project-2020/submission.json';
export const LANGFANG_2019 = 'rules/langfang/project-self-evaluation/2019.json';
export const LANGFANG_SUBMISSION = 'test/fixtures/langfang-2019/submission.json';
/** The example revision draft of 广州 2021 for 2022 (continues 2021.1.0; not a released rule file). */
export const GZ_2022_DRAFT = 'docs/examples/guangzhou-department-overall-2022-draft.json';

type Shown = { pointer: string; message: string | { zh: string; en: string } };
/** Problems as an English reader sees them: pointer and English text (the path left out). */
export const inEnglish = (problems: readonly Shown[]): Array<{ pointer: string; message: string }> =>
  problems.map(({ pointer, message }) => ({ pointer, message: typeof message === 'string' ? message : message.en }));
/** Problems as a Chinese reader sees them: pointer, Chinese text and, where there is one, the path. */
export const inChinese = (
  problems: ReadonlyArray<Shown & { path?: string }>,
): Array<{ pointer: string; message: string; path?: string }> =>
  problems.map(({ pointer, message, path }) => ({
    pointer,
    message: typeof message === 'string' ? message : message.zh,
    ...(path === undefined ? {} : { path }),
  }));
