import type ExcelJS from 'exceljs';
import type { DeclaredGoal, DeclaredIndicator, EventValue, JudgmentValue, RuleSet, Submission } from '@jiping/rules';
import {
  COMPARATOR_LABELS,
  DATA_COLUMNS,
  EVENT_COLUMNS,
  eventKindLabel,
  FIRST_ROW,
  KIND_LABELS,
  TARGET_COLUMNS,
  TEMPLATE_SHEETS,
  templateLayout,
} from './template-layout';

/** What a template is filled with: a submission's figures, and the declared targets of its 履职效能 sheets. */
export type TemplateFill = Pick<
  Submission,
  'inputs' | 'overview' | 'budget' | 'evidence' | 'targets' | 'targetResults'
> & {
  department: { unitCount?: number };
};

/**
 * Fills a department template (see buildSubmissionTemplate) with a submission the way a person types it — a decimal
 * that Excel keeps exactly as a number ("1388.29"), one with trailing zeros ("18144.00") as text, 是/否 for booleans —
 * so that importSubmissionWorkbook reads the same submission back. The declared targets go to the rows of their
 * section's sheet, in order, each indicator's result beside it.
 */
export function fillSubmissionWorkbook(workbook: ExcelJS.Workbook, ruleSet: RuleSet, submission: TemplateFill): void {
  const layout = templateLayout(ruleSet);
  // Deliberately a JS number: this is what Excel stores when a person types 1388.29 into a numeric cell, and the
  // import must turn it back into the exact decimal string. Only values that survive the round trip are typed so.
  const typed = (value: string): string | number => (String(Number(value)) === value ? Number(value) : value);
  const yesNo = (value: boolean): string => (value ? '是' : '否');

  const basics = workbook.getWorksheet(TEMPLATE_SHEETS.basics)!;
  for (const entry of layout.basics) {
    if (entry.kind === 'unitCount' && submission.department.unitCount !== undefined) {
      basics.getCell(`C${entry.row}`).value = submission.department.unitCount;
    } else if (entry.kind === 'overview') {
      const text = submission.overview?.[entry.field];
      if (text !== undefined) basics.getCell(`C${entry.row}`).value = text;
    } else if (entry.kind === 'budget') {
      const column = submission.budget?.columns[entry.column];
      if (column) {
        basics.getCell(`C${entry.row}`).value = typed(column.budgeted);
        basics.getCell(`D${entry.row}`).value = typed(column.executed);
      }
    }
  }

  const data = workbook.getWorksheet(TEMPLATE_SHEETS.data)!;
  for (const entry of layout.data) {
    const value = submission.inputs[entry.input.id];
    if (value === undefined) continue;
    const at = (col: string) => data.getCell(`${col}${entry.row}`);
    if (entry.kind === 'point') {
      const point = (value as Record<string, boolean | { met: boolean; evidence?: string }>)[entry.pointId];
      if (point === undefined) continue;
      at(DATA_COLUMNS.value).value = yesNo(typeof point === 'boolean' ? point : point.met);
      if (typeof point !== 'boolean' && point.evidence !== undefined) at(DATA_COLUMNS.note).value = point.evidence;
      continue;
    }
    if (typeof value === 'boolean') at(DATA_COLUMNS.value).value = yesNo(value);
    else if (typeof value === 'number') at(DATA_COLUMNS.value).value = value;
    else if (typeof value === 'string')
      at(DATA_COLUMNS.value).value = entry.input.type === 'text' ? value : typed(value);
    else {
      const judgment = value as JudgmentValue;
      const tier = entry.tiers?.find((t) => t.code === judgment.tier);
      if (tier) at(DATA_COLUMNS.value).value = tier.label;
      at(DATA_COLUMNS.score).value = typed(judgment.score);
      at(DATA_COLUMNS.note).value = judgment.reason;
    }
  }

  const evidence = workbook.getWorksheet(TEMPLATE_SHEETS.evidence)!;
  for (const entry of layout.evidence) {
    const text = submission.evidence?.[entry.code];
    if (text !== undefined) evidence.getCell(`D${entry.row}`).value = text;
  }

  for (const section of layout.targets) {
    const sheet = workbook.getWorksheet(section.sheet)!;
    const declared = submission.targets?.[section.node.code] ?? [];
    const rows: Array<{ goal?: DeclaredGoal; indicator: DeclaredIndicator }> =
      section.node.declared.levels === 2
        ? (declared as DeclaredGoal[]).flatMap((goal) =>
            goal.indicators.map((indicator, i) => ({ goal: i === 0 ? goal : undefined, indicator })),
          )
        : (declared as DeclaredIndicator[]).map((indicator) => ({ indicator }));
    rows.forEach(({ goal, indicator }, i) => {
      const set = (key: keyof typeof TARGET_COLUMNS, value: string | number | undefined): void => {
        if (value !== undefined) sheet.getCell(`${TARGET_COLUMNS[key]}${FIRST_ROW + i}`).value = value;
      };
      if (goal) {
        set('goalCode', goal.code);
        set('goalName', goal.name);
        set('goalWeight', typed(goal.weight));
      }
      set('code', indicator.code);
      set('name', indicator.name);
      set('weight', typed(indicator.weight));
      set('kind', KIND_LABELS[indicator.kind]);
      if (indicator.kind === 'quantitative') {
        set('comparator', COMPARATOR_LABELS[indicator.comparator]);
        set('target', typed(indicator.target));
        if (indicator.targetMax !== undefined) set('targetMax', typed(indicator.targetMax));
        set('unit', indicator.unit);
      } else {
        set('target', indicator.target);
      }
      const result = submission.targetResults?.[indicator.code];
      if (result) {
        if (result.actual !== undefined) set('actual', typed(result.actual));
        const tier = section.node.declared.qualitativeTiers.find((t) => t.code === result.tier);
        if (tier) set('tier', tier.label);
        if (result.score !== undefined) set('score', typed(result.score));
        set('text', result.text);
        set('reason', result.reason);
      }
    });
  }
  for (const events of layout.events) {
    const sheet = workbook.getWorksheet(events.sheet)!;
    const list = (submission.inputs[events.input.id] ?? []) as EventValue[];
    list.forEach((event, i) => {
      const kind = events.input.kinds.find((k) => k.code === event.kind)!;
      sheet.getCell(`${EVENT_COLUMNS.kind}${FIRST_ROW + i}`).value = eventKindLabel(kind);
      sheet.getCell(`${EVENT_COLUMNS.text}${FIRST_ROW + i}`).value = event.text;
    });
  }
}
