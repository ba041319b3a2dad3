/**
 * The ScoreReport: a self-contained, JSON-ready account of one scoring. Every number is a decimal string.
 * Storing it means an old evaluation can always be shown and re-run (rule set id, version and checksum inside).
 */
export interface ScoreReport {
  reportVersion: '1';
  ruleSet: { id: string; version: string; title: string; checksum: string };
  engine: { name: 'jiping'; version: string };
  department: { code: string; name: string; unitCount?: number };
  fiscalYear: number;
  overview?: { goal?: string; achievement?: string; shortfall?: string };
  header?: BudgetHeaderReport;
  /** The indicator tree, sections first. */
  sections: NodeReport[];
  /** Sum of the rounded leaves, shown with the rule set's total places. */
  total: string;
  /** The rule set's total (满分). A total can exceed it only through 加减分 counted on top of it (`onTop`). */
  maxTotal: string;
  /**
   * Present when the rule set counts 加减分 on top of the total (top-level sections with `onTop`): `total` is the
   * rounded sum of `base` (the sections within 满分 `maxTotal`) and `score` (their net 加减分, at most `max`).
   */
  onTop?: { base: string; score: string; max: string };
  grade: string;
  gradeCode: string;
  /**
   * 一票否决与上限: the rule set's vetoes and caps whose condition held, in the rule set's order, each with what it did
   * (`total` and `grade` are after them); absent when none held.
   */
  vetoes?: ReportVeto[];
  /** Present when a veto or cap held: the total and grade the scores alone give. */
  beforeVetoes?: { total: string; grade: string; gradeCode: string };
  /**
   * Present when the department marked indicators 不适用 (rule file: allowNotApplicable): each with its reason, and
   * when weight was left out of the total, how the total was rescaled (实得分 ÷ 适用分值 × 总分). Each parent that
   * redistributed says how in its 评分依据.
   */
  notApplicable?: { indicators: Array<{ code: string; name: string; reason: string }>; total?: string };
  /** Where points were lost (扣分原因), largest first. */
  lostPoints: LostPoints[];
  /** Names of the json-rules-engine rules that fired and did not. */
  trace: { fired: string[]; notFired: string[] };
  /**
   * Present only when earlier data was scored under a later rule set that continues its version (模拟): what was
   * simulated, the values assumed and what was left out. Never present on an official evaluation.
   */
  simulation?: ReportSimulation;
}

/** A rule set's veto or cap that held (RuleFile.vetoes). */
export interface ReportVeto {
  code: string;
  /** 一票否决, 等次上限, 总分封顶, or the rule file's own name. */
  name: string;
  /** set-grade (等次定为), max-grade (等次最高为), max-total (总分最高为). */
  effect: 'set-grade' | 'max-grade' | 'max-total';
  reason: string;
  /** set-grade and max-grade: the grade named. */
  grade?: string;
  gradeCode?: string;
  /** max-total: the cap, with the total's places. */
  maxTotal?: string;
  /** Whether this rule alone lowered the total or the grade the scores give. */
  changed: boolean;
  /** What the report shows: 一票否决：本年度发生重大违纪违规问题，等次定为差（按总分为优） */
  text: string;
}

/** A simulation as a report carries it (see continueSubmission in libs/scoring/src/continuation). */
export interface ReportSimulation {
  /** 2021年数据按2022年规则模拟 */
  description: string;
  /** The version the data was made under, and the one it is scored with. */
  from: { id: string; version: string; fiscalYear: number; checksum: string };
  to: { id: string; version: string; fiscalYear: number; checksum: string };
  /** Every value assumed because the earlier data lacked it (rule file: continues.inputs[].assume). */
  assumptions: Array<NodeAssumption & { value: unknown; indicators: string[] }>;
  /** Earlier data renamed or left out (removed inputs, points, indicators' evidence, declared sections). */
  notes: Array<{ kind: string; code: string; message: string }>;
}

/** One assumed value a leaf read, in a simulation. */
export interface NodeAssumption {
  /** The input id, or `<input>/<point>` for a checklist point. */
  key: string;
  input: string;
  point?: string;
  /** 数据安全管理 › 已制定数据安全管理制度 */
  label: string;
  /** 满足, 不满足, 是, 否, 100, … */
  shown: string;
  reason?: string;
}

export interface BudgetHeaderReport {
  unit: string;
  columns: Array<{ code: string; label: string; breakdown: string; budgeted: string; executed: string; rate: string }>;
  totalBudgeted: string;
  totalExecuted: string;
  totalRate: string;
}

export type NodeStatus = 'full' | 'partial' | 'zero' | 'bonus' | 'penalty' | 'neutral' | 'not-applicable' | 'vetoed';

export interface NodeReport {
  code: string;
  name: string;
  /** 1 = 一级指标, 2 = 二级, 3 = 三级 */
  level: number;
  kind: 'group' | 'leaf' | 'declared-section' | 'declared-goal' | 'target';
  weight: string;
  /** The highest score the node can reach. */
  max: string;
  score: string;
  /** max − score */
  lost: string;
  status: NodeStatus;
  explanation?: string;
  /** A top-level 加减分 section counted on top of the total (另计): its weight is not part of `maxTotal`. */
  onTop?: true;
  children?: NodeReport[];
  /** Leaves and targets only: */
  method?: string;
  metric?: MetricReport;
  /** The rule that decided the score: the json-rules-engine rule name or the method's own rule. */
  decision?: { rule: string; description: string };
  /** The figures used, as submitted or computed. */
  figures?: Record<string, string>;
  /** The computation in words, e.g. 84.48%×2=1.69 */
  calc?: string;
  /** 评分依据 */
  basis?: string;
  /** Why points were lost, when they were. */
  lostReason?: string;
  target?: TargetReport;
  /** Leaves and targets an evaluator's adjustment (复核) touched, and only those. */
  review?: NodeReview;
  /** In a simulation, the assumed values this leaf read (its 评分依据 says so too); absent otherwise. */
  assumed?: NodeAssumption[];
}

/** 复核: the department's self-score, the reviewed score and why, with every value the evaluator changed. */
export interface NodeReview {
  /** 自评分: the node's score on the submission as the department made it. */
  selfScore: string;
  /** 复核分: the node's score with the adjustments applied (the node's own score). */
  reviewedScore: string;
  /** 复核理由: the reasons of the adjustments that touched the node, in order, joined by "；". */
  reason: string;
  changes: Array<{ pointer: string; before: unknown; after: unknown }>;
}

export interface MetricReport {
  label: string;
  formula: string;
  unit: 'percent' | 'number';
  /** Full-precision value (a percent in percentage points). */
  computed: string;
  /** Rounded to the display precision: this is what is scored. */
  value: string;
  /** As shown: 84.48% */
  shown: string;
}

export interface TargetReport {
  kind: 'quantitative' | 'qualitative';
  comparator?: string;
  target: string;
  targetMax?: string;
  unit?: string;
  actual?: string;
  actualText?: string;
  tier?: string;
  met: boolean;
}

export interface LostPoints {
  code: string;
  name: string;
  lost: string;
  reason: string;
}
