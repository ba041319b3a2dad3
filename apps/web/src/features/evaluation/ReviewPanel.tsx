import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Select, Space, Switch, Timeline, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { apiJson } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import type { Evaluation, EvaluationSummary } from '../../api/types';
import { problemText } from '../../i18n/problems';
import { terms } from '../../i18n/terms';
import { zh } from '../../i18n/zh-CN';
import { fieldsOf } from '../../shared/inputFields';
import { GradeTag, Score } from '../../shared/Score';
import { plainText } from '../../shared/plainText';
import { ruleSetOptions, submissionOptions } from '../what-if/queries';
import { evaluationKeys } from './keys';

interface ReviewForm {
  pointer: string;
  value: string | boolean;
  reason: string;
}

interface TierLabel {
  code: string;
  label: string;
}

/** A value as the record shows it: 是/否, a figure, or a judgment as 档次，分值（理由）. */
function formatValue(value: unknown, tiers: TierLabel[] = []): string {
  if (value === true) return '是';
  if (value === false) return '否';
  if (value !== null && typeof value === 'object' && 'score' in value) {
    const j = value as { score?: unknown; tier?: unknown; reason?: unknown };
    const tier = tiers.find((x) => x.code === j.tier)?.label;
    const reason = typeof j.reason === 'string' && j.reason !== '' ? `（${j.reason}）` : '';
    return `${tier ? `${tier}，` : ''}${String(j.score)} 分${reason}`;
  }
  return String(value);
}

interface MethodNode {
  children?: MethodNode[];
  method?: { input?: string; tiers?: TierLabel[] };
}

/** The judgment tiers of each input a leaf judges (method.input → tiers), from the rule set's indicators. */
function judgmentTiers(nodes: MethodNode[] = [], out = new Map<string, TierLabel[]>()): Map<string, TierLabel[]> {
  for (const n of nodes) {
    if (n.method?.input && n.method.tiers) out.set(n.method.input, n.method.tiers);
    judgmentTiers(n.children, out);
  }
  return out;
}

/** 复核: an evaluator changes one judgment (a checklist point, a yes/no, a figure) with a mandatory reason. */
export function ReviewPanel({
  evaluation,
  list,
  canReview,
}: {
  evaluation: Evaluation;
  list: EvaluationSummary[];
  canReview: boolean;
}) {
  const year = evaluation.fiscalYear;
  const code = evaluation.departmentCode;
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ReviewForm>();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const submission = useQuery(submissionOptions(year, code, evaluation.submissionRevision));
  const definition = useQuery(ruleSetOptions(evaluation.ruleSet.ref));
  const fields = useMemo(
    () => fieldsOf(definition.data?.content.inputs ?? [], submission.data?.submission.inputs ?? {}),
    [definition.data, submission.data],
  );
  const inputs = definition.data?.content.inputs;
  const tiers = useMemo(
    () => judgmentTiers((definition.data?.content as { indicators?: MethodNode[] } | undefined)?.indicators),
    [definition.data],
  );
  const labelOf = (pointer: string) =>
    fields.find((f) => f.pointer === pointer)?.label ??
    inputs?.find((i) => `/inputs/${i.id}` === pointer)?.label ??
    pointer;
  const tiersOf = (pointer: string) => tiers.get(pointer.replace(/^\/inputs\//, ''));
  const pointer = Form.useWatch('pointer', form);
  const chosen = fields.find((f) => f.pointer === pointer);

  const adjust = useMutation({
    mutationFn: (values: ReviewForm) =>
      apiJson<Evaluation>(
        `/departments/${encodeURIComponent(code)}/years/${year}/evaluations/${evaluation.id}/adjustments`,
        {
          method: 'POST',
          body: { adjustments: [{ pointer: values.pointer, value: values.value, reason: values.reason.trim() }] },
        },
      ),
    onSuccess: async (next) => {
      setProblem(null);
      form.resetFields();
      message.success(zh.review.saved(next.total, next.grade));
      await queryClient.invalidateQueries({ queryKey: evaluationKeys.year(year) });
    },
    onError: (error) => setProblem(error instanceof ApiProblem ? error : new ApiProblem(0, 'NETWORK', String(error))),
  });

  const trail = [...list].sort((a, b) => a.sequence - b.sequence);
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      {canReview ? (
        <Form<ReviewForm>
          form={form}
          layout="vertical"
          style={{ maxWidth: 720 }}
          onFinish={(values) =>
            adjust.mutate({ ...values, value: values.value ?? (chosen?.kind === 'boolean' ? false : '') })
          }
        >
          <Typography.Paragraph type="secondary">{zh.review.intro}</Typography.Paragraph>
          <Form.Item
            label={zh.review.field}
            name="pointer"
            rules={[{ required: true, message: zh.review.fieldRequired }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              placeholder={zh.review.fieldPlaceholder}
              options={fields.map((f) => ({
                value: f.pointer,
                label: `${f.label}（当前：${formatValue(f.original)}）`,
              }))}
              onChange={(p: string) => {
                const f = fields.find((x) => x.pointer === p);
                form.setFieldValue('value', f?.kind === 'boolean' ? !(f.original === true) : f?.original);
              }}
            />
          </Form.Item>
          {chosen && (
            <Form.Item
              label={zh.review.value}
              name="value"
              valuePropName={chosen.kind === 'boolean' ? 'checked' : 'value'}
              rules={
                chosen.kind === 'boolean'
                  ? []
                  : [{ required: true, whitespace: true, message: zh.review.valueRequired }]
              }
            >
              {chosen.kind === 'boolean' ? (
                <Switch checkedChildren="是" unCheckedChildren="否" />
              ) : (
                <Input suffix={chosen.unit} inputMode="decimal" />
              )}
            </Form.Item>
          )}
          <Form.Item
            label={zh.review.reason}
            name="reason"
            rules={[{ required: true, whitespace: true, message: zh.review.reasonRequired }]}
          >
            <Input.TextArea rows={3} placeholder={zh.review.reasonPlaceholder} maxLength={500} showCount />
          </Form.Item>
          {problem && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              title={problemText(problem.code, problem.status).title}
              description={
                problem.details.map((d) => `${d.path ?? d.pointer}：${plainText(d.message)}`).join('；') || undefined
              }
            />
          )}
          <Button type="primary" htmlType="submit" loading={adjust.isPending}>
            {zh.review.submit}
          </Button>
        </Form>
      ) : (
        <Alert type="info" showIcon title={zh.review.onlyEvaluators} />
      )}
      <div>
        <Typography.Title level={2} className="section-title">
          {zh.review.trail}
        </Typography.Title>
        <Timeline
          items={trail.map((e) => ({
            color: e.adjustedFrom ? 'blue' : 'gray',
            children: (
              <div className="trail-item">
                <div>
                  <strong>{e.adjustedFrom ? zh.review.reviewed : zh.review.scored}</strong> · {terms.total}{' '}
                  <Score value={e.total} /> <GradeTag grade={e.grade} /> · {e.createdBy} ·{' '}
                  {new Date(e.createdAt).toLocaleString('zh-CN', { hour12: false })}
                </div>
                {(e.adjustments ?? []).map((a) => (
                  <div key={a.pointer} className="trail-change">
                    {labelOf(a.pointer)} → {formatValue(a.value, tiersOf(a.pointer))}；{zh.review.reasonShort}：
                    {a.reason}
                  </div>
                ))}
              </div>
            ),
          }))}
        />
      </div>
    </Space>
  );
}
