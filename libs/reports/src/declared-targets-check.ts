import Decimal from 'decimal.js';
import {
  type DeclaredGoal,
  type DeclaredIndicator,
  localized,
  type RuleSet,
  type Submission,
  toPointer,
} from '@jiping/rules';
import type { WorkbookProblem } from './import-submission-workbook';
import { COMPARATOR_LABELS, KIND_LABELS, TARGET_HEADERS, templateLayout } from './template-layout';
import { declaredRows } from './template';

/** The declaration a workbook is checked against: its targets and revision, and whether it is approved (批复). */
export interface DeclarationInForce {
  targets: NonNullable<Submission['targets']>;
  revision: number;
  approved: boolean;
}

type Field = 'code' | 'name' | 'weight' | 'kind' | 'comparator' | 'target' | 'targetMax' | 'unit';
const GOAL_FIELDS = ['code', 'name', 'weight'] as const;
const INDICATOR_FIELDS: readonly Field[] = [
  'code',
  'name',
  'weight',
  'kind',
  'comparator',
  'target',
  'targetMax',
  'unit',
];
const DECIMAL_FIELDS = new Set<string>(['weight', 'target', 'targetMax']);
const HEADER: Record<Field, string> = {
  code: TARGET_HEADERS.code,
  name: TARGET_HEADERS.name,
  weight: TARGET_HEADERS.weight,
  kind: '类型',
  comparator: '比较方式',
  target: TARGET_HEADERS.target,
  targetMax: TARGET_HEADERS.targetMax,
  unit: TARGET_HEADERS.unit,
};
const GOAL_HEADER = { code: TARGET_HEADERS.goalCode, name: TARGET_HEADERS.goalName, weight: TARGET_HEADERS.goalWeight };

/** A value as the sheet shows it: 定量, ≥, the decimal as written; （空） for none. */
function shown(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '（空）';
  if (field === 'kind') return KIND_LABELS[value as keyof typeof KIND_LABELS] ?? String(value);
  if (field === 'comparator') return COMPARATOR_LABELS[value as keyof typeof COMPARATOR_LABELS] ?? String(value);
  return String(value);
}

function same(field: string, a: unknown, b: unknown): boolean {
  if ((a === undefined || a === '') && (b === undefined || b === '')) return true;
  if (DECIMAL_FIELDS.has(field) && typeof a === 'string' && typeof b === 'string') {
    try {
      return new Decimal(a).equals(b);
    } catch {
      return a === b;
    }
  }
  return a === b;
}

/**
 * The targets a workbook carries against the declaration in force: a department's year-end data is kept under its
 * declared (批复) targets, which only a new declaration changes — so every goal or indicator cell that differs, every
 * goal or indicator missing and every one added is a problem naming its cell (履职效能!I3; the sheet for one missing)
 * and pointer, in Chinese, with both values. Goals and indicators are matched by code, so a row moved or left out is
 * named once; weights and target values compare as decimals (95 = 95.00). `cells` is the import's pointer → cell map.
 */
export function compareDeclaredTargets(
  ruleSet: RuleSet,
  workbook: Submission['targets'] | undefined,
  cells: Record<string, string>,
  declaration: DeclarationInForce,
): WorkbookProblem[] {
  const problems: WorkbookProblem[] = [];
  const which = `批复的绩效目标（第${declaration.revision}版${declaration.approved ? '' : '，尚未批复'}）`;
  const whichEn = `the declared targets (revision ${declaration.revision}${declaration.approved ? '' : ', not yet approved'})`;
  const fix = localized(
    '绩效目标只能通过绩效目标申报修改（PUT …/targets，经批复后生效）；请下载本部门的填报表（GET …/template.xlsx）重新填写实际完成值',
    'targets change only through a new declaration (PUT …/targets, binding once approved); download the department’s ' +
      'workbook (GET …/template.xlsx) and fill in the results',
  );
  for (const section of templateLayout(ruleSet).targets) {
    const code = section.node.code;
    const levels = section.node.declared.levels;
    const rows = (targets: Submission['targets'] | undefined) =>
      declaredRows(levels, targets?.[code] as DeclaredGoal[] | DeclaredIndicator[] | undefined).map((row) => ({
        ...row,
        pointer:
          levels === 2
            ? toPointer('targets', code, row.goalIndex, 'indicators', row.index)
            : toPointer('targets', code, row.index),
        goalCode: levels === 2 ? (targets?.[code] as DeclaredGoal[])[row.goalIndex].code : undefined,
      }));
    const declared = rows(declaration.targets);
    const found = rows(workbook);
    const cellOf = (pointer: string): string => cells[pointer] ?? cells[`${pointer}/code`] ?? section.sheet;
    const differs = (pointer: string, what: string, before: unknown, after: unknown, field: string): void => {
      problems.push({
        pointer,
        path: cellOf(pointer),
        message: localized(
          `${what}与${which}不一致：批复为“${shown(field, before)}”，工作簿中为“${shown(field, after)}”。${fix.zh}`,
          `${pointer}: differs from ${whichEn}: ${shown(field, before)} there, ${shown(field, after)} here. ${fix.en}`,
        ),
      });
    };

    if (levels === 2) {
      const declaredGoals = (declaration.targets[code] ?? []) as DeclaredGoal[];
      const foundGoals = (workbook?.[code] ?? []) as DeclaredGoal[];
      foundGoals.forEach((goal, i) => {
        const pointer = toPointer('targets', code, i);
        const want = declaredGoals.find((g) => g.code === goal.code);
        if (!want) {
          problems.push({
            pointer: `${pointer}/code`,
            path: cellOf(`${pointer}/code`),
            message: localized(
              `目标代码“${goal.code}”不在${which}中。${fix.zh}`,
              `goal ${goal.code} is not in ${whichEn}. ${fix.en}`,
            ),
          });
          return;
        }
        for (const field of GOAL_FIELDS) {
          if (!same(field, want[field], goal[field])) {
            differs(
              `${pointer}/${field}`,
              `目标“${want.code}”的${GOAL_HEADER[field]}`,
              want[field],
              goal[field],
              field,
            );
          }
        }
      });
      declaredGoals.forEach((goal, i) => {
        if (foundGoals.some((g) => g.code === goal.code)) return;
        problems.push({
          pointer: toPointer('targets', code, i),
          path: section.sheet,
          message: localized(
            `缺少${which}中的绩效目标“${goal.code}”。${fix.zh}`,
            `missing the goal ${goal.code} of ${whichEn}. ${fix.en}`,
          ),
        });
      });
    }

    for (const got of found) {
      const want = declared.find((d) => d.indicator.code === got.indicator.code);
      if (!want) {
        problems.push({
          pointer: `${got.pointer}/code`,
          path: cellOf(`${got.pointer}/code`),
          message: localized(
            `多出关键指标“${got.indicator.name || got.indicator.code}”（${got.indicator.code}）：${which}中没有它。${fix.zh}`,
            `indicator ${got.indicator.code} is not in ${whichEn}. ${fix.en}`,
          ),
        });
        continue;
      }
      if (want.goalCode !== got.goalCode) {
        differs(
          `${got.pointer}/code`,
          `关键指标“${want.indicator.name}”所属的目标`,
          want.goalCode,
          got.goalCode,
          'goal',
        );
      }
      for (const field of INDICATOR_FIELDS) {
        if (field === 'code') continue;
        const before = (want.indicator as unknown as Record<string, unknown>)[field];
        const after = (got.indicator as unknown as Record<string, unknown>)[field];
        if (!same(field, before, after)) {
          differs(
            `${got.pointer}/${field}`,
            `关键指标“${want.indicator.name}”的${HEADER[field]}`,
            before,
            after,
            field,
          );
        }
      }
    }
    for (const want of declared) {
      if (found.some((f) => f.indicator.code === want.indicator.code)) continue;
      problems.push({
        pointer: want.pointer,
        path: section.sheet,
        message: localized(
          `缺少${which}中的关键指标“${want.indicator.name}”（${want.indicator.code}）。${fix.zh}`,
          `missing the indicator ${want.indicator.code} of ${whichEn}. ${fix.en}`,
        ),
      });
    }
  }
  return problems;
}
