import { type RuleProblem, type RuleSet, toPointer, toRuleSet, validateRuleFile } from '@jiping/rules';
import { D } from './decimal';
import { scoreSubmission } from './score-submission';
import type { NodeReport } from './score-report.types';
import { ScoringError } from './scoring.error';

/**
 * Full check of a rule file: shape and meaning (libs/rules), then every embedded test case scored by the engine
 * and compared with its expected total, grade and scores. Returns every problem with its JSON pointer.
 */
export async function checkRuleFile(value: unknown): Promise<{ problems: RuleProblem[]; ruleSet?: RuleSet }> {
  const problems = validateRuleFile(value);
  if (problems.length > 0) return { problems };
  const ruleSet = toRuleSet(value);
  const testProblems: RuleProblem[] = [];
  for (const [index, test] of ruleSet.file.tests.entries()) {
    const pointer = toPointer('tests', index);
    try {
      const report = await scoreSubmission(ruleSet, test.submission);
      const { expected } = test;
      if (report.total !== expected.total && !new D(report.total).eq(expected.total)) {
        testProblems.push({
          pointer: `${pointer}/expected/total`,
          message: `"${test.name}": total is ${report.total}, expected ${expected.total}`,
        });
      }
      if (report.grade !== expected.grade && report.gradeCode !== expected.grade) {
        testProblems.push({
          pointer: `${pointer}/expected/grade`,
          message: `"${test.name}": grade is ${report.grade}, expected ${expected.grade}`,
        });
      }
      const scores = scoresByCode(report.sections);
      for (const [code, score] of Object.entries(expected.scores ?? {})) {
        const actual = scores.get(code);
        if (actual === undefined)
          testProblems.push({
            pointer: `${pointer}/expected/scores/${code}`,
            message: `"${test.name}": no indicator "${code}" in the report`,
          });
        else if (actual !== score)
          testProblems.push({
            pointer: `${pointer}/expected/scores/${code}`,
            message: `"${test.name}": ${code} scores ${actual}, expected ${score}`,
          });
      }
    } catch (error) {
      if (!(error instanceof ScoringError)) throw error;
      const detail = error.problems.map((p) => `${p.pointer}: ${p.message}`).join('; ');
      testProblems.push({
        pointer: `${pointer}/submission`,
        message: `"${test.name}": ${error.message}${detail ? ` — ${detail}` : ''}`,
      });
    }
  }
  return testProblems.length > 0 ? { problems: testProblems } : { problems: [], ruleSet };
}

/** Every node's score by code. */
export function scoresByCode(nodes: NodeReport[], into = new Map<string, string>()): Map<string, string> {
  for (const node of nodes) {
    into.set(node.code, node.score);
    if (node.children) scoresByCode(node.children, into);
  }
  return into;
}
