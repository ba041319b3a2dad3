import {
  indicatorPath,
  localized,
  type Localized,
  type RuleFile,
  toPointer,
  toRuleSet,
  validateRuleFile,
} from '@jiping/rules';
import { D } from './decimal';
import { scoresByCode } from './check-rule-file';
import { scoreSubmission } from './score-submission';
import { ScoringError } from './scoring.error';

/** One expected value of an embedded test that the rules now compute otherwise. */
export interface TestExpectationUpdate {
  /** The test's name. */
  test: string;
  /** JSON pointer of the expected value in the rule file: /tests/0/expected/total. */
  pointer: string;
  before: string;
  after: string;
  /** e.g. 内嵌测试“2021年自评数据”：预期总分 94.622 改为 94.122 */
  message: Localized;
}

/**
 * The embedded tests of a rule file with their expected total, grade and scores set to what the engine computes
 * under the file's own rules — for a draft whose rules were changed on purpose (a band moved, a weight moved), when
 * its author asks for it: every updated value is listed, so that nothing changes unseen. Values that already agree
 * keep their text ("94.6220" stays), a grade keeps the form it was written in (label 优 or code excellent), and a
 * test whose submission cannot be scored is left as it is (checkRuleFile reports it). A file with other problems is
 * returned unchanged with no updates.
 */
export async function updateTestExpectations(
  value: RuleFile,
): Promise<{ file: RuleFile; updates: TestExpectationUpdate[] }> {
  if (validateRuleFile(value).length > 0) return { file: value, updates: [] };
  const file = structuredClone(value);
  const ruleSet = toRuleSet(file); // scores a frozen copy: `file` stays editable
  const updates: TestExpectationUpdate[] = [];
  for (const [index, test] of file.tests.entries()) {
    let report;
    try {
      report = await scoreSubmission(ruleSet, test.submission);
    } catch (error) {
      if (error instanceof ScoringError) continue;
      throw error;
    }
    const expected = test.expected;
    const update = (label: Localized, before: string, after: string, pointer: string): void => {
      updates.push({
        test: test.name,
        pointer,
        before,
        after,
        message: localized(
          `内嵌测试“${test.name}”：预期${label.zh} ${before} 改为 ${after}`,
          `embedded test "${test.name}": expected ${label.en} ${before} → ${after}`,
        ),
      });
    };
    if (!new D(report.total).eq(expected.total)) {
      update(localized('总分', 'total'), expected.total, report.total, toPointer('tests', index, 'expected', 'total'));
      expected.total = report.total;
    }
    if (expected.grade !== report.grade && expected.grade !== report.gradeCode) {
      const byCode = file.grades.some((grade) => grade.code === expected.grade);
      const after = byCode ? report.gradeCode : report.grade;
      update(localized('等次', 'grade'), expected.grade, after, toPointer('tests', index, 'expected', 'grade'));
      expected.grade = after;
    }
    const scores = scoresByCode(report.sections);
    for (const [code, score] of Object.entries(expected.scores ?? {})) {
      const actual = scores.get(code);
      if (actual === undefined || actual === score) continue;
      update(
        // named as the bureau prints it (管理效能 › 资产管理 › 固定资产利用率), not by its code
        localized(`“${indicatorPath(file, code) ?? code}”得分`, `score of ${code}`),
        score,
        actual,
        toPointer('tests', index, 'expected', 'scores', code),
      );
      expected.scores![code] = actual;
    }
  }
  return { file: updates.length > 0 ? file : value, updates };
}
