import { Input, Select, Table, Typography } from 'antd';
import { useId } from 'react';
import { zhRuleEditor as t } from '../../i18n/rule-editor.zh-CN';
import { join, under, valueAt } from './pointer';
import type { RuleFile, RuleFileProblem } from './types';

export interface EditorContext {
  file: RuleFile;
  problems: RuleFileProblem[];
  readOnly: boolean;
  set: (pointer: string, value: unknown) => void;
}

/** The problems of the live check that concern a field: shown beside it, in Chinese. */
export function FieldProblems({ ctx, pointer, id }: { ctx: EditorContext; pointer: string; id?: string }) {
  const mine = ctx.problems.filter((p) => under(p.pointer, pointer));
  if (mine.length === 0) return null;
  return (
    <div className="field-problems" id={id} role="alert">
      {mine.map((p, i) => (
        <div key={`${p.pointer}#${i}`}>{p.message}</div>
      ))}
    </div>
  );
}

const hasProblem = (ctx: EditorContext, pointer: string) => ctx.problems.some((p) => under(p.pointer, pointer));

/** A text or decimal field bound to a pointer of the rule file; decimals stay strings ("1.5"), never numbers. */
export function TextField({
  ctx,
  pointer,
  label,
  decimal,
  multiline,
  suffix,
  optional,
}: {
  ctx: EditorContext;
  pointer: string;
  label: string;
  decimal?: boolean;
  multiline?: boolean;
  suffix?: string;
  optional?: boolean;
}) {
  const id = useId();
  const value = valueAt(ctx.file, pointer);
  const text = value === undefined || value === null ? '' : String(value);
  const status = hasProblem(ctx, pointer) ? 'error' : undefined;
  const onChange = (next: string) => ctx.set(pointer, optional && next === '' ? undefined : next);
  return (
    <div className="editor-field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <Input.TextArea
          id={id}
          value={text}
          status={status}
          readOnly={ctx.readOnly}
          autoSize={{ minRows: 2, maxRows: 6 }}
          aria-describedby={status ? `${id}-problems` : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <Input
          id={id}
          value={text}
          status={status}
          readOnly={ctx.readOnly}
          inputMode={decimal ? 'decimal' : undefined}
          suffix={suffix}
          aria-describedby={status ? `${id}-problems` : undefined}
          onChange={(e) => onChange(e.target.value)}
          style={decimal ? { maxWidth: 200 } : undefined}
        />
      )}
      <FieldProblems ctx={ctx} pointer={pointer} id={`${id}-problems`} />
    </div>
  );
}

/** A decimal cell of an editable table (a band's bound or score, a checklist point, a tier's fraction). */
export function CellInput({ ctx, pointer, label }: { ctx: EditorContext; pointer: string; label: string }) {
  const value = valueAt(ctx.file, pointer);
  const problems = ctx.problems.filter((p) => under(p.pointer, pointer));
  return (
    <>
      <Input
        aria-label={label}
        size="small"
        inputMode="decimal"
        value={value === undefined ? '' : String(value)}
        status={problems.length ? 'error' : undefined}
        readOnly={ctx.readOnly}
        onChange={(e) => ctx.set(pointer, e.target.value)}
        style={{ width: 96 }}
      />
      {problems.map((p, i) => (
        <div key={i} className="field-problems" role="alert">
          {p.message}
        </div>
      ))}
    </>
  );
}

const OPERATORS: Record<string, string> = {
  decimalGreaterThanInclusive: '≥',
  decimalGreaterThan: '>',
  decimalLessThan: '<',
  decimalLessThanInclusive: '≤',
  decimalEqual: '=',
};

interface Condition {
  fact?: string;
  operator?: string;
  value?: unknown;
}
interface Band {
  when?: { all?: Condition[]; any?: Condition[] };
  score?: string;
  label?: string;
}

/** bands: one row per band; each condition on the metric editable (operator shown as ≥ / <), and the score. */
export function BandsTable({ ctx, pointer, unit }: { ctx: EditorContext; pointer: string; unit?: string }) {
  const bands = (valueAt(ctx.file, pointer) as Band[] | undefined) ?? [];
  const suffix = unit === 'percent' ? '%' : '';
  return (
    <>
      <Table<{ band: Band; index: number }>
        size="small"
        aria-label={t.method.bands}
        pagination={false}
        rowKey="index"
        dataSource={bands.map((band, index) => ({ band, index }))}
        columns={[
          { title: t.method.bandNo, dataIndex: 'index', width: 56, render: (i: number) => i + 1 },
          {
            title: t.method.bandCondition,
            render: (_, { band, index }) => {
              const group = band.when?.all ? 'all' : band.when?.any ? 'any' : undefined;
              const conditions = group ? (band.when![group] ?? []) : [];
              if (!group) return <Typography.Text type="secondary">{t.method.seeJson}</Typography.Text>;
              return (
                <span className="band-conditions">
                  {conditions.map((c, j) => (
                    <span key={j} className="band-condition">
                      {j > 0 && <span className="band-join">{group === 'all' ? t.method.and : t.method.or}</span>}
                      <span aria-hidden>
                        {t.method.metric} {OPERATORS[c.operator ?? ''] ?? c.operator}
                      </span>
                      {c.fact === 'metric' && typeof c.value === 'string' ? (
                        <CellInput
                          ctx={ctx}
                          pointer={join(pointer, index, 'when', group, j, 'value')}
                          label={t.method.bandBound(index + 1, OPERATORS[c.operator ?? ''] ?? '', j + 1)}
                        />
                      ) : (
                        <Typography.Text type="secondary">{t.method.seeJson}</Typography.Text>
                      )}
                      {suffix}
                    </span>
                  ))}
                </span>
              );
            },
          },
          {
            title: t.method.bandScore,
            width: 130,
            render: (_, { index }) => (
              <CellInput ctx={ctx} pointer={join(pointer, index, 'score')} label={t.method.bandScoreOf(index + 1)} />
            ),
          },
        ]}
      />
      <FieldProblems ctx={{ ...ctx, problems: ctx.problems.filter((p) => p.pointer === pointer) }} pointer={pointer} />
    </>
  );
}

/** A choice bound to a pointer (deduction direction). */
export function ChoiceField({
  ctx,
  pointer,
  label,
  options,
}: {
  ctx: EditorContext;
  pointer: string;
  label: string;
  options: Array<{ value: string; label: string }>;
}) {
  const id = useId();
  return (
    <div className="editor-field">
      <label htmlFor={id}>{label}</label>
      <Select
        id={id}
        aria-label={label}
        value={valueAt(ctx.file, pointer) as string}
        disabled={ctx.readOnly}
        options={options}
        onChange={(v: string) => ctx.set(pointer, v)}
        style={{ maxWidth: 240 }}
      />
      <FieldProblems ctx={ctx} pointer={pointer} />
    </div>
  );
}
