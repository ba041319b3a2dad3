import { Descriptions, Table, Typography } from 'antd';
import { zhRuleEditor as t } from '../../i18n/rule-editor.zh-CN';
import { BandsTable, CellInput, ChoiceField, type EditorContext, FieldProblems, TextField } from './fields';
import { join, type IndicatorEntry, valueAt } from './pointer';

type Method = Record<string, unknown> & { type: string };
interface ChecklistInput {
  id: string;
  label: string;
  points?: Array<{ id: string; label: string; points: string }>;
}
interface Tier {
  code: string;
  label: string;
  min: string;
  max: string;
}

/** The keys each method's form edits; the rest is shown read-only (and is in the JSON). */
const EDITED: Record<string, string[]> = {
  bands: ['type', 'bands', 'monotone'],
  deduction: ['type', 'reference', 'direction', 'perUnit'],
  checklist: ['type', 'input'],
  judgment: ['type', 'input', 'tiers'],
  'count-adjust': ['type', 'positive', 'negative'],
  events: ['type', 'input', 'bonusCap', 'penaltyCap'],
  boolean: ['type'],
};

/** The chosen indicator's form: names, weight, 指标解释, and its method with the method's parameters. */
export function IndicatorForm({ ctx, entry }: { ctx: EditorContext; entry: IndicatorEntry }) {
  const p = entry.pointer;
  const { indicator } = entry;
  const method = indicator.method as Method | undefined;
  const unit = (indicator.metric as { unit?: string } | undefined)?.unit;
  return (
    <section aria-label={entry.path} className="indicator-form">
      <Typography.Title level={3} className="indicator-path">
        {entry.path}
      </Typography.Title>
      <Typography.Text type="secondary">
        {t.editor.code}：{indicator.code}
      </Typography.Text>
      <TextField ctx={ctx} pointer={join(p, 'name')} label={t.editor.name} />
      <TextField ctx={ctx} pointer={join(p, 'weight')} label={t.editor.weight} decimal suffix="分" />
      <TextField ctx={ctx} pointer={join(p, 'explanation')} label={t.editor.explanation} multiline optional />
      <FieldProblems ctx={{ ...ctx, problems: ctx.problems.filter((x) => x.pointer === p) }} pointer={p} />
      {method ? (
        <div className="method-form">
          <Typography.Title level={4}>
            {t.method.title}：{t.method.types[method.type] ?? method.type}
          </Typography.Title>
          <MethodFields ctx={ctx} pointer={join(p, 'method')} method={method} unit={unit} />
          <OtherParameters method={method} />
          {typeof indicator.basis === 'string' && (
            <TextField ctx={ctx} pointer={join(p, 'basis')} label={t.editor.basis} multiline />
          )}
        </div>
      ) : (
        <Typography.Paragraph type="secondary">{t.method.none}</Typography.Paragraph>
      )}
    </section>
  );
}

function MethodFields({
  ctx,
  pointer,
  method,
  unit,
}: {
  ctx: EditorContext;
  pointer: string;
  method: Method;
  unit?: string;
}) {
  switch (method.type) {
    case 'bands':
      return <BandsTable ctx={ctx} pointer={join(pointer, 'bands')} unit={unit} />;
    case 'deduction':
      return (
        <>
          <TextField
            ctx={ctx}
            pointer={join(pointer, 'reference')}
            label={t.method.reference}
            decimal
            suffix={unit === 'percent' ? '%' : undefined}
          />
          <ChoiceField
            ctx={ctx}
            pointer={join(pointer, 'direction')}
            label={t.method.direction}
            options={[
              { value: 'below', label: t.method.below },
              { value: 'above', label: t.method.above },
            ]}
          />
          <TextField ctx={ctx} pointer={join(pointer, 'perUnit')} label={t.method.perUnit} decimal suffix="分" />
        </>
      );
    case 'checklist':
      return <ChecklistPoints ctx={ctx} inputId={method.input as string} />;
    case 'judgment':
      return Array.isArray(method.tiers) ? <TiersTable ctx={ctx} pointer={join(pointer, 'tiers')} /> : null;
    case 'count-adjust':
      return (
        <>
          {(['positive', 'negative'] as const).map((side) =>
            method[side] ? (
              <div key={side} className="inline-fields">
                <TextField
                  ctx={ctx}
                  pointer={join(pointer, side, 'each')}
                  label={`${side === 'positive' ? t.method.positive : t.method.negative}${t.method.each}`}
                  decimal
                />
                <TextField
                  ctx={ctx}
                  pointer={join(pointer, side, 'cap')}
                  label={`${side === 'positive' ? t.method.positive : t.method.negative}${t.method.cap}`}
                  decimal
                />
              </div>
            ) : null,
          )}
        </>
      );
    case 'events':
      return (
        <div className="inline-fields">
          <TextField ctx={ctx} pointer={join(pointer, 'bonusCap')} label={t.method.bonusCap} decimal optional />
          <TextField ctx={ctx} pointer={join(pointer, 'penaltyCap')} label={t.method.penaltyCap} decimal optional />
        </div>
      );
    default:
      return null;
  }
}

/** What the form does not edit, read-only, as the file has it. */
function OtherParameters({ method }: { method: Method }) {
  const edited = EDITED[method.type] ?? ['type'];
  const rest = Object.entries(method).filter(([k]) => !edited.includes(k));
  if (rest.length === 0) return null;
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      title={<span className="others-title">{t.method.others}</span>}
      items={rest.map(([key, value]) => ({
        key,
        label: key,
        children: <code className="json-inline">{typeof value === 'string' ? value : JSON.stringify(value)}</code>,
      }))}
    />
  );
}

/** checklist: the points live on the input the leaf reads; edited there. */
function ChecklistPoints({ ctx, inputId }: { ctx: EditorContext; inputId: string }) {
  const inputs = (ctx.file.inputs as ChecklistInput[] | undefined) ?? [];
  const index = inputs.findIndex((i) => i.id === inputId);
  if (index < 0) return null;
  const input = inputs[index];
  const base = `/inputs/${index}/points`;
  return (
    <>
      <Typography.Text strong>{t.method.checklist(input.label)}</Typography.Text>
      <Table
        size="small"
        aria-label={t.method.checklist(input.label)}
        pagination={false}
        rowKey="id"
        dataSource={(input.points ?? []).map((point, j) => ({ ...point, j }))}
        columns={[
          { title: t.method.point, dataIndex: 'label' },
          {
            title: t.method.points,
            width: 130,
            render: (_, point) => (
              <CellInput ctx={ctx} pointer={join(base, point.j, 'points')} label={t.method.pointOf(point.label)} />
            ),
          },
        ]}
      />
    </>
  );
}

function TiersTable({ ctx, pointer }: { ctx: EditorContext; pointer: string }) {
  const tiers = (valueAt(ctx.file, pointer) as Tier[] | undefined) ?? [];
  return (
    <>
      <Typography.Text strong>{t.method.tiers}</Typography.Text>
      <Table
        size="small"
        aria-label={t.method.tiers}
        pagination={false}
        rowKey="code"
        dataSource={tiers.map((tier, i) => ({ ...tier, i }))}
        columns={[
          { title: t.method.tier, dataIndex: 'label' },
          {
            title: t.method.tierMin,
            width: 130,
            render: (_, tier) => (
              <CellInput
                ctx={ctx}
                pointer={join(pointer, tier.i, 'min')}
                label={t.method.tierOf(tier.label, t.method.tierMin)}
              />
            ),
          },
          {
            title: t.method.tierMax,
            width: 130,
            render: (_, tier) => (
              <CellInput
                ctx={ctx}
                pointer={join(pointer, tier.i, 'max')}
                label={t.method.tierOf(tier.label, t.method.tierMax)}
              />
            ),
          },
        ]}
      />
      <FieldProblems ctx={{ ...ctx, problems: ctx.problems.filter((p) => p.pointer === pointer) }} pointer={pointer} />
    </>
  );
}
