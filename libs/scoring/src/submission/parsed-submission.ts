import type { Comparator, MoneyUnit } from '@jiping/rules';
import type { D } from '../decimal';

/** A submission checked against its rule set, with every figure as an exact Decimal. */
export interface ParsedSubmission {
  department: { code: string; name: string; unitCount?: number };
  fiscalYear: number;
  overview?: { goal?: string; achievement?: string; shortfall?: string };
  budget?: { unit: MoneyUnit; columns: Map<string, { budgeted: D; executed: D }> };
  /** money, percent (in percentage points), count and number inputs. */
  numbers: Map<string, D>;
  /** The same numbers as submitted ("10.50" keeps its zero), for 评分依据. */
  numberTexts: Map<string, string>;
  checklists: Map<string, Map<string, ParsedChecklistPoint>>;
  booleans: Map<string, boolean>;
  judgments: Map<string, ParsedJudgment>;
  /** 加减分 events by input id, in the order listed. */
  events: Map<string, ParsedEvent[]>;
  texts: Map<string, string>;
  /** Evidence text by indicator code. */
  evidence: Map<string, string>;
  /** The leaves and declared key indicators the department marked 不适用, by code, with its reason. */
  notApplicable: Map<string, string>;
  /** Declared goals by section code (a one-level section has a single goal standing for the section). */
  declared: Map<string, ParsedGoal[]>;
}

export interface ParsedChecklistPoint {
  met: boolean;
  evidence?: string;
}
export interface ParsedJudgment {
  score: D;
  tier?: string;
  reason: string;
}
/** One 加减分 event: its kind's code and points, and what happened. */
export interface ParsedEvent {
  kind: string;
  points: D;
  text: string;
}
export interface ParsedGoal {
  code: string;
  name: string;
  weight: D;
  indicators: ParsedDeclaredIndicator[];
}
export interface ParsedDeclaredIndicator {
  code: string;
  name: string;
  weight: D;
  kind: 'quantitative' | 'qualitative';
  description?: string;
  /** The target as declared (text for a qualitative one). */
  target: string;
  comparator?: Comparator;
  targetValue?: D;
  targetMax?: D;
  unit?: string;
  actual?: D;
  actualRaw?: string;
  actualText?: string;
  tier?: string;
  judgedScore?: D;
  reason?: string;
  /** Quantitative only: an evaluator's met/unmet ruling (复核认定), overriding the comparator. */
  ruling?: 'met' | 'unmet';
}
