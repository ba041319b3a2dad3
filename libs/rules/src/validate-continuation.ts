import Decimal from 'decimal.js';
import { childPointer } from './json-pointer';
import { type Localized, localized } from './localized';
import type { RuleProblem } from './rule-set.error';
import {
  type IndicatorNode,
  type InputContinuation,
  type InputSpec,
  isGroupNode,
  isLeafNode,
  type LeafNode,
  type RuleFile,
} from './rule-file.types';

const DECIMAL_TEXT = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const COUNT_TEXT = /^(0|[1-9][0-9]*)$/;
const POINTER = '/continues';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const placesOf = (text: string): number => (text.includes('.') ? text.length - text.indexOf('.') - 1 : 0);

/**
 * The meaning of a file's `continues` (the earlier version it continues, for cross-year simulation), once its shape
 * has passed the schema: a file does not continue itself nor a later year; each input declaration names an input of
 * this file, once, with exactly one of `from` and `assume`; an assumed value fits its input's type as a submission
 * would give it (a checklist names only its own points; a judgment's score lies within the leaf and its tier).
 * Whether the earlier version's data lacks the input is only known when it is scored (libs/scoring, continuation).
 */
export function continuationProblems(file: RuleFile): RuleProblem[] {
  const spec = file.continues;
  if (!spec) return [];
  const problems: RuleProblem[] = [];
  const add = (pointer: string, message: Localized): void => {
    problems.push(problem(pointer, message));
  };
  if (spec.id === file.id && spec.version === file.version) {
    add(
      POINTER,
      localized(
        `规则文件不能承接它自己（${file.id} ${file.version}）：continues 写上一版本的 id、version 和 fiscalYear`,
        `a rule file cannot continue itself (${file.id} ${file.version}): continues names the earlier version's id, version and fiscalYear`,
      ),
    );
  }
  if (spec.fiscalYear > file.fiscalYear) {
    add(
      `${POINTER}/fiscalYear`,
      localized(
        `承接的年度 ${spec.fiscalYear} 晚于本文件的年度 ${file.fiscalYear}：只能承接同年或更早的版本`,
        `the continued year ${spec.fiscalYear} is later than this file's year ${file.fiscalYear}: continue the same or an earlier year`,
      ),
    );
  }
  const inputs = new Map(file.inputs.map((input) => [input.id, input]));
  const seen = new Set<string>();
  (spec.inputs ?? []).forEach((mapping, i) => {
    const pointer = childPointer(POINTER, 'inputs', i);
    const input = inputs.get(mapping.id);
    if (!input) {
      add(
        childPointer(pointer, 'id'),
        localized(`“${mapping.id}”不是本文件的输入项`, `"${mapping.id}" is not an input of this file`),
      );
      return;
    }
    if (seen.has(mapping.id)) {
      add(
        childPointer(pointer, 'id'),
        localized(
          `输入项 ${input.label}（${mapping.id}）已声明过一次：每个输入项只写一条`,
          `input ${input.label} (${mapping.id}) is declared twice: one declaration per input`,
        ),
      );
    }
    seen.add(mapping.id);
    const hasFrom = mapping.from !== undefined;
    const hasAssume = Object.hasOwn(mapping, 'assume');
    if (hasFrom === hasAssume) {
      add(
        pointer,
        localized(
          `输入项 ${input.label}（${mapping.id}）要么写 from（改名：沿用上一版本的输入项），要么写 assume（新增：假定值），二者取一`,
          `input ${input.label} (${mapping.id}) gives either "from" (renamed: the earlier input's value) or "assume" (new: an assumed value), exactly one`,
        ),
      );
      return;
    }
    if (hasAssume) {
      for (const found of assumeProblems(mapping, input, file))
        add(childPointer(pointer, 'assume') + found.at, found.message);
    }
  });
  return problems;
}

/** A problem of this module (validateRuleFile adds the path). */
function problem(pointer: string, message: Localized): RuleProblem {
  return { pointer, message };
}

interface Found {
  /** Pointer relative to the assumed value. */
  at: string;
  message: Localized;
}

/** Whether an assumed value is what a submission could give for the input. */
function assumeProblems(mapping: InputContinuation, input: InputSpec, file: RuleFile): Found[] {
  const value = mapping.assume;
  const name = `${input.label}（${input.id}）`;
  const found = (message: Localized, at = ''): Found[] => [{ at, message }];
  switch (input.type) {
    case 'money':
    case 'percent':
    case 'number': {
      if (typeof value !== 'string' || !DECIMAL_TEXT.test(value)) {
        return found(
          localized(
            `${name} 的假定值应为小数字符串，如 "100"`,
            `the assumed value of ${input.id} is a decimal string such as "100"`,
          ),
        );
      }
      const places = input.type === 'money' ? 2 : input.type === 'percent' ? (input.places ?? 2) : input.places;
      if (places !== undefined && placesOf(value) > places) {
        return found(
          localized(
            `${name} 的假定值最多 ${places} 位小数`,
            `the assumed value of ${input.id} has at most ${places} decimals`,
          ),
        );
      }
      if (!input.allowNegative && new Decimal(value).isNegative() && !new Decimal(value).isZero()) {
        return found(localized(`${name} 的假定值不能为负数`, `the assumed value of ${input.id} must not be negative`));
      }
      return [];
    }
    case 'count':
      return (Number.isInteger(value) && (value as number) >= 0) ||
        (typeof value === 'string' && COUNT_TEXT.test(value))
        ? []
        : found(
            localized(`${name} 的假定值应为非负整数，如 0`, `the assumed value of ${input.id} is a whole number ≥ 0`),
          );
    case 'boolean':
      return typeof value === 'boolean'
        ? []
        : found(localized(`${name} 的假定值应为 true 或 false`, `the assumed value of ${input.id} is true or false`));
    case 'text':
      return typeof value === 'string'
        ? []
        : found(localized(`${name} 的假定值应为文本`, `the assumed value of ${input.id} is a string`));
    case 'checklist': {
      if (!isObject(value) || Object.keys(value).length === 0) {
        return found(
          localized(
            `${name} 的假定值应为 { 要点id: true/false }，至少一个要点`,
            `the assumed value of ${input.id} is { <pointId>: true/false } with at least one point`,
          ),
        );
      }
      const points = new Set(input.points.map((p) => p.id));
      return Object.entries(value).flatMap(([id, met]): Found[] => {
        const at = childPointer('', id);
        if (!points.has(id)) {
          return found(
            localized(
              `“${id}”不是 ${name} 的要点；要点有 ${[...points].join('、')}`,
              `"${id}" is not a point of ${input.id}; its points are ${[...points].join(', ')}`,
            ),
            at,
          );
        }
        const ok =
          typeof met === 'boolean' ||
          (isObject(met) &&
            typeof met.met === 'boolean' &&
            Object.keys(met).every((k) => k === 'met' || (k === 'evidence' && typeof met.evidence === 'string')));
        return ok
          ? []
          : found(
              localized(
                `要点假定值应为 true（满足）或 false（不满足）`,
                `a point is assumed true (met) or false (not met)`,
              ),
              at,
            );
      });
    }
    case 'judgment':
      return judgmentProblems(value, input, name, file);
    case 'events': {
      const kinds = new Set(input.kinds.map((kind) => kind.code));
      const ok =
        Array.isArray(value) &&
        value.every(
          (event) =>
            isObject(event) &&
            typeof event.kind === 'string' &&
            kinds.has(event.kind) &&
            typeof event.text === 'string' &&
            event.text.trim() !== '' &&
            Object.keys(event).every((k) => k === 'kind' || k === 'text'),
        );
      return ok
        ? []
        : found(
            localized(
              `${name} 的假定值应为事项列表 [{ "kind": 事项类型, "text": 说明 }]，通常为 []（无加减分事项）；事项类型有 ${[...kinds].join('、')}`,
              `the assumed value of ${input.id} is a list of events [{ "kind", "text" }], usually [] (none); its kinds are ${[...kinds].join(', ')}`,
            ),
          );
    }
  }
}

function judgmentProblems(value: unknown, input: InputSpec, name: string, file: RuleFile): Found[] {
  if (!isObject(value) || typeof value.score !== 'string' || !DECIMAL_TEXT.test(value.score)) {
    return [
      {
        at: '',
        message: localized(
          `${name} 的假定值应为 { "score": "2", "tier"?: 档次, "reason"?: 理由 }，score 为小数字符串`,
          `the assumed value of ${input.id} is { "score": "2", "tier"?, "reason"? } with a decimal-string score`,
        ),
      },
    ];
  }
  const unknown = Object.keys(value).filter((k) => !['score', 'tier', 'reason'].includes(k));
  if (unknown.length > 0) {
    return unknown.map((key) => ({
      at: childPointer('', key),
      message: localized(`未知的键“${key}”`, `unknown key "${key}"`),
    }));
  }
  const score = new Decimal(value.score);
  const problems: Found[] = [];
  for (const leaf of judgmentLeaves(file.indicators, input.id)) {
    const method = leaf.method as { tiers?: Array<{ code: string; label: string; min: string; max: string }> };
    const weight = new Decimal(leaf.weight);
    if (score.lt(0) || score.gt(weight)) {
      problems.push({
        at: '/score',
        message: localized(
          `假定分 ${value.score} 超出 ${leaf.name} 的分值范围 0-${leaf.weight}`,
          `the assumed score ${value.score} lies outside ${leaf.code}'s range 0-${leaf.weight}`,
        ),
      });
    }
    if (!method.tiers) continue;
    const tier = method.tiers.find((t) => t.code === value.tier);
    if (!tier) {
      problems.push({
        at: '/tier',
        message: localized(
          `${leaf.name} 按档次评议：tier 应为 ${method.tiers.map((t) => `${t.code}（${t.label}）`).join('、')} 之一`,
          `${leaf.code} is judged in tiers: tier is one of ${method.tiers.map((t) => t.code).join(', ')}`,
        ),
      });
    } else if (score.lt(weight.mul(tier.min)) || score.gt(weight.mul(tier.max))) {
      problems.push({
        at: '/score',
        message: localized(
          `${tier.label}的分数在 ${weight.mul(tier.min).toFixed()}-${weight.mul(tier.max).toFixed()} 之间`,
          `${tier.code} scores between ${weight.mul(tier.min).toFixed()} and ${weight.mul(tier.max).toFixed()}`,
        ),
      });
    }
  }
  return problems;
}

function judgmentLeaves(nodes: readonly IndicatorNode[], input: string): LeafNode[] {
  return nodes.flatMap((node): LeafNode[] => {
    if (isGroupNode(node)) return judgmentLeaves(node.children, input);
    return isLeafNode(node) && node.method.type === 'judgment' && node.method.input === input ? [node] : [];
  });
}
