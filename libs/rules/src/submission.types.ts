import type { Comparator, MoneyUnit } from './rule-file.types';

/**
 * A department's submission for one fiscal year, scored against a rule set: the declared targets (绩效目标申报)
 * and the year-end data. Amounts are decimal strings; nothing numeric is a JSON float.
 */
export interface Submission {
  formatVersion: '1';
  department: { code: string; name: string; unitCount?: number };
  fiscalYear: number;
  /** 年度整体绩效目标 / 整体绩效目标完成情况 / 未能完成原因 */
  overview?: { goal?: string; achievement?: string; shortfall?: string };
  /** 年度部门整体支出规模: per column of the rule set's budget header, 全年预算数 and 全年执行数. */
  budget?: BudgetTable;
  /** Values of the rule set's declared inputs, by input id. */
  inputs: Record<string, InputValue>;
  /** Evidence (佐证材料) or a note per indicator code, shown in its 评分依据. */
  evidence?: Record<string, string>;
  /** Declared goals and key indicators per declared section code (履职效能). */
  targets?: Record<string, DeclaredGoal[] | DeclaredIndicator[]>;
  /** Year-end results of the declared key indicators, by indicator code. */
  targetResults?: Record<string, TargetResult>;
  /** 不适用: leaves and declared key indicators the department marks not applicable, by code, with the reason. */
  notApplicable?: Record<string, string>;
}

export interface BudgetTable {
  unit: MoneyUnit;
  columns: Record<string, { budgeted: string; executed: string }>;
}

export type InputValue = string | number | boolean | ChecklistValue | JudgmentValue | EventValue[];
/** One 加减分 event: its kind (a kind code of the input) and what happened (文件、事由), shown in the 评分依据. */
export interface EventValue {
  kind: string;
  text: string;
}
/** Checklist: point id → met, or { met, evidence }. */
export type ChecklistValue = Record<string, boolean | { met: boolean; evidence?: string }>;
export interface JudgmentValue {
  score: string;
  tier?: string;
  reason: string;
}

export interface DeclaredGoal {
  code: string;
  name: string;
  weight: string;
  indicators: DeclaredIndicator[];
}
export type DeclaredIndicator = QuantitativeTarget | QualitativeTarget;
interface DeclaredIndicatorBase {
  code: string;
  name: string;
  weight: string;
  /** 年度指标值 as the department wrote it. */
  description?: string;
}
export interface QuantitativeTarget extends DeclaredIndicatorBase {
  kind: 'quantitative';
  comparator: Comparator;
  /** The target value; for `range`, the lower bound. */
  target: string;
  /** For `range`, the upper bound. */
  targetMax?: string;
  unit: string;
}
export interface QualitativeTarget extends DeclaredIndicatorBase {
  kind: 'qualitative';
  target: string;
}
export interface TargetResult {
  /** Quantitative: the actual value as a decimal string. */
  actual?: string;
  /** 实际完成指标值 as text. */
  text?: string;
  /** Qualitative: the tier reached and the self-score within it. */
  tier?: string;
  score?: string;
  /** Why a target was missed (未达标原因), or the reason for a qualitative self-score. */
  reason?: string;
  /**
   * Quantitative only: an evaluator's ruling (复核认定) that overrides whether the comparator decides the target met.
   * `met` scores full marks whatever the actual; `unmet` counts the target as not met and scores the not-met formula,
   * capped below the weight (see scoreTarget). Set through an adjustment, never by the department.
   */
  ruling?: 'met' | 'unmet';
}
