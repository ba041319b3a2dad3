import { ArrowLeftOutlined, UndoOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Form, Input, Row, Select, Space, Switch, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiProblem } from '../../api/problem';
import { PageSpinner } from '../../app/PageSpinner';
import { problemText } from '../../i18n/problems';
import { terms } from '../../i18n/terms';
import { zh } from '../../i18n/zh-CN';
import { Delta, GradeTag, isZero, Score } from '../../shared/Score';
import { useDebounced } from '../../shared/useDebounced';
import { latestEvaluationOptions } from '../evaluation/queries';
import { ruleSetListOptions, ruleSetOptions, submissionOptions, whatIfOptions } from './queries';
import { fieldsOf } from '../../shared/inputFields';
import type { Change, NodeComparison } from './types';

/** ?set=/inputs/x=1643.42 (repeatable): 假设值 carried in the URL, so a headroom suggestion is one click away. */
function parseSets(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of params.getAll('set')) {
    const at = entry.indexOf('=');
    if (at <= 0) continue;
    const raw = entry.slice(at + 1);
    out[entry.slice(0, at)] = raw === 'true' ? true : raw === 'false' ? false : raw;
  }
  return out;
}

const changedColumns: ColumnsType<NodeComparison> = [
  {
    title: '指标',
    key: 'name',
    render: (_, n) => <span style={{ paddingLeft: (n.level - 1) * 16 }}>{n.name}</span>,
  },
  { title: '原得分', key: 'before', align: 'right', width: 90, render: (_, n) => <Score value={n.before} /> },
  { title: '模拟得分', key: 'after', align: 'right', width: 90, render: (_, n) => <Score value={n.after} /> },
  { title: '变化', key: 'delta', align: 'right', width: 90, render: (_, n) => <Delta value={n.delta} /> },
];

/** 模拟: change any input, see the new total, 等次 and per-indicator changes as you type. Nothing is stored. */
export default function WhatIfPage() {
  const params = useParams();
  const year = Number.parseInt(params.year ?? '', 10);
  const code = params.code ?? '';
  const [search, setSearch] = useSearchParams();
  const values = useMemo(() => parseSets(search), [search]);
  const ruleSet = search.get('ruleSet') ?? undefined;

  const evaluation = useQuery(latestEvaluationOptions(year, code));
  const baseRef = evaluation.data?.ruleSet.ref;
  const revision = evaluation.data?.submissionRevision;
  const submission = useQuery({ ...submissionOptions(year, code, revision ?? 0), enabled: revision !== undefined });
  const definition = useQuery({ ...ruleSetOptions(baseRef ?? ''), enabled: baseRef !== undefined });
  const ruleSets = useQuery({ ...ruleSetListOptions(), throwOnError: false });

  const fields = useMemo(
    () => fieldsOf(definition.data?.content.inputs ?? [], submission.data?.submission.inputs ?? {}),
    [definition.data, submission.data],
  );
  const settled = useDebounced(values, 350);
  const changes: Change[] = useMemo(
    () =>
      Object.entries(settled)
        .filter(([pointer, value]) => fields.find((f) => f.pointer === pointer)?.original !== value)
        .map(([pointer, value]) => ({ pointer, value })),
    [settled, fields],
  );
  const run = useQuery({
    ...whatIfOptions(year, code, ruleSet, changes),
    enabled: fields.length > 0 && (changes.length > 0 || ruleSet !== undefined),
  });

  function setValue(pointer: string, value: unknown) {
    const next = new URLSearchParams(search);
    const rest = next.getAll('set').filter((s) => !s.startsWith(`${pointer}=`));
    next.delete('set');
    for (const s of rest) next.append('set', s);
    const original = fields.find((f) => f.pointer === pointer)?.original;
    if (value !== original) next.append('set', `${pointer}=${String(value)}`);
    setSearch(next, { replace: true });
  }
  function reset() {
    const next = new URLSearchParams(search);
    next.delete('set');
    setSearch(next, { replace: true });
  }
  function chooseRuleSet(ref: string) {
    const next = new URLSearchParams(search);
    if (ref === baseRef) next.delete('ruleSet');
    else next.set('ruleSet', ref);
    setSearch(next, { replace: true });
  }

  if (evaluation.isPending || (evaluation.data && (submission.isPending || definition.isPending)))
    return <PageSpinner />;
  if (!evaluation.data) {
    return (
      <Card>
        <Typography.Title level={1} className="page-title">
          {zh.whatIf.title}
        </Typography.Title>
        <Alert type="info" showIcon title={zh.evaluation.noneHint} />
      </Card>
    );
  }
  const e = evaluation.data;
  const c = run.data?.comparison;
  const active = changes.length > 0 || ruleSet !== undefined;
  const sameYear = (ruleSets.data ?? []).filter((r) => r.ruleSetId === e.ruleSet.ruleSetId);
  const problem = run.error instanceof ApiProblem ? run.error : undefined;
  const shown = active ? c : undefined;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Space direction="vertical" size="small" style={{ width: '100%' }}>
          <Link to={`/app/years/${year}/departments/${encodeURIComponent(code)}`}>
            <ArrowLeftOutlined aria-hidden /> {zh.whatIf.back}
          </Link>
          <Typography.Title level={1} className="page-title">
            {zh.whatIf.heading(e.report.department.name, year)}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{zh.whatIf.intro}</Typography.Paragraph>
          <Space wrap>
            <span id="what-if-rule-set">{terms.indicatorSystem}</span>
            <Select
              aria-labelledby="what-if-rule-set"
              value={ruleSet ?? baseRef}
              style={{ minWidth: 420 }}
              onChange={chooseRuleSet}
              options={(sameYear.length
                ? sameYear
                : [
                    {
                      ref: baseRef!,
                      title: e.report.ruleSet.title,
                      versionNo: e.ruleSet.versionNo,
                      fiscalYear: year,
                      status: 'published',
                    },
                  ]
              ).map((r) => ({
                value: r.ref,
                label: `${r.title}（${r.fiscalYear}年 第${r.versionNo}版，${zh.ruleSetStatus[r.status as keyof typeof zh.ruleSetStatus] ?? r.status}）`,
              }))}
            />
            <Button icon={<UndoOutlined />} onClick={reset} disabled={!active}>
              {zh.whatIf.reset}
            </Button>
          </Space>
        </Space>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={13}>
          <Card title={zh.whatIf.inputs}>
            <Form layout="vertical" className="what-if-form">
              {fields.map((f) => {
                const current = f.pointer in values ? values[f.pointer] : f.original;
                const edited = f.pointer in values && values[f.pointer] !== f.original;
                return (
                  <Form.Item
                    key={f.pointer}
                    label={f.label}
                    htmlFor={f.pointer}
                    tooltip={f.help ? `${terms.explanation}：${f.help}` : undefined}
                    extra={
                      edited
                        ? zh.whatIf.was(f.original === true ? '是' : f.original === false ? '否' : String(f.original))
                        : undefined
                    }
                    className={edited ? 'field-edited' : undefined}
                  >
                    {f.kind === 'boolean' ? (
                      <Switch
                        id={f.pointer}
                        checked={current === true}
                        checkedChildren="是"
                        unCheckedChildren="否"
                        onChange={(checked) => setValue(f.pointer, checked)}
                      />
                    ) : (
                      <Input
                        id={f.pointer}
                        inputMode="decimal"
                        value={String(current ?? '')}
                        suffix={f.unit}
                        onChange={(event) => setValue(f.pointer, event.target.value.trim())}
                      />
                    )}
                  </Form.Item>
                );
              })}
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={11}>
          <Card title={zh.whatIf.result} className="what-if-result">
            <div role="status" aria-label={zh.whatIf.result} aria-busy={run.isFetching} data-testid="what-if-result">
              <div className="total-bar">
                <div>
                  <div className="stat-label">
                    {terms.total}（{zh.whatIf.original} {e.total}）
                  </div>
                  <div className="stat-value" data-testid="what-if-total">
                    <Score value={shown?.total.after ?? e.total} /> {shown && <Delta value={shown.total.delta} />}
                  </div>
                </div>
                <div>
                  <div className="stat-label">{terms.grade}</div>
                  <div className="stat-value" data-testid="what-if-grade">
                    <GradeTag grade={shown?.grade.after ?? e.grade} />
                    {shown?.grade.changed && (
                      <span className="grade-from">{zh.whatIf.gradeFrom(shown.grade.before)}</span>
                    )}
                  </div>
                </div>
              </div>
              {!active && <Typography.Paragraph type="secondary">{zh.whatIf.hint}</Typography.Paragraph>}
              {run.isFetching && <Typography.Text type="secondary">{zh.whatIf.computing}</Typography.Text>}
            </div>
            {problem && (
              <Alert
                type="error"
                showIcon
                title={problemText(problem.code, problem.status).title}
                description={
                  problem.details.map((d) => `${d.path ?? d.pointer}：${d.message}`).join('；') || problem.message
                }
              />
            )}
            {shown && (
              <Table<NodeComparison>
                aria-label={zh.whatIf.changedTable}
                rowKey="code"
                size="small"
                pagination={false}
                columns={changedColumns}
                dataSource={shown.changed.filter((n) => !isZero(n.delta))}
                locale={{ emptyText: zh.whatIf.noChange }}
              />
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
