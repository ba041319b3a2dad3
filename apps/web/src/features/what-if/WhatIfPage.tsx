import { ArrowLeftOutlined, UndoOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Form, Input, Row, Select, Space, Switch, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiProblem } from '../../api/problem';
import { PageSpinner } from '../../app/PageSpinner';
import { problemText } from '../../i18n/problems';
import { terms } from '../../i18n/terms';
import { zh } from '../../i18n/zh-CN';
import { Delta, GradeTag, isZero, Score } from '../../shared/Score';
import { plainText } from '../../shared/plainText';
import { useDebounced } from '../../shared/useDebounced';
import { latestEvaluationOptions } from '../evaluation/queries';
import { ruleSetListOptions, ruleSetOptions, submissionOptions, whatIfOptions } from './queries';
import { type Field, fieldsOf } from '../../shared/inputFields';
import type { Change, NodeComparison, WhatIfResult as WhatIfAnswer } from './types';

type WhatIfComparison = WhatIfAnswer['comparison'];

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

/**
 * Quiet time after a keystroke before the what-if is asked; a keystroke after a pause is asked at once (leading edge),
 * see useDebounced. Measured: docs/performance.md, Web console.
 */
const WHAT_IF_DEBOUNCE_MS = 150;

/** A number still being typed (empty, a sign, a trailing point): not asked, the last answer stays. */
function incomplete(value: string): boolean {
  return value === '' || value === '-' || value.endsWith('.');
}

const changedColumns: ColumnsType<NodeComparison> = [
  {
    title: '指标',
    key: 'name',
    render: (_, n) => <span style={{ paddingLeft: (n.level - 1) * 12 }}>{n.name}</span>,
  },
  { title: '原得分', key: 'before', align: 'right', width: 64, render: (_, n) => <Score value={n.before} /> },
  { title: '模拟得分', key: 'after', align: 'right', width: 72, render: (_, n) => <Score value={n.after} /> },
  { title: '变化', key: 'delta', align: 'right', width: 64, render: (_, n) => <Delta value={n.delta} /> },
];

/** One input of 模拟 with its 原值 once edited; re-rendered only when its own value changes. */
const WhatIfField = memo(function WhatIfField({
  field: f,
  value,
  onChange,
}: {
  field: Field;
  value: unknown;
  onChange: (pointer: string, value: unknown) => void;
}) {
  const edited = value !== f.original;
  return (
    <Form.Item
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
          checked={value === true}
          checkedChildren="是"
          unCheckedChildren="否"
          onChange={(checked) => onChange(f.pointer, checked)}
        />
      ) : (
        <Input
          id={f.pointer}
          inputMode="decimal"
          value={String(value ?? '')}
          suffix={f.unit}
          onChange={(event) => onChange(f.pointer, event.target.value.trim())}
        />
      )}
    </Form.Item>
  );
});

/** The answer: total and 等次 against the official ones, and the indicators whose score changed; memoised, so a
 * keystroke does not re-render it until the answer changes. */
const WhatIfResult = memo(function WhatIfResult({
  originalTotal,
  originalGrade,
  shown,
  active,
  fetching,
  problem,
}: {
  originalTotal: string;
  originalGrade: string;
  shown: WhatIfComparison | undefined;
  active: boolean;
  fetching: boolean;
  problem: ApiProblem | undefined;
}) {
  return (
    <Card title={zh.whatIf.result} className="what-if-result">
      <div role="status" aria-label={zh.whatIf.result} aria-busy={fetching} data-testid="what-if-result">
        <div className="total-bar">
          <div>
            <div className="stat-label">
              {terms.total}（{zh.whatIf.original} {originalTotal}）
            </div>
            <div className="stat-value" data-testid="what-if-total">
              <Score value={shown?.total.after ?? originalTotal} /> {shown && <Delta value={shown.total.delta} />}
            </div>
          </div>
          <div>
            <div className="stat-label">{terms.grade}</div>
            <div className="stat-value" data-testid="what-if-grade">
              <GradeTag grade={shown?.grade.after ?? originalGrade} />
              {shown?.grade.changed && <span className="grade-from">{zh.whatIf.gradeFrom(shown.grade.before)}</span>}
            </div>
          </div>
        </div>
        {!active && <Typography.Paragraph type="secondary">{zh.whatIf.hint}</Typography.Paragraph>}
        {fetching && <Typography.Text type="secondary">{zh.whatIf.computing}</Typography.Text>}
      </div>
      {problem && (
        <Alert
          type="error"
          showIcon
          title={problemText(problem.code, problem.status).title}
          description={
            problem.details.map((d) => `${d.path ?? d.pointer}：${plainText(d.message)}`).join('；') ||
            plainText(problem.message)
          }
        />
      )}
      {shown && (
        <Table<NodeComparison>
          aria-label={zh.whatIf.changedTable}
          className="table-head-nowrap"
          rowKey="code"
          size="small"
          pagination={false}
          columns={changedColumns}
          dataSource={shown.changed.filter((n) => !isZero(n.delta))}
          locale={{ emptyText: zh.whatIf.noChange }}
        />
      )}
    </Card>
  );
});

/** 模拟: change any input, see the new total, 等次 and per-indicator changes as you type. Nothing is stored. */
export default function WhatIfPage() {
  const params = useParams();
  const year = Number.parseInt(params.year ?? '', 10);
  const code = params.code ?? '';
  const [search, setSearch] = useSearchParams();
  const ruleSet = search.get('ruleSet') ?? undefined;
  // What is typed lives in this state, updated at once on every keystroke; the URL (so a headroom suggestion or a
  // shared link opens with its 假设值) follows once typing settles. An input fed from the URL alone loses and reorders
  // keystrokes, because React Router applies the change later than the keystroke (1500.00 typed fast became 150000).
  const urlSets = search.getAll('set').join('&');
  const [values, setValues] = useState<Record<string, unknown>>(() => parseSets(search));
  const written = useRef(urlSets);
  useEffect(() => {
    if (urlSets === written.current) return;
    written.current = urlSets; // changed from outside (a link, back/forward): show it
    setValues(parseSets(new URLSearchParams(urlSets)));
  }, [urlSets]);

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
  const settled = useDebounced(values, WHAT_IF_DEBOUNCE_MS);
  const changes: Change[] = useMemo(
    () =>
      Object.entries(settled)
        .filter(([pointer, value]) => fields.find((f) => f.pointer === pointer)?.original !== value)
        .filter(([, value]) => typeof value !== 'string' || !incomplete(value))
        .map(([pointer, value]) => ({ pointer, value })),
    [settled, fields],
  );
  const run = useQuery({
    ...whatIfOptions(year, code, ruleSet, changes),
    enabled: fields.length > 0 && (changes.length > 0 || ruleSet !== undefined),
  });

  const writeSets = useCallback(
    (sets: Record<string, unknown>) => {
      const entries = Object.entries(sets).map(([pointer, value]) => `${pointer}=${String(value)}`);
      if (entries.join('&') === written.current) return;
      written.current = entries.join('&');
      setSearch(
        (previous) => {
          const next = new URLSearchParams(previous);
          next.delete('set');
          for (const entry of entries) next.append('set', entry);
          return next;
        },
        { replace: true },
      );
    },
    [setSearch],
  );
  useEffect(() => writeSets(settled), [settled, writeSets]);

  // stable, so a keystroke re-renders only the field typed in (WhatIfField is memoised)
  const setValue = useCallback(
    (pointer: string, value: unknown) => {
      const original = fields.find((f) => f.pointer === pointer)?.original;
      setValues((previous) => {
        const next = { ...previous };
        delete next[pointer];
        if (value !== original) next[pointer] = value;
        return next;
      });
    },
    [fields],
  );
  function reset() {
    setValues({});
    writeSets({});
  }
  function chooseRuleSet(ref: string) {
    setSearch(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (ref === baseRef) next.delete('ruleSet');
        else next.set('ruleSet', ref);
        return next;
      },
      { replace: true },
    );
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
        <Col xs={24} lg={11} xl={13}>
          <Card title={zh.whatIf.inputs}>
            <Form layout="vertical" className="what-if-form">
              {fields.map((f) => (
                <WhatIfField
                  key={f.pointer}
                  field={f}
                  value={f.pointer in values ? values[f.pointer] : f.original}
                  onChange={setValue}
                />
              ))}
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={13} xl={11}>
          <WhatIfResult
            originalTotal={e.total}
            originalGrade={e.grade}
            shown={shown}
            active={active}
            fetching={run.isFetching}
            problem={problem}
          />
        </Col>
      </Row>
    </Space>
  );
}
