import type { GradeRuleSpec, GradeSpec, RuleFile } from '@jiping/rules';
import { D, fixed, minOf } from '../decimal';
import { gradeFor } from '../grade-for';
import type { ReportVeto } from '../score-report.types';

/** The total and grade of a scoring once the rule set's vetoes and caps that held are applied. */
export interface VetoOutcome {
  /** The total the scores give, rounded (before any cap), and its grade. */
  scoredTotal: D;
  scoredGrade: GradeSpec;
  /** The total after every `maxTotal` that held, and the grade after every `setGrade`/`maxGrade` that held. */
  total: D;
  grade: GradeSpec;
  /** The vetoes and caps that held, in the rule set's order, each with what it did. */
  held: ReportVeto[];
}

const DEFAULT_NAMES = { 'set-grade': '一票否决', 'max-grade': '等次上限', 'max-total': '总分封顶' } as const;

/**
 * Applies the vetoes and caps that held (their codes, from the scorer) to the total the scores give: first every
 * total cap (the lowest wins), then the grade of the capped total, lowered to each `setGrade` and `maxGrade` that
 * held (a veto never raises a grade: the lowest of them all is the grade). Pure arithmetic on the rule file's data.
 */
export function vetoOutcome(file: RuleFile, scoredTotal: D, heldCodes: readonly string[]): VetoOutcome {
  const scoredGrade = gradeFor(scoredTotal, file.grades);
  if (heldCodes.length === 0) return { scoredTotal, scoredGrade, total: scoredTotal, grade: scoredGrade, held: [] };
  const places = file.rounding.totalPlaces;
  // a new array, not file.vetoes.filter: a rule file read by structuredClone may come from another realm (jest)
  const held: GradeRuleSpec[] = [];
  for (const veto of file.vetoes ?? []) if (heldCodes.includes(veto.code)) held.push(veto);
  let total = scoredTotal;
  for (const veto of held) if (veto.maxTotal !== undefined) total = minOf(total, new D(veto.maxTotal));
  const totalGrade = gradeFor(total, file.grades);
  const rank = (code: string): number => file.grades.findIndex((grade) => grade.code === code);
  let grade = totalGrade;
  for (const veto of held) {
    const code = veto.setGrade ?? veto.maxGrade;
    if (code !== undefined && rank(code) > rank(grade.code)) grade = file.grades[rank(code)];
  }
  const scoredText = fixed(scoredTotal, places);
  const reports = held.map((veto): ReportVeto => {
    const effect: ReportVeto['effect'] =
      veto.setGrade !== undefined ? 'set-grade' : veto.maxGrade !== undefined ? 'max-grade' : 'max-total';
    const name = veto.name ?? DEFAULT_NAMES[effect];
    const lead = `${name}：${veto.reason}`;
    const base = { code: veto.code, name, effect, reason: veto.reason };
    if (effect === 'max-total') {
      const cap = fixed(new D(veto.maxTotal!), places);
      const changed = new D(veto.maxTotal!).lt(scoredTotal);
      return {
        ...base,
        maxTotal: cap,
        changed,
        text: changed
          ? `${lead}，总分最高为${cap}分，由${scoredText}分调整为${cap}分`
          : `${lead}，总分最高为${cap}分（总分${scoredText}分，不受影响）`,
      };
    }
    const target = file.grades[rank((veto.setGrade ?? veto.maxGrade)!)];
    const changed = rank(target.code) > rank(totalGrade.code);
    const gradeOf = { grade: target.label, gradeCode: target.code };
    if (effect === 'set-grade') {
      return {
        ...base,
        ...gradeOf,
        changed,
        text: changed
          ? `${lead}，等次定为${target.label}（按总分为${totalGrade.label}）`
          : `${lead}，等次不高于${target.label}（按总分为${totalGrade.label}，不变）`,
      };
    }
    return {
      ...base,
      ...gradeOf,
      changed,
      text: changed
        ? `${lead}，等次最高为${target.label}，由${totalGrade.label}调整为${target.label}`
        : `${lead}，等次最高为${target.label}（按总分为${totalGrade.label}，不受影响）`,
    };
  });
  return { scoredTotal, scoredGrade, total, grade, held: reports };
}
