import './rule-editor.css';
import { DownloadOutlined, SaveOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Row, Select, Space, Spin, Table, Tabs, Tag, Tree, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { apiJson } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import type { Department } from '../../api/types';
import { PageSpinner } from '../../app/PageSpinner';
import { zhRuleEditor as t } from '../../i18n/rule-editor.zh-CN';
import { Delta, GradeTag, Score } from '../../shared/Score';
import { ChangeTable } from './ChangeTable';
import { CellInput, type EditorContext, TextField } from './fields';
import { IndicatorForm } from './IndicatorForm';
import { ruleSetKeys } from './keys';
import { indicatorEntries, indicatorOf, type IndicatorEntry, withValue } from './pointer';
import { ProblemAlert } from './ProblemAlert';
import { ruleSetOptions } from './queries';
import type { RuleFile, RuleFileCheck, RuleIndicator, RuleSetWithContent } from './types';
import { chineseItemRender } from '../../shared/pagination';

/** The value after it has stopped changing for `ms`: the live check runs on what the person settled on. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** 规则编辑 › 草稿: the indicator tree on the left, the chosen indicator's form, the live check, diff and 模拟. */
export default function DraftEditorPage() {
  const { ref = '' } = useParams();
  const [params] = useSearchParams();
  const stored = useQuery(ruleSetOptions(ref));
  if (stored.isPending) return <PageSpinner />;
  if (stored.error) throw stored.error;
  const content = stored.data.content;
  const continues = content.continues as { id: string; fiscalYear: number } | undefined;
  const against =
    params.get('against') ??
    (continues
      ? `${continues.id}:${continues.fiscalYear}:published`
      : `${stored.data.ruleSetId}:${stored.data.fiscalYear}:published`);
  return <DraftEditor key={`${ref}#${stored.data.checksum}`} stored={stored.data} against={against} />;
}

function DraftEditor({ stored, against }: { stored: RuleSetWithContent; against: string }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const readOnly = stored.status !== 'draft';
  const [file, setFile] = useState<RuleFile>(stored.content);
  const [savedJson, setSavedJson] = useState(() => JSON.stringify(stored.content));
  const entries = useMemo(() => indicatorEntries(file), [file]);
  const [selected, setSelected] = useState<string>(() => firstLeaf(entries)?.pointer ?? '/indicators/0');
  const settled = useSettled(file, 500);
  const baseYear = Number(against.split(':')[1]) || stored.fiscalYear;

  const check = useQuery({
    queryKey: [...ruleSetKeys.all, 'check', stored.ref, against, settled] as const,
    queryFn: async ({ signal }) => {
      const validate = (withDiff: boolean) =>
        apiJson<RuleFileCheck>('/rule-sets/validate', {
          method: 'POST',
          query: { against: withDiff ? against : undefined, replaces: stored.ref },
          body: settled,
          signal,
        });
      try {
        return await validate(true);
      } catch (error) {
        // a file the diff cannot read yet (a weight typed as 两分): its problems still, without the diff
        if (error instanceof ApiProblem && error.status !== 401 && error.status !== 403) return validate(false);
        throw error;
      }
    },
    placeholderData: keepPreviousData,
    enabled: !readOnly,
    retry: false,
  });
  const checkedNow = !check.isFetching && !check.error && settled === file;
  const problems = check.data?.problems ?? [];
  const ctx: EditorContext = {
    file,
    problems,
    readOnly,
    set: (pointer, value) => setFile((current) => withValue(current, pointer, value)),
  };
  const dirty = JSON.stringify(file) !== savedJson;

  const updateTests = useMutation<RuleFileCheck, ApiProblem>({
    mutationFn: () =>
      apiJson<RuleFileCheck>('/rule-sets/validate', {
        method: 'POST',
        query: { against, replaces: stored.ref, updateTests: true },
        body: file,
      }),
    onSuccess: (result) => {
      if (result.file) setFile(result.file);
      void message.success(t.check.updated(result.testUpdates.length));
    },
  });
  const save = useMutation<unknown, ApiProblem>({
    mutationFn: () => apiJson(`/rule-sets/${encodeURIComponent(stored.ref)}`, { method: 'PUT', body: file }),
    onSuccess: () => {
      setSavedJson(JSON.stringify(file));
      void queryClient.invalidateQueries({ queryKey: ruleSetKeys.list() });
      void message.success(t.editor.savedMessage);
    },
  });

  const current = entries.find((e) => e.pointer === selected) ?? entries[0];
  const testsOnly = problems.length > 0 && problems.every((p) => p.pointer.startsWith('/tests/'));

  return (
    <div className="draft-editor">
      <Space wrap className="editor-header" align="center">
        <Typography.Title level={1} className="page-title">
          {t.editor.title(file.title, stored.versionNo)}
        </Typography.Title>
        <Tag className="tag-status">{t.status[stored.status]}</Tag>
        {!readOnly && (
          <Tag className={dirty ? 'tag-unsaved' : 'tag-saved'}>{dirty ? t.editor.unsaved : t.editor.saved}</Tag>
        )}
      </Space>
      <Space wrap style={{ marginBottom: 12 }}>
        <Link to={`/app/rule-editor?base=${encodeURIComponent(against)}`}>{t.editor.back}</Link>
        {!readOnly && (
          <Button
            type="primary"
            icon={<SaveOutlined />}
            disabled={!dirty || check.data?.valid !== true || !checkedNow}
            loading={save.isPending}
            onClick={() => save.mutate()}
          >
            {t.editor.save}
          </Button>
        )}
        <Button icon={<DownloadOutlined />} onClick={() => downloadJson(file, stored.ref)}>
          {t.editor.downloadJson}
        </Button>
      </Space>
      {readOnly && <Alert type="info" showIcon message={t.editor.readOnly} style={{ marginBottom: 12 }} />}
      {save.error && <ProblemAlert problem={save.error} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9} xl={8} xxl={5}>
          <Card size="small" title={<h2 className="card-title">{t.editor.tree}</h2>}>
            <nav aria-label={t.editor.tree}>
              <Tree
                blockNode
                defaultExpandAll
                selectedKeys={[current?.pointer ?? '']}
                onSelect={(keys) => keys[0] && setSelected(String(keys[0]))}
                treeData={treeData(
                  file.indicators,
                  '',
                  problems.map((p) => p.pointer),
                )}
              />
            </nav>
          </Card>
        </Col>
        <Col xs={24} lg={15} xl={16} xxl={11}>
          <Card size="small">
            <Tabs
              items={[
                {
                  key: 'indicator',
                  label: t.editor.tabIndicator,
                  children: current && <IndicatorForm ctx={ctx} entry={current} />,
                },
                { key: 'grades', label: t.editor.tabGrades, children: <GradesForm ctx={ctx} /> },
                { key: 'inputs', label: t.editor.tabInputs, children: <InputsForm ctx={ctx} /> },
                {
                  key: 'json',
                  label: t.editor.tabJson,
                  children: (
                    <>
                      <Typography.Paragraph type="secondary">{t.editor.jsonHint}</Typography.Paragraph>
                      <pre className="rule-json" aria-label={t.editor.jsonLabel} tabIndex={0}>
                        {JSON.stringify(file, null, 2)}
                      </pre>
                    </>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xxl={8}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            {!readOnly && (
              <Card size="small" title={<h2 className="card-title">{t.check.title}</h2>}>
                <div role="status" aria-label={t.check.title} aria-busy={check.isFetching}>
                  {!check.data || (check.isFetching && check.data.valid) ? (
                    <Spin size="small" tip={t.check.checking}>
                      <div style={{ minHeight: 24 }} />
                    </Spin>
                  ) : check.data.valid ? (
                    <Alert type="success" showIcon message={t.check.valid} />
                  ) : (
                    <Alert type="error" showIcon message={t.check.invalid(problems.length)} />
                  )}
                </div>
                {check.error && <ProblemAlert problem={check.error as ApiProblem} />}
                {problems.length > 0 && (
                  <ul className="check-problems" aria-label={t.check.title}>
                    {problems.map((p, i) => {
                      const owner = indicatorOf(p.pointer, entries);
                      return (
                        <li key={`${p.pointer}#${i}`}>
                          <strong>{p.path ?? owner?.path ?? p.pointer}</strong>：{p.message}{' '}
                          {owner && (
                            <Button size="small" type="link" onClick={() => setSelected(owner.pointer)}>
                              {t.check.locate}
                            </Button>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                )}
                {testsOnly && (
                  <>
                    <Typography.Paragraph type="secondary">{t.check.testsHint}</Typography.Paragraph>
                    <Button loading={updateTests.isPending} onClick={() => updateTests.mutate()}>
                      {t.check.updateTests}
                    </Button>
                  </>
                )}
                {updateTests.error && <ProblemAlert problem={updateTests.error} />}
              </Card>
            )}
            <Card
              size="small"
              title={
                <h2 className="card-title">
                  {t.diff.title}
                  {check.data?.diff ? `（${t.diff.count(check.data.diff.changes.length)}）` : ''}
                </h2>
              }
            >
              <ChangeTable changes={check.data?.diff?.changes ?? []} />
            </Card>
            <Simulation file={settled} valid={check.data?.valid === true && checkedNow} year={baseYear} />
            <ImpactCard stored={stored} against={against} year={baseYear} saved={!dirty} />
          </Space>
        </Col>
      </Row>
    </div>
  );
}

function firstLeaf(entries: IndicatorEntry[]): IndicatorEntry | undefined {
  return entries.find((e) => !e.indicator.children?.length && e.indicator.method);
}

interface TreeNode {
  key: string;
  title: React.ReactNode;
  children?: TreeNode[];
}
function treeData(list: RuleIndicator[] | undefined, base: string, problemPointers: string[]): TreeNode[] {
  return (list ?? []).map((indicator, i) => {
    const pointer = base === '' ? `/indicators/${i}` : `${base}/children/${i}`;
    const hasProblem = problemPointers.some((p) => p === pointer || p.startsWith(`${pointer}/`));
    return {
      key: pointer,
      title: (
        <span className={hasProblem ? 'tree-problem' : undefined}>
          {indicator.name}
          <span className="tree-weight">（{indicator.weight ?? '—'}分）</span>
          {hasProblem && <span className="visually-hidden">（有问题）</span>}
        </span>
      ),
      children: indicator.children?.length ? treeData(indicator.children, pointer, problemPointers) : undefined,
    };
  });
}

function downloadJson(file: RuleFile, ref: string) {
  const blob = new Blob([`${JSON.stringify(file, null, 2)}\n`], { type: 'application/json' });
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = `${ref.replace(/:/g, '-')}.json`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

interface Grade {
  code: string;
  label: string;
  min: string;
}
function GradesForm({ ctx }: { ctx: EditorContext }) {
  const grades = (ctx.file.grades as Grade[] | undefined) ?? [];
  return (
    <>
      <TextField ctx={ctx} pointer="/total" label={t.editor.total} decimal suffix="分" />
      <Typography.Title level={4}>{t.editor.grades}</Typography.Title>
      <Table
        size="small"
        aria-label={t.editor.grades}
        pagination={false}
        rowKey="code"
        dataSource={grades.map((g, i) => ({ ...g, i }))}
        columns={[
          {
            title: t.editor.gradeLabel,
            render: (_, g) => (
              <CellInput ctx={ctx} pointer={`/grades/${g.i}/label`} label={t.editor.gradeLabelOf(g.code)} />
            ),
          },
          {
            title: t.editor.gradeMin,
            render: (_, g) => (
              <CellInput ctx={ctx} pointer={`/grades/${g.i}/min`} label={t.editor.gradeMinOf(g.label)} />
            ),
          },
        ]}
      />
      <div className="inline-fields">
        <TextField ctx={ctx} pointer="/rounding/scorePlaces" label={t.editor.scorePlaces} />
        <TextField ctx={ctx} pointer="/rounding/totalPlaces" label={t.editor.totalPlaces} />
      </div>
    </>
  );
}

interface InputDef {
  id: string;
  label: string;
  type: string;
  unit?: string;
  description?: string;
}
function InputsForm({ ctx }: { ctx: EditorContext }) {
  const inputs = (ctx.file.inputs as InputDef[] | undefined) ?? [];
  return (
    <Table
      size="small"
      aria-label={t.editor.inputs}
      pagination={{
        itemRender: chineseItemRender,
        pageSize: 10,
        showSizeChanger: false,
      }}
      rowKey="id"
      dataSource={inputs.map((input, i) => ({ ...input, i }))}
      columns={[
        {
          title: t.editor.inputLabel,
          render: (_, input) => (
            <CellInput ctx={ctx} pointer={`/inputs/${input.i}/label`} label={t.editor.inputLabelOf(input.id)} />
          ),
        },
        { title: t.editor.inputUnit, dataIndex: 'unit', width: 80, render: (u?: string) => u ?? '—' },
        {
          title: t.editor.inputDescription,
          dataIndex: 'description',
          render: (d?: string) => <Typography.Text type="secondary">{d ?? '—'}</Typography.Text>,
        },
      ]}
    />
  );
}

interface WhatIfAnswer {
  report: { total: string; grade: string; gradeCode?: string };
  comparison?: { total: { before: string; after: string; delta: string }; grade: { before: string; after: string } };
}

/** 模拟: the seed department (or another) of the base year scored under the unsaved draft; nothing stored. */
function Simulation({ file, valid, year }: { file: RuleFile; valid: boolean; year: number }) {
  const departments = useQuery({
    queryKey: ['departments', 'list'] as const,
    queryFn: ({ signal }) => apiJson<Department[]>('/departments', { signal }),
  });
  const [department, setDepartment] = useState<string | undefined>(undefined);
  const code = department ?? departments.data?.[0]?.code;
  const whatIf = useQuery({
    queryKey: ['what-if', year, code, 'rule-file', file] as const,
    queryFn: ({ signal }) =>
      apiJson<WhatIfAnswer>('/what-if', { method: 'POST', body: { department: code, year, ruleSet: file }, signal }),
    enabled: valid && !!code,
    placeholderData: keepPreviousData,
  });
  const c = whatIf.data?.comparison;
  return (
    <Card size="small" title={<h2 className="card-title">{t.simulate.title(year)}</h2>}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select
          aria-label={t.simulate.department}
          value={code}
          onChange={setDepartment}
          style={{ width: '100%' }}
          options={(departments.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
        />
        <div role="status" aria-label={t.simulate.title(year)} aria-busy={whatIf.isFetching}>
          {!valid && !whatIf.data && <Typography.Text type="secondary">{t.simulate.waiting}</Typography.Text>}
          {whatIf.data && (
            <Space size="large" wrap>
              <span>
                {t.simulate.total} <Score value={whatIf.data.report.total} className="sim-total" />
              </span>
              {c && (
                <span>
                  （{t.simulate.before(c.total.before)}，<Delta value={c.total.delta} />）
                </span>
              )}
              <span>
                {t.simulate.grade} <GradeTag grade={whatIf.data.report.grade} code={whatIf.data.report.gradeCode} />
              </span>
            </Space>
          )}
        </div>
        {whatIf.error && <ProblemAlert problem={whatIf.error as ApiProblem} />}
      </Space>
    </Card>
  );
}

interface Job {
  id: string;
  status: string;
  statusLabel: string;
  progress: { done: number; total: number | null };
  result: {
    summary: {
      departments: number;
      changed: number;
      movers: Array<{
        department: { code: string; name: string };
        before: { total: string };
        after: { total: string };
        delta: string;
      }>;
    };
  } | null;
  error: { message: string } | null;
}

/** 影响分析 of the saved draft over every department of the base year, as a job (POST …/impact/jobs → /jobs/{id}). */
function ImpactCard({
  stored,
  against,
  year,
  saved,
}: {
  stored: RuleSetWithContent;
  against: string;
  year: number;
  saved: boolean;
}) {
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation<Job, ApiProblem>({
    mutationFn: () =>
      apiJson<Job>(`/rule-sets/${encodeURIComponent(stored.ref)}/impact/jobs`, {
        method: 'POST',
        body: { against, year },
      }),
    onSuccess: (job) => setJobId(job.id),
  });
  const job = useQuery({
    queryKey: ['jobs', jobId] as const,
    queryFn: ({ signal }) => apiJson<Job>(`/jobs/${jobId}`, { signal }),
    enabled: !!jobId,
    refetchInterval: (q) =>
      q.state.data && ['succeeded', 'failed', 'cancelled'].includes(q.state.data.status) ? false : 1000,
  });
  const summary = job.data?.result?.summary;
  return (
    <Card size="small" title={<h2 className="card-title">{t.simulate.impact}</h2>}>
      <Typography.Paragraph type="secondary">{t.simulate.impactHint}</Typography.Paragraph>
      <Space wrap>
        <Button disabled={!saved} loading={start.isPending} onClick={() => start.mutate()}>
          {t.simulate.runImpact}
        </Button>
        <Link
          to={`/app/impact/${encodeURIComponent(stored.ref)}?${new URLSearchParams({
            year: String(year),
            against,
            ...(jobId && { job: jobId }),
          }).toString()}`}
        >
          {t.simulate.impactPage}
        </Link>
      </Space>
      {start.error && <ProblemAlert problem={start.error} />}
      {job.data && (
        <div role="status" aria-label={t.simulate.impact} style={{ marginTop: 8 }}>
          <Typography.Text>
            {t.simulate.impactStatus(job.data.statusLabel, job.data.progress.done, job.data.progress.total)}
          </Typography.Text>
          {summary && (
            <>
              <Typography.Paragraph>
                {t.simulate.departments(summary.departments, summary.changed)}
              </Typography.Paragraph>
              <Table
                size="small"
                aria-label={t.simulate.impact}
                pagination={false}
                rowKey={(m) => m.department.code}
                dataSource={summary.movers}
                columns={[
                  { title: t.simulate.mover, render: (_, m) => m.department.name },
                  { title: t.simulate.moverBefore, render: (_, m) => <Score value={m.before.total} /> },
                  { title: t.simulate.moverAfter, render: (_, m) => <Score value={m.after.total} /> },
                  { title: t.simulate.moverDelta, render: (_, m) => <Delta value={m.delta} /> },
                ]}
              />
            </>
          )}
          {job.data.error && <Alert type="error" showIcon message={job.data.error.message} />}
        </div>
      )}
    </Card>
  );
}
