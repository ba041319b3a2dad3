/**
 * The parts of a published rule file (GET /rule-sets/{ref}) the 年终填报 form is generated from: the declared inputs,
 * the indicator tree that groups them, and the declared (履职效能) sections. Read as sent; nothing is scored here.
 */
export interface ChecklistPoint {
  id: string;
  label: string;
  points: string;
}

export type InputSpec =
  | { id: string; label: string; type: 'money'; unit: string; description?: string; allowNegative?: boolean }
  | { id: string; label: string; type: 'percent'; places?: number; description?: string; allowNegative?: boolean }
  | {
      id: string;
      label: string;
      type: 'number';
      places: number;
      unit?: string;
      description?: string;
      allowNegative?: boolean;
    }
  | { id: string; label: string; type: 'count'; unit?: string; description?: string }
  | { id: string; label: string; type: 'boolean'; description?: string }
  | { id: string; label: string; type: 'text'; maxLength?: number; description?: string }
  | { id: string; label: string; type: 'checklist'; points: ChecklistPoint[]; description?: string }
  | { id: string; label: string; type: 'judgment'; description?: string }
  | { id: string; label: string; type: string; description?: string; unit?: string };

export interface Tier {
  code: string;
  label: string;
  min: string;
  max: string;
}

export interface IndicatorNode {
  code: string;
  name: string;
  weight: string;
  explanation?: string;
  children?: IndicatorNode[];
  metric?: { formula?: string; label?: string; unit?: string };
  method?: { type?: string; input?: string; tiers?: Tier[]; [key: string]: unknown };
  /** A department may mark this leaf 不适用, with a reason. */
  allowNotApplicable?: boolean;
  declared?: {
    /** A department may mark any key indicator it declares here 不适用, with a reason. */
    allowNotApplicable?: boolean;
    levels?: number;
    comparators?: string[];
    minIndicatorWeight?: string;
    qualitativeTiers?: Tier[];
    [key: string]: unknown;
  };
}

export interface RuleFile {
  id: string;
  title: string;
  fiscalYear: number;
  inputs: InputSpec[];
  indicators: IndicatorNode[];
}

export interface RuleSetVersion {
  ref: string;
  ruleSetId: string;
  fiscalYear: number;
  versionNo: number;
  status: string;
  title: string;
}

/** A declared target indicator (绩效目标申报表 row). */
export interface DeclaredIndicator {
  code: string;
  name: string;
  weight: string;
  kind: 'quantitative' | 'qualitative';
  comparator?: string;
  target?: string;
  unit?: string;
  [key: string]: unknown;
}

export interface DeclaredGoal {
  code: string;
  name: string;
  weight: string;
  indicators: DeclaredIndicator[];
}

export type DeclaredTargets = Record<string, DeclaredGoal[]>;

/** A leaf of the tree with the path above it (一级 › 二级 › 三级). */
export interface LeafWithPath {
  leaf: IndicatorNode;
  path: string[];
}

export function leaves(nodes: IndicatorNode[], path: string[] = []): LeafWithPath[] {
  return nodes.flatMap((node) =>
    node.children?.length
      ? leaves(node.children, [...path, node.name])
      : node.declared
        ? []
        : [{ leaf: node, path: [...path, node.name] }],
  );
}

/** The declared sections (履职效能): nodes with `declared`. */
export function declaredSections(nodes: IndicatorNode[]): IndicatorNode[] {
  return nodes.flatMap((node) => (node.declared ? [node] : declaredSections(node.children ?? [])));
}

/** The ids of the inputs a leaf reads (its method's input fields and the words of its metric formula). */
export function inputsOfLeaf(leaf: IndicatorNode, ids: ReadonlySet<string>): string[] {
  const text = JSON.stringify({ metric: leaf.metric ?? null, method: leaf.method ?? null });
  const words = new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
  return [...ids].filter((id) => words.has(id));
}

/** One group of the form: a 二级指标 (or a lone leaf's 一级) with its leaves and the inputs each reads. */
export interface FormGroup {
  key: string;
  title: string;
  items: { leaf: IndicatorNode; path: string[]; inputs: InputSpec[] }[];
}

/**
 * The form's groups, as the 指标体系 groups them: each input under the first leaf that reads it, leaves under their
 * 二级指标; inputs no leaf reads come last under 其他填报项.
 */
export function formGroups(file: RuleFile): { groups: FormGroup[]; other: InputSpec[] } {
  const byId = new Map(file.inputs.map((i) => [i.id, i]));
  const ids = new Set(byId.keys());
  const claimed = new Set<string>();
  const groups = new Map<string, FormGroup>();
  for (const { leaf, path } of leaves(file.indicators)) {
    const inputs = inputsOfLeaf(leaf, ids)
      .filter((id) => !claimed.has(id))
      .map((id) => byId.get(id)!);
    for (const i of inputs) claimed.add(i.id);
    const title = path.slice(0, -1).join(' › ') || path[0];
    let group = groups.get(title);
    if (!group) {
      group = { key: title, title, items: [] };
      groups.set(title, group);
    }
    group.items.push({ leaf, path, inputs });
  }
  return { groups: [...groups.values()], other: file.inputs.filter((i) => !claimed.has(i.id)) };
}

/**
 * The indicators a department may mark 不适用 (with a reason): leaves with allowNotApplicable, and the declared key
 * indicators of sections whose `declared` allows it. Nowhere else: the API refuses any other code.
 */
export function notApplicableCodes(file: RuleFile, targets: DeclaredTargets): string[] {
  const codes = leaves(file.indicators)
    .filter(({ leaf }) => leaf.allowNotApplicable === true)
    .map(({ leaf }) => leaf.code);
  for (const section of declaredSections(file.indicators))
    if (section.declared?.allowNotApplicable === true)
      for (const goal of targets[section.code] ?? []) codes.push(...goal.indicators.map((i) => i.code));
  return codes;
}
