import { Checkbox, Form, Input, Radio, Typography } from 'antd';
import type { FieldValue, FormValues } from './formState';
import type { DeclaredIndicator, InputSpec, Tier } from './ruleFile';
import { decimalRule, isNotApplicable, notApplicablePointer } from './formState';
import { departmentZh } from '../../i18n/zh-CN.department';

const t = departmentZh.submission;

export interface FieldProps {
  values: FormValues;
  problems: Record<string, string>;
  set: (pointer: string, value: FieldValue) => void;
  disabled: boolean;
}

const idOf = (pointer: string) => `f${pointer.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** A decimal typed as text: kept as the string typed, checked as the API checks it (places, sign). */
export function DecimalField({
  pointer,
  label,
  unit,
  help,
  values,
  problems,
  set,
  disabled,
}: FieldProps & { pointer: string; label: string; unit?: string; help?: string }) {
  const id = idOf(pointer);
  const problem = problems[pointer];
  return (
    <Form.Item
      label={label}
      htmlFor={id}
      validateStatus={problem ? 'error' : undefined}
      help={problem ? `${label}${problem}` : help}
      className="field"
    >
      <Input
        id={id}
        inputMode="decimal"
        value={(values[pointer] as string | undefined) ?? ''}
        onChange={(e) => set(pointer, e.target.value.trim())}
        addonAfter={unit}
        disabled={disabled}
        aria-invalid={problem ? true : undefined}
        autoComplete="off"
      />
    </Form.Item>
  );
}

export function TextField({
  pointer,
  label,
  values,
  set,
  disabled,
  rows = 2,
}: FieldProps & { pointer: string; label: string; rows?: number }) {
  const id = idOf(pointer);
  return (
    <Form.Item label={label} htmlFor={id} className="field">
      <Input.TextArea
        id={id}
        rows={rows}
        value={(values[pointer] as string | undefined) ?? ''}
        onChange={(e) => set(pointer, e.target.value)}
        disabled={disabled}
      />
    </Form.Item>
  );
}

function YesNo({
  pointer,
  label,
  help,
  values,
  set,
  disabled,
}: FieldProps & { pointer: string; label: string; help?: string }) {
  const id = idOf(pointer);
  return (
    <Form.Item label={<span id={id}>{label}</span>} help={help} className="field">
      <Radio.Group
        aria-labelledby={id}
        value={values[pointer]}
        onChange={(e) => set(pointer, e.target.value as boolean)}
        disabled={disabled}
        options={[
          { value: true, label: t.yes },
          { value: false, label: t.no },
        ]}
      />
    </Form.Item>
  );
}

function TierField({
  pointer,
  label,
  tiers,
  values,
  set,
  disabled,
}: FieldProps & { pointer: string; label: string; tiers: Tier[] }) {
  const id = idOf(pointer);
  return (
    <Form.Item label={<span id={id}>{label}</span>} className="field">
      <Radio.Group
        aria-labelledby={id}
        value={values[pointer]}
        onChange={(e) => set(pointer, e.target.value as string)}
        disabled={disabled}
        options={tiers.map((tier) => ({ value: tier.code, label: t.tier(tier.label, tier.min, tier.max) }))}
      />
    </Form.Item>
  );
}

/** One declared input of the rule set as its field(s). */
export function InputField(props: FieldProps & { spec: InputSpec; tiers?: Tier[] }) {
  const { spec } = props;
  const at = `/inputs/${spec.id}`;
  const help = spec.description;
  const rule = decimalRule(spec);
  if (rule) {
    const unit = spec.type === 'percent' ? '%' : (spec as { unit?: string }).unit;
    return <DecimalField {...props} pointer={at} label={spec.label} unit={unit} help={help} />;
  }
  if (spec.type === 'boolean') return <YesNo {...props} pointer={at} label={spec.label} help={help} />;
  if (spec.type === 'checklist' && 'points' in spec) {
    return (
      <fieldset className="checklist">
        <legend>{spec.label}</legend>
        {spec.points.map((p) => {
          const met = `${at}/${p.id}/met`;
          return (
            <div key={p.id} className="checklist-point">
              <Checkbox
                checked={props.values[met] === true}
                onChange={(e) => props.set(met, e.target.checked)}
                disabled={props.disabled}
              >
                {p.label}
                <Typography.Text type="secondary">{t.points(p.points)}</Typography.Text>
              </Checkbox>
              <TextField {...props} pointer={`${at}/${p.id}/evidence`} label={t.pointEvidence(p.label)} rows={1} />
            </div>
          );
        })}
        <Typography.Text type="secondary">{t.uncheckedMeansNo}</Typography.Text>
      </fieldset>
    );
  }
  if (spec.type === 'judgment') {
    return (
      <fieldset className="checklist">
        <legend>{spec.label}</legend>
        <TierField {...props} pointer={`${at}/tier`} label={t.tierLabel(spec.label)} tiers={props.tiers ?? []} />
        <DecimalField {...props} pointer={`${at}/score`} label={t.judgmentScore(spec.label)} />
        <TextField {...props} pointer={`${at}/reason`} label={t.judgmentReason(spec.label)} />
      </fieldset>
    );
  }
  return <TextField {...props} pointer={at} label={spec.label} />;
}

/** The result of one declared target indicator (实际完成值, or 达成等级 and 自评分 for a qualitative one). */
export function TargetResultField(props: FieldProps & { indicator: DeclaredIndicator; tiers: Tier[] }) {
  const { indicator } = props;
  const at = `/targetResults/${indicator.code}`;
  const target = `${t.comparator(indicator.comparator ?? '')}${indicator.target ?? ''}${indicator.unit ?? ''}`;
  if (indicator.kind === 'qualitative') {
    return (
      <fieldset className="checklist">
        <legend>
          {indicator.name}（{t.qualitative}，{t.weight} {indicator.weight}）
        </legend>
        <TierField {...props} pointer={`${at}/tier`} label={t.tierLabel(indicator.name)} tiers={props.tiers} />
        <DecimalField {...props} pointer={`${at}/score`} label={t.judgmentScore(indicator.name)} />
        <TextField {...props} pointer={`${at}/text`} label={t.resultText(indicator.name)} rows={1} />
      </fieldset>
    );
  }
  return (
    <DecimalField
      {...props}
      pointer={`${at}/actual`}
      label={t.actual(indicator.name)}
      unit={indicator.unit}
      help={t.targetHelp(target, indicator.weight)}
    />
  );
}

/**
 * 不适用 for an indicator the rule set allows it for: a tick, and once ticked the reason (required: the API refuses
 * an empty one). The indicator then scores nothing and its weight is redistributed as the rule set says.
 */
export function NotApplicableField({
  code,
  name,
  values,
  problems,
  set,
  disabled,
}: FieldProps & { code: string; name: string }) {
  const pointer = notApplicablePointer(code);
  const id = idOf(pointer);
  const marked = isNotApplicable(values, code);
  const problem = problems[pointer];
  const label = t.notApplicableReason(name);
  return (
    <div className="not-applicable">
      <Checkbox checked={marked} onChange={(e) => set(pointer, e.target.checked ? '' : undefined)} disabled={disabled}>
        {t.notApplicable(name)}
      </Checkbox>
      <Typography.Paragraph type="secondary" className="not-applicable-help">
        {t.notApplicableHelp}
      </Typography.Paragraph>
      {marked && (
        <Form.Item
          label={label}
          htmlFor={id}
          validateStatus={problem ? 'error' : undefined}
          help={problem ? `${label}：${problem}` : undefined}
          className="field"
        >
          <Input.TextArea
            id={id}
            rows={2}
            value={values[pointer] as string}
            onChange={(e) => set(pointer, e.target.value)}
            disabled={disabled}
            aria-required
            aria-invalid={problem ? true : undefined}
            placeholder={t.notApplicablePlaceholder}
          />
        </Form.Item>
      )}
    </div>
  );
}
