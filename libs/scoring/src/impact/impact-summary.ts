import { D, roundTo, ZERO, fixed } from '../decimal';
import type { SimulationAssumption } from '../continuation/continue-submission';
import type { ImpactFrame, ImpactIndicator, ImpactScoring, ImpactVetoSpec } from './impact-scoring';

/** The department a row is about. */
export interface ImpactDepartment {
  code: string;
  name: string;
}

/** One department scored under the rule set in force (before) and the candidate (after). */
export interface ImpactInput {
  department: ImpactDepartment;
  before: ImpactScoring;
  after: ImpactScoring;
}

/** One department's outcome: old and new total and grade, and the change of the total (after − before). */
export interface ImpactRow {
  department: ImpactDepartment;
  /** Total and grade after the vetoes and caps that held (their codes in `vetoes`, absent when none held). */
  before: { total: string; grade: string; vetoes?: string[] };
  /** `notApplicable`: the codes the department marked 不适用 (absent when none). */
  after: { total: string; grade: string; vetoes?: string[]; notApplicable?: string[] };
  delta: string;
  /** In a simulation, the keys of the assumed values the department's "after" used (absent when none). */
  assumed?: string[];
}

/** The smallest or largest change of a total, and the department with it (the first by code on a tie). */
export interface ImpactExtreme {
  delta: string;
  department: ImpactDepartment;
}

/** How one indicator moved across the departments. */
export interface IndicatorImpact {
  code: string;
  name: string;
  /** Σ(after − before) over every department scored, divided by their number. */
  meanDelta: string;
  /** Σ(after − before) over every department scored. */
  totalDelta: string;
  /** Departments whose score of this indicator changed; `raised` + `lowered` = `moved`. */
  moved: number;
  raised: number;
  lowered: number;
}

/** The result of a rule-change impact over every department fed to an {@link ImpactSummary}. */
export interface ImpactSummaryResult {
  /** Departments scored under both rule sets. */
  departments: number;
  /** Departments that could not be scored under one or both rule sets (not counted anywhere else). */
  failed: number;
  /** Departments whose total changed, rose, fell. */
  changed: number;
  raised: number;
  lowered: number;
  /** Of the totals' changes: mean and median, and the extremes; null when no department was scored. */
  delta: { mean: string; median: string; min: ImpactExtreme; max: ImpactExtreme } | null;
  /** Grade labels, highest first: the rows (before) and the columns (after) of the transition matrix. */
  grades: { before: string[]; after: string[] };
  /** transitions[before grade][after grade] = departments; every cell present, the cells sum to `departments`. */
  transitions: Record<string, Record<string, number>>;
  /** Departments whose grade changed, and of them those that moved up or down the list of grades. */
  gradeChanges: { changed: number; up: number; down: number };
  /** The departments whose total changed most (by |delta|, then by code), at most `moverLimit` of them. */
  movers: ImpactRow[];
  /** The indicators that moved at least one department, the largest |totalDelta| first. */
  indicators: IndicatorImpact[];
  /**
   * In a simulation (earlier data under a rule set that continues its version), each value the rule set declares an
   * assumption for and how many departments' scores used it (their data lacked it); absent otherwise.
   */
  assumptions?: ImpactAssumption[];
  /** In a simulation, the departments whose scores used at least one assumed value. */
  departmentsWithAssumptions?: number;
  /**
   * The vetoes and caps (一票否决与上限) of either rule set, and how many departments each held for before and after;
   * absent when neither rule set has any. The transition matrix counts the grades after them.
   */
  vetoes?: ImpactVeto[];
  /**
   * The indicators departments marked 不适用 under the candidate (after) and how many did, most first (then by code);
   * absent when none did. Their weight is redistributed as each department's report says.
   */
  notApplicable?: Array<{ code: string; name: string; departments: number }>;
}

/** A veto or cap and the departments it held for under the rule set in force (before) and the candidate (after). */
export interface ImpactVeto extends ImpactVetoSpec {
  before: number;
  after: number;
}

/** An assumed value of a simulation, and the departments whose scoring used it. */
export interface ImpactAssumption {
  key: string;
  input: string;
  point?: string;
  label: string;
  value: unknown;
  shown: string;
  reason?: string;
  indicators: Array<{ code: string; name: string }>;
  departments: number;
}

export interface ImpactSummaryOptions {
  before: ImpactFrame;
  after: ImpactFrame;
  /** How many biggest movers to keep (default 10). */
  moverLimit?: number;
  /** Decimals of the means (default 4, half-up). */
  meanPlaces?: number;
  /** In a simulation: the assumptions the candidate declares (SimulationFrame.assumptions), to count their use. */
  assumptions?: readonly SimulationAssumption[];
}

interface IndicatorTally {
  sum: D;
  places: number;
  moved: number;
  raised: number;
  lowered: number;
}

interface Mover {
  row: ImpactRow;
  magnitude: D;
}

/** A decimal with exactly `places` decimals; a change that rounds to zero shows as 0, never -0. */
const show = (value: D, places: number): string => {
  const text = fixed(value, places);
  return text.startsWith('-') && /^-[0.]*$/.test(text) ? text.slice(1) : text;
};

const placesOf = (text: string): number => {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
};

/** a before b: the larger change first, then the smaller department code. */
const moverFirst = (a: Mover, b: Mover): boolean => {
  const byMagnitude = a.magnitude.cmp(b.magnitude);
  return byMagnitude !== 0 ? byMagnitude > 0 : a.row.department.code < b.row.department.code;
};

/**
 * Accumulates a rule-change impact one department at a time and keeps only what the summary needs — the grade
 * transition counts, per-indicator running sums and counts, the extremes, the biggest movers, and the list of total
 * deltas for the median — never the reports or the rows, so hundreds of thousands of departments fit. Every figure is
 * a Decimal, shown as a decimal string. The order departments arrive in does not change the result.
 */
export class ImpactSummary {
  private readonly moverLimit: number;
  private readonly meanPlaces: number;
  private readonly names = new Map<string, string>();
  /** Rule-set order of the indicators, for reporting ties in a stable order. */
  private readonly order = new Map<string, number>();
  private readonly beforeGrades: string[];
  private readonly afterGrades: string[];
  private readonly transitions = new Map<string, Map<string, number>>();
  private readonly tallies = new Map<string, IndicatorTally>();
  private readonly deltas: D[] = [];
  private sorted = true;
  private sum: D = ZERO;
  private deltaPlaces = 0;
  private min?: { delta: D; row: ImpactRow };
  private max?: { delta: D; row: ImpactRow };
  private movers: Mover[] = [];
  private failedCount = 0;
  private raisedCount = 0;
  private loweredCount = 0;
  private gradeChanged = 0;
  private gradeUp = 0;
  private gradeDown = 0;
  private readonly assumptions?: readonly SimulationAssumption[];
  private readonly assumptionCounts = new Map<string, number>();
  private assumingDepartments = 0;
  private readonly vetoSpecs: ImpactVetoSpec[] = [];
  private readonly vetoCounts = { before: new Map<string, number>(), after: new Map<string, number>() };
  private readonly notApplicableCounts = new Map<string, number>();

  constructor(options: ImpactSummaryOptions) {
    this.assumptions = options.assumptions;
    this.moverLimit = options.moverLimit ?? 10;
    this.meanPlaces = options.meanPlaces ?? 4;
    this.beforeGrades = [...options.before.grades];
    this.afterGrades = [...options.after.grades];
    for (const veto of [...(options.after.vetoes ?? []), ...(options.before.vetoes ?? [])])
      if (!this.vetoSpecs.some((known) => known.code === veto.code)) this.vetoSpecs.push({ ...veto });
    const indicators: ImpactIndicator[] = [...options.before.indicators, ...options.after.indicators];
    for (const { code, name } of indicators) {
      if (!this.names.has(code)) this.names.set(code, name);
      if (!this.order.has(code)) this.order.set(code, this.order.size);
    }
  }

  /** Adds one department scored under both rule sets and returns its row (the summary does not keep it). */
  add(input: ImpactInput): ImpactRow {
    const { department, before, after } = input;
    const delta = new D(after.total).sub(before.total);
    const places = Math.max(placesOf(before.total), placesOf(after.total));
    this.deltaPlaces = Math.max(this.deltaPlaces, places);
    const row: ImpactRow = {
      department: { code: department.code, name: department.name },
      before: { total: before.total, grade: before.grade, ...(before.vetoes && { vetoes: [...before.vetoes] }) },
      after: {
        total: after.total,
        grade: after.grade,
        ...(after.vetoes && { vetoes: [...after.vetoes] }),
        ...(after.notApplicable && { notApplicable: [...after.notApplicable] }),
      },
      delta: show(delta, places),
      ...(after.assumed && after.assumed.length > 0 && { assumed: [...after.assumed] }),
    };

    this.deltas.push(delta);
    this.sorted = false;
    this.sum = this.sum.add(delta);
    if (delta.gt(0)) this.raisedCount++;
    else if (delta.lt(0)) this.loweredCount++;
    const earlier = (current: ImpactRow): boolean => department.code < current.department.code;
    if (!this.min || delta.lt(this.min.delta) || (delta.eq(this.min.delta) && earlier(this.min.row)))
      this.min = { delta, row };
    if (!this.max || delta.gt(this.max.delta) || (delta.eq(this.max.delta) && earlier(this.max.row)))
      this.max = { delta, row };
    if (!delta.isZero()) this.keepMover({ row, magnitude: delta.abs() });

    this.countTransition(before.grade, after.grade);
    for (const [side, scoring] of [
      ['before', before],
      ['after', after],
    ] as const)
      for (const code of new Set(scoring.vetoes ?? []))
        this.vetoCounts[side].set(code, (this.vetoCounts[side].get(code) ?? 0) + 1);
    for (const code of new Set(after.notApplicable ?? []))
      this.notApplicableCounts.set(code, (this.notApplicableCounts.get(code) ?? 0) + 1);
    this.tallyIndicators(before.scores, after.scores);
    if (after.assumed && after.assumed.length > 0) {
      this.assumingDepartments++;
      for (const key of new Set(after.assumed))
        this.assumptionCounts.set(key, (this.assumptionCounts.get(key) ?? 0) + 1);
    }
    return row;
  }

  /** Counts a department that could not be scored under one or both rule sets. */
  addFailure(): void {
    this.failedCount++;
  }

  /** The summary of everything added so far (may be called again after more rows). */
  result(): ImpactSummaryResult {
    const departments = this.deltas.length;
    return {
      departments,
      failed: this.failedCount,
      changed: this.raisedCount + this.loweredCount,
      raised: this.raisedCount,
      lowered: this.loweredCount,
      delta:
        departments === 0
          ? null
          : {
              mean: this.mean(this.sum, departments),
              median: this.median(),
              min: { delta: this.min!.row.delta, department: this.min!.row.department },
              max: { delta: this.max!.row.delta, department: this.max!.row.department },
            },
      grades: { before: [...this.beforeGrades], after: [...this.afterGrades] },
      transitions: this.transitionMatrix(),
      gradeChanges: { changed: this.gradeChanged, up: this.gradeUp, down: this.gradeDown },
      movers: this.movers.map((mover) => mover.row),
      indicators: this.indicatorImpacts(departments),
      ...(this.assumptions && {
        assumptions: this.assumptionImpacts(this.assumptions),
        departmentsWithAssumptions: this.assumingDepartments,
      }),
      ...(this.notApplicableCounts.size > 0 && {
        notApplicable: [...this.notApplicableCounts]
          .map(([code, departments]) => ({ code, name: this.names.get(code) ?? code, departments }))
          .sort((a, b) => b.departments - a.departments || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
      }),
      ...(this.vetoSpecs.length > 0 && {
        vetoes: this.vetoSpecs.map((veto) => ({
          ...veto,
          before: this.vetoCounts.before.get(veto.code) ?? 0,
          after: this.vetoCounts.after.get(veto.code) ?? 0,
        })),
      }),
    };
  }

  /** The declared assumptions in their order, each with its count; a key no declaration names (none should) last. */
  private assumptionImpacts(declared: readonly SimulationAssumption[]): ImpactAssumption[] {
    const known = new Set(declared.map((a) => a.key));
    const listed: ImpactAssumption[] = declared.map((a) => ({
      key: a.key,
      input: a.input,
      ...(a.point && { point: a.point }),
      label: a.label,
      value: a.value,
      shown: a.shown,
      ...(a.reason && { reason: a.reason }),
      indicators: a.indicators.map((i) => ({ ...i })),
      departments: this.assumptionCounts.get(a.key) ?? 0,
    }));
    for (const [key, departments] of this.assumptionCounts) {
      if (known.has(key)) continue;
      const [input, point] = key.split('/');
      listed.push({
        key,
        input,
        ...(point && { point }),
        label: key,
        value: null,
        shown: '',
        indicators: [],
        departments,
      });
    }
    return listed;
  }

  private keepMover(mover: Mover): void {
    const movers = this.movers;
    if (movers.length >= this.moverLimit && !moverFirst(mover, movers[movers.length - 1])) return;
    let at = movers.length;
    while (at > 0 && moverFirst(mover, movers[at - 1])) at--;
    movers.splice(at, 0, mover);
    if (movers.length > this.moverLimit) movers.pop();
  }

  private countTransition(before: string, after: string): void {
    if (!this.beforeGrades.includes(before)) this.beforeGrades.push(before);
    if (!this.afterGrades.includes(after)) this.afterGrades.push(after);
    let row = this.transitions.get(before);
    if (!row) this.transitions.set(before, (row = new Map()));
    row.set(after, (row.get(after) ?? 0) + 1);
    if (before !== after) {
      this.gradeChanged++;
      // A grade's rank is its place in its own rule set's list, highest first.
      const [from, to] = [this.beforeGrades.indexOf(before), this.afterGrades.indexOf(after)];
      if (to < from) this.gradeUp++;
      else if (to > from) this.gradeDown++;
    }
  }

  private tallyIndicators(before: Record<string, string>, after: Record<string, string>): void {
    const tally = (code: string, from: string | undefined, to: string | undefined): void => {
      let entry = this.tallies.get(code);
      if (!entry) this.tallies.set(code, (entry = { sum: ZERO, places: 0, moved: 0, raised: 0, lowered: 0 }));
      // An indicator only one rule set has scores 0 under the other.
      const delta = new D(to ?? 0).sub(from ?? 0);
      entry.places = Math.max(entry.places, placesOf(from ?? '0'), placesOf(to ?? '0'));
      if (delta.isZero()) return;
      entry.sum = entry.sum.add(delta);
      entry.moved++;
      if (delta.gt(0)) entry.raised++;
      else entry.lowered++;
    };
    for (const code of Object.keys(before)) tally(code, before[code], after[code]);
    for (const code of Object.keys(after)) if (!(code in before)) tally(code, undefined, after[code]);
  }

  private mean(sum: D, count: number): string {
    return show(roundTo(sum.div(count), this.meanPlaces, 'half-up'), this.meanPlaces);
  }

  private median(): string {
    if (!this.sorted) {
      this.deltas.sort((a, b) => a.cmp(b));
      this.sorted = true;
    }
    const n = this.deltas.length;
    const mid = n >> 1;
    const value = n % 2 === 1 ? this.deltas[mid] : this.deltas[mid - 1].add(this.deltas[mid]).div(2);
    return show(value, Math.max(this.deltaPlaces, value.decimalPlaces()));
  }

  private transitionMatrix(): Record<string, Record<string, number>> {
    return Object.fromEntries(
      this.beforeGrades.map((from) => [
        from,
        Object.fromEntries(this.afterGrades.map((to) => [to, this.transitions.get(from)?.get(to) ?? 0])),
      ]),
    );
  }

  private indicatorImpacts(departments: number): IndicatorImpact[] {
    const rank = (code: string): number => this.order.get(code) ?? Number.MAX_SAFE_INTEGER;
    return [...this.tallies.entries()]
      .filter(([, tally]) => tally.moved > 0)
      .sort(([a, x], [b, y]) => y.sum.abs().cmp(x.sum.abs()) || rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([code, tally]) => ({
        code,
        name: this.names.get(code) ?? code,
        meanDelta: this.mean(tally.sum, departments),
        totalDelta: show(tally.sum, tally.places),
        moved: tally.moved,
        raised: tally.raised,
        lowered: tally.lowered,
      }));
  }
}
