import { type DeclaredTargets, type InputSpec, notApplicableCodes, type RuleFile } from './ruleFile';

/**
 * The 年终填报 form's values, flat by JSON pointer into the submission (/inputs/procurementActual,
 * /inputs/budgetPreparation/staffData/met, /targetResults/rd-1/actual, /evidence/<leaf>, /notApplicable/<code>: the
 * reason, a string once 不适用 is ticked, undefined otherwise). Decimals stay strings as typed; they are checked as
 * the API checks them and sent as strings, never as JSON numbers.
 */
export type FieldValue = string | boolean | undefined;
export type FormValues = Record<string, FieldValue>;

export type Submission = Record<string, unknown> & {
  inputs?: Record<string, unknown>;
  targetResults?: Record<string, Record<string, unknown>>;
  evidence?: Record<string, string>;
  notApplicable?: Record<string, string>;
};

/** The parts of the submission the form edits. */
export type FormParts = Pick<Submission, 'inputs' | 'targetResults' | 'evidence' | 'notApplicable'>;

/** The pointer of an indicator's 不适用 reason. */
export const notApplicablePointer = (code: string) => `/notApplicable/${code}`;

/** Whether the indicator is ticked 不适用 (its reason is then a string, possibly still empty). */
export const isNotApplicable = (values: FormValues, code: string) =>
  typeof values[notApplicablePointer(code)] === 'string';

const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** The API's rule for a decimal input, in Chinese: null when the text is acceptable. */
export function decimalProblem(text: string, places: number | undefined, negative: boolean): string | null {
  if (!DECIMAL.test(text)) return '应为数字，如 1388.29（不带千分位和单位）';
  if (!negative && text.startsWith('-')) return '不能为负数';
  const decimals = text.includes('.') ? text.split('.')[1].length : 0;
  if (places !== undefined && decimals > places) return places === 0 ? '应为整数' : `最多 ${places} 位小数`;
  return null;
}

/** The decimal rule of an input: places and sign, as the API applies it. */
export function decimalRule(spec: InputSpec): { places: number | undefined; negative: boolean } | undefined {
  const s = spec as { type: string; places?: number; allowNegative?: boolean };
  switch (s.type) {
    case 'money':
      return { places: 2, negative: !!s.allowNegative };
    case 'percent':
      return { places: s.places ?? 2, negative: !!s.allowNegative };
    case 'number':
      return { places: s.places, negative: !!s.allowNegative };
    case 'count':
      return { places: 0, negative: false };
    default:
      return undefined;
  }
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/** A stored submission as form values. */
export function toFormValues(file: RuleFile, targets: DeclaredTargets, sub: Submission | null): FormValues {
  const values: FormValues = {};
  const inputs = sub?.inputs ?? {};
  for (const spec of file.inputs) {
    const v = inputs[spec.id];
    const at = `/inputs/${spec.id}`;
    if (spec.type === 'checklist' && 'points' in spec) {
      const obj = (v ?? {}) as Record<string, unknown>;
      for (const p of spec.points) {
        const point = obj[p.id];
        if (typeof point === 'boolean') values[`${at}/${p.id}/met`] = point;
        else if (point && typeof point === 'object') {
          const pp = point as { met?: boolean; evidence?: string };
          values[`${at}/${p.id}/met`] = pp.met;
          values[`${at}/${p.id}/evidence`] = pp.evidence;
        }
      }
    } else if (spec.type === 'judgment') {
      const j = (v ?? {}) as Record<string, unknown>;
      values[`${at}/tier`] = str(j.tier);
      values[`${at}/score`] = str(j.score);
      values[`${at}/reason`] = str(j.reason);
    } else if (spec.type === 'boolean') {
      values[at] = typeof v === 'boolean' ? v : undefined;
    } else values[at] = str(v);
  }
  for (const goal of Object.values(targets).flat())
    for (const indicator of goal.indicators) {
      const r = sub?.targetResults?.[indicator.code] ?? {};
      const at = `/targetResults/${indicator.code}`;
      if (indicator.kind === 'qualitative') {
        values[`${at}/tier`] = str(r.tier);
        values[`${at}/score`] = str(r.score);
        values[`${at}/text`] = str(r.text);
      } else values[`${at}/actual`] = str(r.actual);
    }
  for (const [code, text] of Object.entries(sub?.evidence ?? {})) values[`/evidence/${code}`] = text;
  for (const [code, reason] of Object.entries(sub?.notApplicable ?? {})) values[notApplicablePointer(code)] = reason;
  return values;
}

const filled = (v: FieldValue): boolean => v !== undefined && v !== '';

/** A problem per field pointer (format) and the pointers still empty that the API requires. */
export function checkValues(
  file: RuleFile,
  targets: DeclaredTargets,
  values: FormValues,
): { problems: Record<string, string>; missing: string[] } {
  const problems: Record<string, string> = {};
  const missing: string[] = [];
  const need = (pointer: string) => {
    if (!filled(values[pointer])) missing.push(pointer);
  };
  const decimal = (pointer: string, places: number | undefined, negative: boolean) => {
    const v = values[pointer];
    if (typeof v === 'string' && v !== '') {
      const p = decimalProblem(v, places, negative);
      if (p) problems[pointer] = p;
    }
  };
  for (const spec of file.inputs) {
    const at = `/inputs/${spec.id}`;
    const rule = decimalRule(spec);
    if (rule) {
      need(at);
      decimal(at, rule.places, rule.negative);
    } else if (spec.type === 'checklist' && 'points' in spec) {
      // an unticked point is 未达到 (false), as the form says: nothing to require
    } else if (spec.type === 'judgment') {
      need(`${at}/tier`);
      need(`${at}/score`);
      decimal(`${at}/score`, 4, false);
    } else need(at);
  }
  for (const goal of Object.values(targets).flat())
    for (const indicator of goal.indicators) {
      const at = `/targetResults/${indicator.code}`;
      if (indicator.kind === 'qualitative') {
        need(`${at}/tier`);
        need(`${at}/score`);
        decimal(`${at}/score`, 4, false);
      } else {
        need(`${at}/actual`);
        decimal(`${at}/actual`, undefined, true);
      }
    }
  // 不适用 needs its reason (the API refuses an empty one); only where the rule set allows it
  for (const code of notApplicableCodes(file, targets)) {
    const reason = values[notApplicablePointer(code)];
    if (typeof reason === 'string' && reason.trim() === '') problems[notApplicablePointer(code)] = '必须写明理由';
  }
  return { problems, missing };
}

/** The parts of the submission the form edits, built from its values (strings stay strings). */
export function formParts(file: RuleFile, targets: DeclaredTargets, values: FormValues): FormParts {
  const inputs: Record<string, unknown> = {};
  for (const spec of file.inputs) {
    const at = `/inputs/${spec.id}`;
    if (spec.type === 'checklist' && 'points' in spec) {
      const obj: Record<string, unknown> = {};
      for (const p of spec.points) {
        const met = values[`${at}/${p.id}/met`] === true;
        const evidence = values[`${at}/${p.id}/evidence`];
        obj[p.id] = typeof evidence === 'string' && evidence.trim() !== '' ? { met, evidence } : met;
      }
      inputs[spec.id] = obj;
    } else if (spec.type === 'judgment') {
      const j: Record<string, unknown> = {};
      for (const k of ['score', 'tier', 'reason']) if (filled(values[`${at}/${k}`])) j[k] = values[`${at}/${k}`];
      inputs[spec.id] = j;
    } else inputs[spec.id] = values[at];
  }
  const targetResults: Record<string, Record<string, unknown>> = {};
  for (const goal of Object.values(targets).flat())
    for (const indicator of goal.indicators) {
      const at = `/targetResults/${indicator.code}`;
      const r: Record<string, unknown> = {};
      const keys = indicator.kind === 'qualitative' ? ['tier', 'score', 'text'] : ['actual'];
      for (const k of keys) if (filled(values[`${at}/${k}`])) r[k] = values[`${at}/${k}`];
      targetResults[indicator.code] = r;
    }
  const evidence: Record<string, string> = {};
  for (const [pointer, v] of Object.entries(values))
    if (pointer.startsWith('/evidence/') && typeof v === 'string' && v.trim() !== '')
      evidence[pointer.slice('/evidence/'.length)] = v;
  // 不适用 only where the rule set allows it; none marked: no notApplicable at all (undefined is never sent)
  const notApplicable: Record<string, string> = {};
  for (const code of notApplicableCodes(file, targets))
    if (isNotApplicable(values, code)) notApplicable[code] = values[notApplicablePointer(code)] as string;
  return {
    inputs,
    targetResults,
    evidence,
    notApplicable: Object.keys(notApplicable).length > 0 ? notApplicable : undefined,
  };
}
