import {
  localized,
  type RuleProblem,
  ruleFileWarnings,
  type RuleWarning,
  type RuleSet,
  toPointer,
  toRuleSet,
  validateRuleFile,
  withRulePaths,
} from '@jiping/rules';
import { inLang } from '@jiping/rules';
import { D } from './decimal';
import { scoreSubmission } from './score-submission';
import type { NodeReport } from './score-report.types';
import { ScoringError } from './scoring.error';

/** What checkRuleFile finds: the problems (none means valid: then the rule set) and the warnings, which never block. */
export interface RuleFileCheck {
  problems: RuleProblem[];
  /** Safety nets (ruleFileWarnings): unused inputs, text contradicting the method, ratio thresholds, … */
  warnings: RuleWarning[];
  ruleSet?: RuleSet;
}

/** Embedded tests a rule set needs before it is published (validation needs one). */
export const MIN_TESTS_TO_PUBLISH = 3;

/**
 * Full check of a rule file: shape and meaning (libs/rules), then every embedded test case scored by the engine
 * and compared with its expected total, grade and scores. Returns every problem with its message in Chinese and
 * English, its JSON pointer and its Chinese path (内嵌测试「…」 › the indicator's path). The message does not repeat
 * the test's name: the path already shows it, and readers see the two together (内嵌测试「X」：总分算得 …).
 */
export async function checkRuleFile(value: unknown): Promise<RuleFileCheck> {
  const problems = validateRuleFile(value);
  if (problems.length > 0) return { problems, warnings: [] };
  const ruleSet = toRuleSet(value);
  const warnings = ruleFileWarnings(ruleSet.file);
  const testProblems: RuleProblem[] = [];
  if (ruleSet.file.tests.length === 0) {
    testProblems.push({
      pointer: '/tests',
      message: localized(
        '至少要有一个内嵌测试：写一份填报数据和它应得的总分、等次（发布前至少三个），规则改动时才能发现算错',
        'at least one embedded test is required: a submission with its expected total and grade (three before publishing), so that a change that scores wrongly is caught',
      ),
    });
  }
  for (const [index, test] of ruleSet.file.tests.entries()) {
    const pointer = toPointer('tests', index);
    try {
      const report = await scoreSubmission(ruleSet, test.submission);
      const { expected } = test;
      if (report.total !== expected.total && !new D(report.total).eq(expected.total)) {
        testProblems.push({
          pointer: `${pointer}/expected/total`,
          message: localized(
            `总分算得 ${report.total}，预期写的是 ${expected.total}`,
            `total is ${report.total}, expected ${expected.total}`,
          ),
        });
      }
      if (report.grade !== expected.grade && report.gradeCode !== expected.grade) {
        testProblems.push({
          pointer: `${pointer}/expected/grade`,
          message: localized(
            `等次算得“${report.grade}”，预期写的是“${expected.grade}”`,
            `grade is ${report.grade}, expected ${expected.grade}`,
          ),
        });
      }
      const scores = scoresByCode(report.sections);
      for (const [code, score] of Object.entries(expected.scores ?? {})) {
        const actual = scores.get(code);
        if (actual === undefined)
          testProblems.push({
            pointer: toPointer('tests', index, 'expected', 'scores', code),
            message: localized(`评分结果中没有指标“${code}”`, `no indicator "${code}" in the report`),
          });
        else if (actual !== score)
          testProblems.push({
            pointer: toPointer('tests', index, 'expected', 'scores', code),
            message: localized(
              `得分算得 ${actual}，预期写的是 ${score}`,
              `${code} scores ${actual}, expected ${score}`,
            ),
          });
      }
    } catch (error) {
      if (!(error instanceof ScoringError)) throw error;
      const detail = (lang: 'zh' | 'en'): string =>
        error.problems.map((p) => `${p.pointer}: ${inLang(p.message, lang)}`).join('; ');
      const [zh, en] = [detail('zh'), detail('en')];
      testProblems.push({
        pointer: `${pointer}/submission`,
        message: localized(
          `填报数据无法评分：${inLang(error.text, 'zh')}${zh ? `——${zh}` : ''}`,
          `the submission cannot be scored: ${inLang(error.text, 'en')}${en ? ` — ${en}` : ''}`,
        ),
      });
    }
  }
  return testProblems.length > 0
    ? { problems: withRulePaths(value, testProblems), warnings }
    : { problems: [], warnings, ruleSet };
}

/** Every node's score by code. */
export function scoresByCode(nodes: NodeReport[], into = new Map<string, string>()): Map<string, string> {
  for (const node of nodes) {
    into.set(node.code, node.score);
    if (node.children) scoresByCode(node.children, into);
  }
  return into;
}
