import {
  childPointer,
  type ContinuationSpec,
  type IndicatorNode,
  type InputContinuation,
  type InputSpec,
  isDeclaredNode,
  isGroupNode,
  formulaReferences,
  type Localized,
  localized,
  parseFormula,
  type RuleSet,
  type Submission,
  toPointer,
} from '@jiping/rules';
import { ScoringError, ScoringErrorCode, type ScoringProblem } from '../scoring.error';

/** The version on either side of a simulation. */
export interface SimulationSide {
  id: string;
  version: string;
  fiscalYear: number;
  checksum: string;
}

/** One value earlier data lacked and the later rule set declared (`continues.inputs[].assume`). */
export interface SimulationAssumption {
  /** Key of the assumption, stable across departments: the input id, or `<input>/<point>` for a checklist point. */
  key: string;
  input: string;
  /** The checklist point, when one point of a checklist is assumed. */
  point?: string;
  /** As users know it: 数据安全管理 › 已制定数据安全管理制度. */
  label: string;
  /** The value as a submission gives it. */
  value: unknown;
  /** How it reads: 满足, 不满足, 是, 否, 100, 达成 2分. */
  shown: string;
  /** The bureau's reason, from the rule file. */
  reason?: string;
  /** The leaves of the later rule set whose score reads the value directly (code and name). */
  indicators: Array<{ code: string; name: string }>;
}

export type SimulationNoteKind =
  | 'version-differs'
  | 'input-renamed'
  | 'input-dropped'
  | 'point-dropped'
  | 'evidence-dropped'
  | 'targets-dropped'
  | 'budget-dropped';

/** What the mapping did without an assumption: earlier data renamed or ignored, never an error. */
export interface SimulationNote {
  kind: SimulationNoteKind;
  /** The input id, `<input>/<point>`, indicator code or section code the note is about. */
  code: string;
  message: Localized;
}

/** What a simulation is: earlier data (`from`) scored under a later rule set (`to`), and what that took. */
export interface Simulation {
  /** 2021年数据按2022年规则模拟 */
  description: Localized;
  from: SimulationSide;
  to: SimulationSide;
  /** The assumed values this submission used, in the later rule set's input order. */
  assumptions: SimulationAssumption[];
  notes: SimulationNote[];
}

/** Earlier data as the later rule set reads it, and the account of how it was made. */
export interface ContinuedSubmission {
  submission: Submission;
  simulation: Simulation;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

const sideOf = (ruleSet: RuleSet): SimulationSide => ({
  id: ruleSet.id,
  version: ruleSet.version,
  fiscalYear: ruleSet.file.fiscalYear,
  checksum: ruleSet.checksum,
});

/** 2021年数据按2022年规则模拟 (or, within one year, 按 2021.2.0 版规则模拟). */
export function describeSimulation(from: SimulationSide, to: SimulationSide): Localized {
  return from.fiscalYear === to.fiscalYear
    ? localized(
        `${from.fiscalYear}年数据按${to.version}版规则模拟`,
        `${from.fiscalYear} data scored under version ${to.version} of the rules (simulation)`,
      )
    : localized(
        `${from.fiscalYear}年数据按${to.fiscalYear}年规则模拟`,
        `${from.fiscalYear} data scored under the ${to.fiscalYear} rules (simulation)`,
      );
}

/**
 * Whether `later` declares that it continues `earlier`: the same series (id) and fiscal year as its `continues`.
 * The version may differ (then the mapping compares with the version the data was really made under, and says so).
 */
export function continuesRuleSet(later: RuleSet, earlier: RuleSet): boolean {
  const spec = later.file.continues;
  return (
    !!spec &&
    spec.id === earlier.id &&
    spec.fiscalYear === earlier.file.fiscalYear &&
    later.checksum !== earlier.checksum
  );
}

/**
 * Why `later` cannot score data made under `earlier`, as one message, or undefined when it can (see
 * {@link continuesRuleSet}).
 */
export function continuationMismatch(later: RuleSet, earlier: RuleSet): Localized | undefined {
  const spec = later.file.continues;
  const name = `${later.id}@${later.version}`;
  if (!spec) {
    return localized(
      `规则集 ${name} 是 ${later.file.fiscalYear} 年度的，未声明承接哪个版本（continues），不能用于 ${earlier.file.fiscalYear} 年数据：在规则文件中写 "continues": { "id": "${earlier.id}", "version": "${earlier.version}", "fiscalYear": ${earlier.file.fiscalYear} }`,
      `rule set ${name} is for ${later.file.fiscalYear} and declares no earlier version it continues, so it cannot score ${earlier.file.fiscalYear} data: add "continues": { "id": "${earlier.id}", "version": "${earlier.version}", "fiscalYear": ${earlier.file.fiscalYear} } to the rule file`,
    );
  }
  if (spec.id !== earlier.id || spec.fiscalYear !== earlier.file.fiscalYear) {
    return localized(
      `规则集 ${name} 承接 ${spec.id} ${spec.fiscalYear} 年度（${spec.version}），不能用于按 ${earlier.id} ${earlier.file.fiscalYear} 年度（${earlier.version}）填报的数据`,
      `rule set ${name} continues ${spec.id} of ${spec.fiscalYear} (${spec.version}); it cannot score data made under ${earlier.id} of ${earlier.file.fiscalYear} (${earlier.version})`,
    );
  }
  return undefined;
}

/**
 * Earlier data as a later rule set reads it (cross-year simulation, 模拟): `submission` was made under `earlier`, and
 * `later` declares that it continues that series and year (`continues`). The result is a new submission for `later`'s
 * fiscal year; nothing given is modified.
 *
 * - Inputs with the same id and type carry over. An input declared `from` takes the earlier input's value (a rename).
 *   An input earlier data lacks takes its declared `assume` value, and so does a checklist point earlier data lacks;
 *   each is listed in `simulation.assumptions`. A value earlier data has always wins over an assumption (so a what-if
 *   may set it).
 * - Earlier inputs, checklist points, evidence of indicators, declared sections and a budget table the later rule set
 *   no longer has are dropped, each with a note; never an error.
 * - Other parts of the submission (overview, targets of sections both have, their results, parts this module does
 *   not know) carry over as they are; the later rule set's own validation then checks them.
 *
 * Throws ScoringError CANNOT_SIMULATE when `later` does not continue `earlier`'s series and year, or when an input
 * of `later` has no value in earlier data and no declaration (or changed type without one), listing every such input
 * at its pointer into `later`'s rule file.
 */
export function continueSubmission(later: RuleSet, earlier: RuleSet, submission: Submission): ContinuedSubmission {
  const mismatch = continuationMismatch(later, earlier);
  if (mismatch)
    throw new ScoringError(ScoringErrorCode.CANNOT_SIMULATE, mismatch, [{ pointer: '/continues', message: mismatch }]);
  const spec = later.file.continues as ContinuationSpec;
  const from = sideOf(earlier);
  const to = sideOf(later);
  const notes: SimulationNote[] = [];
  const assumptions: SimulationAssumption[] = [];
  const problems: ScoringProblem[] = [];
  const readers = inputReaders(later.file.indicators);
  const fromYear = `${from.fiscalYear}年`;

  if (spec.version !== earlier.version) {
    notes.push({
      kind: 'version-differs',
      code: earlier.version,
      message: localized(
        `规则文件声明承接 ${spec.version} 版，本数据按 ${earlier.version} 版填报，按实际填报的版本对应`,
        `the rule file continues version ${spec.version}; this data was made under ${earlier.version} and is mapped from that version`,
      ),
    });
  }

  const earlierInputs = new Map(earlier.file.inputs.map((input) => [input.id, input]));
  const declared = new Map((spec.inputs ?? []).map((mapping, i) => [mapping.id, { mapping, i }]));
  const given: Json = isObject(submission.inputs) ? submission.inputs : {};
  const used = new Set<string>();
  const inputs: Json = {};

  later.file.inputs.forEach((input, index) => {
    const declaration = declared.get(input.id);
    const mapping = declaration?.mapping;
    const pointer = declaration ? toPointer('continues', 'inputs', declaration.i) : toPointer('inputs', index);
    const assume = (value: unknown, point?: string): void => {
      assumptions.push(assumptionOf(input, value, mapping?.reason, readers.get(input.id) ?? [], point));
    };
    if (mapping?.from !== undefined) {
      if (!Object.hasOwn(given, mapping.from)) {
        // Data that lacks an input of its own version is incomplete: the later validation names the missing input.
        if (earlierInputs.has(mapping.from)) return;
        problems.push({
          pointer: childPointer(pointer, 'from'),
          message: localized(
            `输入项 ${input.label}（${input.id}）声明沿用“${mapping.from}”，但 ${earlier.id}@${earlier.version} 没有这个输入项`,
            `input ${input.id} is declared to take "${mapping.from}", which ${earlier.id}@${earlier.version} does not have`,
          ),
        });
        return;
      }
      used.add(mapping.from);
      inputs[input.id] = copy(given[mapping.from]);
      if (mapping.from !== input.id) {
        const old = earlierInputs.get(mapping.from);
        notes.push({
          kind: 'input-renamed',
          code: input.id,
          message: localized(
            `${fromYear}的 ${old?.label ?? mapping.from}（${mapping.from}）对应为 ${input.label}（${input.id}）`,
            `${from.fiscalYear}'s ${mapping.from} is taken as ${input.id}`,
          ),
        });
      }
      return;
    }
    const old = earlierInputs.get(input.id);
    const present = Object.hasOwn(given, input.id);
    // The same id and type carries over, present or not (data that lacks an input of its own version is incomplete,
    // and the later validation says so); a value for an input its version did not have was set by a what-if.
    if (old?.type === input.type || (!old && present)) {
      if (!present) return;
      used.add(input.id);
      const value = copy(given[input.id]);
      inputs[input.id] =
        input.type === 'checklist' && isObject(value)
          ? completeChecklist(input, old, value, mapping, pointer, {
              assume,
              notes,
              problems,
              fromYear,
              year: from.fiscalYear,
            })
          : value;
      return;
    }
    if (mapping && Object.hasOwn(mapping, 'assume')) {
      if (Object.hasOwn(given, input.id)) {
        used.add(input.id);
        notes.push(typeChangedNote(input, old!, fromYear));
      }
      inputs[input.id] = assumedValue(input, mapping, pointer, { assume, problems, fromYear, year: from.fiscalYear });
      return;
    }
    problems.push({
      pointer,
      message:
        old && Object.hasOwn(given, input.id)
          ? localized(
              `输入项 ${input.label}（${input.id}）的类型由 ${old.type} 改为 ${input.type}，${fromYear}数据不能直接沿用：在 continues.inputs 中为它声明 assume（假定值）或 from`,
              `input ${input.id} changed type from ${old.type} to ${input.type}, so ${from.fiscalYear} data cannot carry over: declare "assume" or "from" for it under continues.inputs`,
            )
          : localized(
              `新增输入项 ${input.label}（${input.id}）在${fromYear}数据中没有：在 continues.inputs 中为它声明 assume（模拟时的假定值）或 from（改名前的输入项）`,
              `the new input ${input.id} is not in the ${from.fiscalYear} data: declare "assume" (the value assumed in a simulation) or "from" (its earlier id) for it under continues.inputs`,
            ),
    });
  });

  for (const id of Object.keys(given)) {
    if (used.has(id)) continue;
    const old = earlierInputs.get(id);
    notes.push({
      kind: 'input-dropped',
      code: id,
      message: localized(
        `${fromYear}数据中的 ${old?.label ?? id}（${id}）在新规则中已删除，不参与模拟`,
        `${from.fiscalYear}'s input ${id} is not in the new rules and is ignored`,
      ),
    });
  }

  if (problems.length > 0) {
    throw new ScoringError(
      ScoringErrorCode.CANNOT_SIMULATE,
      localized(
        `规则集 ${later.id}@${later.version} 不能模拟${fromYear}数据：${problems.length} 个输入项没有取值`,
        `rule set ${later.id}@${later.version} cannot score the ${from.fiscalYear} data: ${problems.length} input(s) have no value`,
      ),
      problems,
    );
  }

  const continued: Json = { ...(submission as unknown as Json), fiscalYear: later.file.fiscalYear, inputs };
  carrySections(later, earlier, continued, notes, fromYear);
  carryEvidence(later, earlier, continued, notes, fromYear);
  if (continued.budget !== undefined && !later.file.budgetHeader) {
    delete continued.budget;
    notes.push({
      kind: 'budget-dropped',
      code: 'budget',
      message: localized(
        `新规则没有单位基本情况预算表，${fromYear}数据中的预算数据不参与模拟`,
        `the new rules have no budget table; the ${from.fiscalYear} budget data is ignored`,
      ),
    });
  }
  return {
    submission: continued as unknown as Submission,
    simulation: { description: describeSimulation(from, to), from, to, assumptions, notes },
  };
}

/** What a simulation of any data made under `earlier` by `later` involves, from the two rule files alone. */
export interface SimulationFrame {
  description: Localized;
  from: SimulationSide;
  to: SimulationSide;
  /** Every value `later` declares an assumption for, in its input order (a department uses those its data lacks). */
  assumptions: SimulationAssumption[];
  /** What the rule files say is renamed or left out: removed inputs, indicators and declared sections, renames. */
  notes: SimulationNote[];
}

/**
 * The frame of a simulation (impact analysis: the same for every department): what is simulated, every assumption
 * `later` declares (labels, values, the leaves that read them) and what the rule files rename or leave out. Throws
 * ScoringError CANNOT_SIMULATE when `later` does not continue `earlier`'s series and year.
 */
export function simulationFrameOf(later: RuleSet, earlier: RuleSet): SimulationFrame {
  const mismatch = continuationMismatch(later, earlier);
  if (mismatch) {
    throw new ScoringError(ScoringErrorCode.CANNOT_SIMULATE, mismatch, [{ pointer: '/continues', message: mismatch }]);
  }
  const from = sideOf(earlier);
  const to = sideOf(later);
  const fromYear = `${from.fiscalYear}年`;
  const readers = inputReaders(later.file.indicators);
  const inputs = new Map(later.file.inputs.map((input) => [input.id, input]));
  const assumptions: SimulationAssumption[] = [];
  const notes: SimulationNote[] = [];
  const renamedFrom = new Set<string>();
  for (const mapping of later.file.continues?.inputs ?? []) {
    const input = inputs.get(mapping.id);
    if (!input) continue;
    if (mapping.from !== undefined) {
      renamedFrom.add(mapping.from);
      if (mapping.from !== input.id) {
        const old = earlier.file.inputs.find((i) => i.id === mapping.from);
        notes.push({
          kind: 'input-renamed',
          code: input.id,
          message: localized(
            `${fromYear}的 ${old?.label ?? mapping.from}（${mapping.from}）对应为 ${input.label}（${input.id}）`,
            `${from.fiscalYear}'s ${mapping.from} is taken as ${input.id}`,
          ),
        });
      }
      continue;
    }
    const value = mapping.assume;
    const who = readers.get(input.id) ?? [];
    if (input.type === 'checklist' && isObject(value)) {
      for (const point of input.points) {
        if (Object.hasOwn(value, point.id))
          assumptions.push(assumptionOf(input, value[point.id], mapping.reason, who, point.id));
      }
    } else assumptions.push(assumptionOf(input, value, mapping.reason, who));
  }
  for (const old of earlier.file.inputs) {
    if (inputs.has(old.id) || renamedFrom.has(old.id)) continue;
    notes.push({
      kind: 'input-dropped',
      code: old.id,
      message: localized(
        `${fromYear}的 ${old.label}（${old.id}）在新规则中已删除，不参与模拟`,
        `${from.fiscalYear}'s input ${old.id} is not in the new rules and is ignored`,
      ),
    });
  }
  const laterCodes = new Set(nodeCodes(later.file.indicators));
  for (const node of nodesOf(earlier.file.indicators)) {
    if (laterCodes.has(node.code) || isGroupNode(node)) continue;
    notes.push(
      isDeclaredNode(node)
        ? {
            kind: 'targets-dropped',
            code: node.code,
            message: localized(
              `新规则没有申报类指标 ${node.name}（${node.code}），${fromYear}申报的目标及其完成值不参与模拟`,
              `the new rules have no declared section ${node.code}; its targets and results are ignored`,
            ),
          }
        : {
            kind: 'evidence-dropped',
            code: node.code,
            message: localized(
              `${fromYear}指标 ${node.name}（${node.code}）在新规则中已删除，其佐证材料不参与模拟`,
              `indicator ${node.code} is not in the new rules; its evidence is ignored`,
            ),
          },
    );
  }
  return { description: describeSimulation(from, to), from, to, assumptions, notes };
}

interface MappingContext {
  assume: (value: unknown, point?: string) => void;
  problems: ScoringProblem[];
  fromYear: string;
  year: number;
}

/** A carried-over checklist with the points the later input no longer has dropped and the new ones assumed. */
function completeChecklist(
  input: Extract<InputSpec, { type: 'checklist' }>,
  old: InputSpec | undefined,
  value: Json,
  mapping: InputContinuation | undefined,
  pointer: string,
  context: MappingContext & { notes: SimulationNote[] },
): Json {
  const assumed = isObject(mapping?.assume) ? mapping.assume : {};
  const points = new Map(input.points.map((point) => [point.id, point]));
  const earlierPoints = new Set(old?.type === 'checklist' ? old.points.map((point) => point.id) : []);
  const result: Json = {};
  for (const point of input.points) {
    if (Object.hasOwn(value, point.id)) result[point.id] = value[point.id];
    else if (earlierPoints.has(point.id))
      continue; // incomplete data: the later validation names the point
    else if (Object.hasOwn(assumed, point.id)) {
      result[point.id] = copy(assumed[point.id]);
      context.assume(assumed[point.id], point.id);
    } else {
      context.problems.push({
        pointer,
        message: localized(
          `${input.label}（${input.id}）新增要点 ${point.label}（${point.id}）在${context.fromYear}数据中没有：在 continues.inputs 中为它声明 assume，如 { "id": "${input.id}", "assume": { "${point.id}": true } }`,
          `the new point ${point.id} of ${input.id} is not in the ${context.year} data: declare it under continues.inputs, e.g. { "id": "${input.id}", "assume": { "${point.id}": true } }`,
        ),
      });
    }
  }
  for (const id of Object.keys(value)) {
    if (points.has(id)) continue;
    context.notes.push({
      kind: 'point-dropped',
      code: `${input.id}/${id}`,
      message: localized(
        `${context.fromYear}数据中 ${input.label} 的要点“${id}”在新规则中已删除，不参与模拟`,
        `point ${id} of ${input.id} is not in the new rules and is ignored`,
      ),
    });
  }
  return result;
}

/** The declared value of an input earlier data lacks, as a submission would give it. */
function assumedValue(input: InputSpec, mapping: InputContinuation, pointer: string, context: MappingContext): unknown {
  const value = mapping.assume;
  if (input.type === 'checklist') {
    const assumed = isObject(value) ? value : {};
    const result: Json = {};
    for (const point of input.points) {
      if (Object.hasOwn(assumed, point.id)) {
        result[point.id] = copy(assumed[point.id]);
        context.assume(assumed[point.id], point.id);
      } else {
        context.problems.push({
          pointer: childPointer(pointer, 'assume'),
          message: localized(
            `${input.label}（${input.id}）在${context.fromYear}数据中没有，要点 ${point.label}（${point.id}）也需要假定值`,
            `${input.id} is not in the ${context.year} data: point ${point.id} needs an assumed value too`,
          ),
        });
      }
    }
    return result;
  }
  context.assume(value);
  if (input.type === 'judgment' && isObject(value)) {
    const reason = typeof value.reason === 'string' && value.reason.trim() !== '' ? value.reason : mapping.reason;
    return { ...copy(value), reason: reason ?? `${context.fromYear}数据无此项，按规则文件假定` };
  }
  return copy(value);
}

function typeChangedNote(input: InputSpec, old: InputSpec, fromYear: string): SimulationNote {
  return {
    kind: 'input-dropped',
    code: input.id,
    message: localized(
      `${input.label}（${input.id}）的类型由 ${old.type} 改为 ${input.type}，${fromYear}数据中的值不再使用，按假定值模拟`,
      `${input.id} changed type from ${old.type} to ${input.type}; the earlier value is ignored and the assumed value used`,
    ),
  };
}

function assumptionOf(
  input: InputSpec,
  value: unknown,
  reason: string | undefined,
  indicators: Array<{ code: string; name: string }>,
  point?: string,
): SimulationAssumption {
  const pointSpec = point && input.type === 'checklist' ? input.points.find((p) => p.id === point) : undefined;
  return {
    key: point ? `${input.id}/${point}` : input.id,
    input: input.id,
    ...(point && { point }),
    label: pointSpec ? `${input.label} › ${pointSpec.label}` : input.label,
    value: copy(value),
    shown: shownValue(input, value, point !== undefined),
    ...(reason && { reason }),
    indicators,
  };
}

/** How an assumed value reads in a report. */
function shownValue(input: InputSpec, value: unknown, isPoint: boolean): string {
  if (isPoint) {
    const met = isObject(value) ? value.met : value;
    return met === true ? '满足' : '不满足';
  }
  switch (input.type) {
    case 'boolean':
      return value === true ? '是' : '否';
    case 'percent':
      return `${String(value)}%`;
    case 'money':
      return `${String(value)}${input.unit}`;
    case 'count':
    case 'number':
      return `${String(value)}${input.unit ?? ''}`;
    case 'judgment': {
      const judged = isObject(value) ? value : {};
      return `${typeof judged.tier === 'string' ? `${judged.tier} ` : ''}${String(judged.score)}分`;
    }
    default:
      return String(value);
  }
}

/** Declared sections (履职效能) the later rule set no longer has: their targets and results are dropped. */
function carrySections(
  later: RuleSet,
  earlier: RuleSet,
  continued: Json,
  notes: SimulationNote[],
  fromYear: string,
): void {
  if (!isObject(continued.targets)) return;
  const sections = new Set(declaredSections(later.file.indicators).map((node) => node.code));
  const earlierNames = new Map(declaredSections(earlier.file.indicators).map((node) => [node.code, node.name]));
  const targets: Json = {};
  const results: Json = isObject(continued.targetResults) ? { ...continued.targetResults } : {};
  for (const [code, declared] of Object.entries(continued.targets)) {
    if (sections.has(code)) {
      targets[code] = declared;
      continue;
    }
    for (const row of rowsOf(declared)) delete results[row];
    notes.push({
      kind: 'targets-dropped',
      code,
      message: localized(
        `新规则没有申报类指标 ${earlierNames.get(code) ?? code}（${code}），${fromYear}申报的目标及其完成值不参与模拟`,
        `the new rules have no declared section ${code}; its ${fromYear.replace('年', '')} targets and results are ignored`,
      ),
    });
  }
  continued.targets = targets;
  if (continued.targetResults !== undefined) continued.targetResults = results;
}

/** Codes of the goals and key indicators of one section's declaration (levels 1 or 2). */
function rowsOf(declared: unknown): string[] {
  if (!Array.isArray(declared)) return [];
  return declared.flatMap((row: unknown) => {
    if (!isObject(row)) return [];
    const own = typeof row.code === 'string' ? [row.code] : [];
    return Array.isArray(row.indicators) ? [...own, ...rowsOf(row.indicators)] : own;
  });
}

/** Evidence of indicators the later rule set no longer has is dropped. */
function carryEvidence(
  later: RuleSet,
  earlier: RuleSet,
  continued: Json,
  notes: SimulationNote[],
  fromYear: string,
): void {
  if (!isObject(continued.evidence)) return;
  const codes = new Set(nodeCodes(later.file.indicators));
  if (isObject(continued.targets))
    for (const declared of Object.values(continued.targets)) rowsOf(declared).forEach((c) => codes.add(c));
  const earlierNames = new Map(nodesOf(earlier.file.indicators).map((node) => [node.code, node.name]));
  const evidence: Json = {};
  for (const [code, value] of Object.entries(continued.evidence)) {
    if (codes.has(code)) {
      evidence[code] = value;
      continue;
    }
    notes.push({
      kind: 'evidence-dropped',
      code,
      message: localized(
        `${fromYear}指标 ${earlierNames.get(code) ?? code}（${code}）在新规则中已删除，其佐证材料不参与模拟`,
        `indicator ${code} is not in the new rules; its evidence is ignored`,
      ),
    });
  }
  continued.evidence = evidence;
}

const nodesOf = (nodes: readonly IndicatorNode[]): IndicatorNode[] =>
  nodes.flatMap((node) => (isGroupNode(node) ? [node, ...nodesOf(node.children)] : [node]));
const nodeCodes = (nodes: readonly IndicatorNode[]): string[] => nodesOf(nodes).map((node) => node.code);
const declaredSections = (nodes: readonly IndicatorNode[]) => nodesOf(nodes).filter(isDeclaredNode);

/**
 * The leaves that read each input directly: through their method (any `input` it names, e.g. checklist, boolean,
 * judgment, the sides of count-adjust), their metric's formula, their conditions (`applies`, `veto`) and their 评分依据
 * template. A leaf that reads another's score() is not listed for that leaf's inputs.
 */
export function inputReaders(nodes: readonly IndicatorNode[]): Map<string, Array<{ code: string; name: string }>> {
  const readers = new Map<string, Array<{ code: string; name: string }>>();
  for (const node of nodesOf(nodes)) {
    if (isGroupNode(node) || isDeclaredNode(node)) continue;
    for (const id of leafInputs(node)) {
      const list = readers.get(id) ?? [];
      list.push({ code: node.code, name: node.name });
      readers.set(id, list);
    }
  }
  return readers;
}

function leafInputs(leaf: Extract<IndicatorNode, { method: unknown }>): Set<string> {
  const ids = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        if ((key === 'input' || key === 'fact') && typeof child === 'string') ids.add(child);
        else walk(child);
      }
    }
  };
  walk(leaf.method);
  walk(leaf.applies);
  walk(leaf.veto);
  const formula = leaf.metric ? parseFormula(leaf.metric.formula).ast : undefined;
  if (formula) for (const id of formulaReferences(formula).inputs) ids.add(id);
  for (const [, id] of (leaf.basis ?? '').matchAll(/\{([A-Za-z][A-Za-z0-9]*)\}/g)) ids.add(id);
  ids.delete('metric');
  return ids;
}
