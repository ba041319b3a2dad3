import './impact.css';
import { DownloadOutlined, ExperimentOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Progress, Row, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { lazy, Suspense, useMemo } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { apiJson } from '../../api/client';
import type { ApiProblem } from '../../api/problem';
import { PageSpinner } from '../../app/PageSpinner';
import { zhImpact as t } from '../../i18n/impact.zh-CN';
import { Delta, GradeTag, Score } from '../../shared/Score';
import { useDownload } from '../../shared/useDownload';
import { ProblemAlert } from '../rule-editor/ProblemAlert';
import { ruleSetListOptions, ruleSetOptions } from '../rule-editor/queries';
import type { RuleIndicator, RuleSetSummary, RuleSetWithContent } from '../rule-editor/types';
import { impactKeys } from './keys';
import { impactJobOptions, impactRowsOptions } from './queries';
import {
  FINISHED,
  type ImpactAssumption,
  type ImpactDepartmentRow,
  type ImpactIndicator,
  type ImpactJob,
  type ImpactSummary,
} from './types';

const TransitionHeatmap = lazy(() => import('./TransitionHeatmap').then((m) => ({ default: m.TransitionHeatmap })));

const STATUS: Record<string, string> = { draft: '草稿', published: '已发布', superseded: '已替代' };

const versionLabel = (v: Pick<RuleSetSummary, 'title' | 'versionNo' | 'status'>) =>
  t.version(v.title, v.versionNo, STATUS[v.status] ?? v.status);

/** What a candidate is compared with: the version it continues (next year's draft), else its own year's in force. */
function defaults(candidate: RuleSetWithContent): { against: string; year: number } {
  const continues = candidate.content.continues as { id: string; fiscalYear: number } | undefined;
  return continues
    ? { against: `${continues.id}:${continues.fiscalYear}:published`, year: continues.fiscalYear }
    : { against: `${candidate.ruleSetId}:${candidate.fiscalYear}:published`, year: candidate.fiscalYear };
}

/** Each indicator's Chinese path by code (管理效能 › 资产管理 › 固定资产利用率), the candidate's first. */
function indicatorPaths(files: Array<RuleSetWithContent | undefined>): Map<string, string> {
  const paths = new Map<string, string>();
  const walk = (nodes: RuleIndicator[], above: string[]) => {
    for (const node of nodes) {
      const path = [...above, node.name];
      if (!paths.has(node.code)) paths.set(node.code, path.join(' › '));
      if (node.children) walk(node.children, path);
    }
  };
  for (const file of files) if (file) walk(file.content.indicators, []);
  return paths;
}

/** 影响分析: a rule-set version over every department of a year, as a job with progress, cancel and its result. */
export default function ImpactPage() {
  const { ref } = useParams();
  if (!ref) return <ChooseCandidate />;
  return <ImpactOf candidate={ref} />;
}

/** /app/impact: the drafts to analyse (evaluators reach the page from the menu). */
function ChooseCandidate() {
  const list = useQuery(ruleSetListOptions());
  if (list.isPending) return <PageSpinner />;
  if (list.error) throw list.error;
  const drafts = list.data.filter((v) => v.status === 'draft');
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={1} className="page-title">
          {t.title}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t.intro}</Typography.Paragraph>
        {drafts.length === 0 ? (
          <Alert type="info" showIcon message={t.noDrafts} />
        ) : (
          <ul className="impact-candidates" aria-label={t.chooseCandidate}>
            {drafts.map((v) => (
              <li key={v.ref}>
                <Link to={`/app/impact/${encodeURIComponent(v.ref)}`}>{versionLabel(v)}</Link>
                <Typography.Text type="secondary">（{t.yearLabel(v.fiscalYear)}）</Typography.Text>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </Space>
  );
}

function ImpactOf({ candidate }: { candidate: string }) {
  const [search, setSearch] = useSearchParams();
  const stored = useQuery(ruleSetOptions(candidate));
  const list = useQuery({ ...ruleSetListOptions(), throwOnError: false });
  const fallback = stored.data ? defaults(stored.data) : undefined;
  const against = search.get('against') ?? fallback?.against;
  const yearParam = Number.parseInt(search.get('year') ?? '', 10);
  const year = Number.isInteger(yearParam) ? yearParam : fallback?.year;
  const jobId = search.get('job');
  const againstDetail = useQuery({ ...ruleSetOptions(against ?? ''), enabled: !!against, throwOnError: false });
  const client = useQueryClient();
  const navigate = useNavigate();
  // the run shown: 重新分析 waits until it has ended (one run at a time from this page)
  const current = useQuery({ ...impactJobOptions(jobId ?? ''), enabled: !!jobId, throwOnError: false });
  const running = !!jobId && (!current.data || !FINISHED.includes(current.data.status));

  const start = useMutation<ImpactJob, ApiProblem>({
    mutationFn: () =>
      apiJson<ImpactJob>(`/rule-sets/${encodeURIComponent(candidate)}/impact/jobs`, {
        method: 'POST',
        body: { against, year },
      }),
    onSuccess: (job) => {
      client.setQueryData(impactKeys.job(job.id), job);
      const next = new URLSearchParams(search);
      next.set('job', job.id);
      if (year !== undefined) next.set('year', String(year));
      setSearch(next);
    },
  });

  if (stored.isPending) return <PageSpinner />;
  if (stored.error) throw stored.error;
  const draft = stored.data;
  const againstLabel = againstDetail.data ? versionLabel(againstDetail.data) : against;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <div className="page-head">
          <Typography.Title level={1} className="page-title">
            {t.heading(versionLabel(draft))}
          </Typography.Title>
          <Button
            type="primary"
            icon={<ExperimentOutlined />}
            loading={start.isPending}
            disabled={!against || year === undefined || running}
            onClick={() => start.mutate()}
          >
            {jobId ? t.restart : t.start}
          </Button>
        </div>
        <Typography.Paragraph type="secondary" className="impact-intro">
          {t.intro}
        </Typography.Paragraph>
        <Descriptions
          size="small"
          column={1}
          className="impact-facts"
          items={[
            {
              key: 'c',
              label: t.candidate,
              children: (
                <Select
                  aria-label={t.candidate}
                  className="impact-candidate-select"
                  value={candidate}
                  popupMatchSelectWidth={false}
                  options={(list.data ?? [])
                    .filter((v) => v.status === 'draft' || v.ref === candidate)
                    .map((v) => ({ value: v.ref, label: versionLabel(v) }))}
                  onChange={(ref: string) => navigate(`/app/impact/${encodeURIComponent(ref)}`)}
                />
              ),
            },
            { key: 'a', label: t.against, children: againstLabel },
            { key: 'y', label: t.year, children: year !== undefined ? t.yearLabel(year) : '—' },
          ]}
        />
        {start.error && <ProblemAlert problem={start.error} />}
      </Card>
      {jobId && <JobView id={jobId} candidate={candidate} files={[draft, againstDetail.data]} />}
    </Space>
  );
}

function JobView({
  id,
  candidate,
  files,
}: {
  id: string;
  candidate: string;
  files: Array<RuleSetWithContent | undefined>;
}) {
  const job = useQuery(impactJobOptions(id));
  const client = useQueryClient();
  const cancel = useMutation<ImpactJob, ApiProblem>({
    mutationFn: () => apiJson<ImpactJob>(`/jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST' }),
    onSuccess: (data) => client.setQueryData(impactKeys.job(id), data),
  });
  const { busy, download } = useDownload();
  if (job.isPending) return <PageSpinner />;
  if (job.error) throw job.error;
  const j = job.data;
  const finished = FINISHED.includes(j.status);
  const percent = j.progress.percent ?? 0;
  const summary = j.status === 'succeeded' ? j.result?.summary : undefined;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <div className="page-head">
          <div className="impact-progress">
            <div id="impact-progress-label" className="stat-label">
              {t.progress}：{j.statusLabel}
            </div>
            <Progress
              percent={percent}
              status={j.status === 'failed' ? 'exception' : j.status === 'succeeded' ? 'success' : 'active'}
              aria-labelledby="impact-progress-label"
              format={(p) => <span className="impact-percent">{`${p ?? 0}%`}</span>}
            />
            <div role="status" aria-label={t.progress} className="impact-progress-text">
              {j.status === 'queued'
                ? t.queued
                : t.progressText(j.progress.done, j.progress.total, j.progress.prepared ?? null)}
              {j.finishedAt && j.status === 'succeeded' && (
                <span className="impact-finished">
                  {t.finishedAt(dayjs(j.finishedAt).format('YYYY年M月D日 HH:mm:ss'))}
                </span>
              )}
            </div>
          </div>
          <Space wrap>
            {!finished && (
              <Button
                danger
                icon={<StopOutlined />}
                loading={cancel.isPending || j.cancelRequested}
                onClick={() => cancel.mutate()}
              >
                {j.cancelRequested ? t.cancelling : t.cancel}
              </Button>
            )}
            {summary && (
              <Button
                icon={<DownloadOutlined />}
                loading={busy === 'xlsx'}
                onClick={() => download('xlsx', `/jobs/${encodeURIComponent(id)}/result.xlsx`, '影响分析.xlsx')}
              >
                {t.download}
              </Button>
            )}
          </Space>
        </div>
        {cancel.error && <ProblemAlert problem={cancel.error} />}
        {j.status === 'cancelled' && <Alert type="warning" showIcon message={t.cancelled} />}
        {j.status === 'failed' && <Alert type="error" showIcon message={t.failed(j.error?.message ?? '')} />}
      </Card>
      {summary && <ImpactResult id={id} candidate={candidate} summary={summary} files={files} />}
    </Space>
  );
}

function ImpactResult({
  id,
  candidate,
  summary,
  files,
}: {
  id: string;
  candidate: string;
  summary: ImpactSummary;
  files: Array<RuleSetWithContent | undefined>;
}) {
  const paths = useMemo(() => indicatorPaths(files), [files]);
  const s = summary;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Row gutter={[16, 16]}>
          <Col xs={12} lg={6}>
            <div className="stat-label">{t.summary.departments}</div>
            <div className="stat-value stat-small">{s.departments}</div>
          </Col>
          <Col xs={12} lg={6}>
            <div className="stat-label">{t.summary.changed}</div>
            <div className="stat-value stat-small">{s.changed}</div>
            <div className="stat-note">{t.summary.changedDetail(s.raised, s.lowered)}</div>
          </Col>
          <Col xs={12} lg={6}>
            <div className="stat-label">{t.summary.gradeChanged}</div>
            <div className="stat-value stat-small">{s.gradeChanges.changed}</div>
            <div className="stat-note">{t.summary.gradeDetail(s.gradeChanges.up, s.gradeChanges.down)}</div>
          </Col>
          <Col xs={12} lg={6}>
            <div className="stat-label">{t.summary.mean}</div>
            <div className="stat-value stat-small">
              <Delta value={s.delta?.mean} />
            </div>
            {s.delta && <div className="stat-note">{t.summary.median(s.delta.median)}</div>}
          </Col>
        </Row>
        {s.failed > 0 && (
          <Alert style={{ marginTop: 12 }} type="warning" showIcon message={t.summary.failed(s.failed)} />
        )}
      </Card>
      {s.simulation && <Assumptions summary={s} paths={paths} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <TransitionCard summary={s} />
        </Col>
        <Col xs={24} xl={15}>
          <MoversCard id={id} candidate={candidate} year={s.year} assumptions={s.assumptions ?? []} />
        </Col>
      </Row>
      <IndicatorsCard indicators={s.indicators} paths={paths} />
    </Space>
  );
}

function Assumptions({ summary, paths }: { summary: ImpactSummary; paths: Map<string, string> }) {
  const columns: ColumnsType<ImpactAssumption> = [
    { title: t.simulation.label, dataIndex: 'label' },
    { title: t.simulation.value, dataIndex: 'shown', width: 110 },
    {
      title: t.simulation.indicators,
      key: 'indicators',
      render: (_, a) => a.indicators.map((i) => paths.get(i.code) ?? i.name).join('；'),
    },
    { title: t.simulation.count, dataIndex: 'departments', width: 120, align: 'right' },
  ];
  return (
    <Card title={<h2 className="card-title">{t.simulation.title}</h2>}>
      <Alert type="info" showIcon message={summary.simulation!.description} />
      {summary.assumptions && summary.assumptions.length > 0 && (
        <>
          <Typography.Paragraph style={{ marginTop: 12 }}>
            {t.simulation.departments(summary.departmentsWithAssumptions ?? 0, summary.departments)}
          </Typography.Paragraph>
          <Table<ImpactAssumption>
            size="small"
            aria-label={t.simulation.title}
            rowKey="key"
            pagination={false}
            columns={columns}
            dataSource={summary.assumptions}
          />
        </>
      )}
    </Card>
  );
}

function TransitionCard({ summary }: { summary: ImpactSummary }) {
  const { before, after } = summary.grades;
  return (
    <Card title={<h2 className="card-title">{t.matrix.title}</h2>} className="impact-card">
      <Suspense fallback={<PageSpinner />}>
        <TransitionHeatmap before={before} after={after} transitions={summary.transitions} />
      </Suspense>
      <table className="plain-table impact-matrix">
        <caption>{t.matrix.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.matrix.corner}</th>
            {after.map((to) => (
              <th scope="col" key={to}>
                {to}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {before.map((from) => (
            <tr key={from}>
              <th scope="row">{from}</th>
              {after.map((to) => {
                const n = summary.transitions[from]?.[to] ?? 0;
                return (
                  <td key={to} className={n > 0 && from !== to ? 'impact-moved' : undefined}>
                    {n}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <Typography.Paragraph type="secondary" className="impact-hint">
        {t.matrix.hint}
      </Typography.Paragraph>
    </Card>
  );
}

function MoversCard({
  id,
  candidate,
  year,
  assumptions,
}: {
  id: string;
  candidate: string;
  year: number;
  assumptions: ImpactAssumption[];
}) {
  const up = useQuery(impactRowsOptions(id, { move: 'up', sort: '-delta', limit: 10 }));
  const down = useQuery(impactRowsOptions(id, { move: 'down', sort: 'delta', limit: 10 }));
  const labels = new Map(assumptions.map((a) => [a.key, a.label]));
  const columns: ColumnsType<ImpactDepartmentRow> = [
    {
      title: t.movers.department,
      key: 'name',
      className: 'impact-department',
      render: (_, r) => r.department.name,
    },
    {
      title: t.movers.totals,
      key: 'totals',
      width: 150,
      render: (_, r) => (
        <span className="score">
          <Score value={r.before.total} /> → <Score value={r.after.total} />
        </span>
      ),
    },
    {
      title: t.movers.grades,
      key: 'grades',
      width: 100,
      render: (_, r) =>
        r.before.grade === r.after.grade ? (
          <GradeTag grade={r.after.grade} />
        ) : (
          <span>
            <GradeTag grade={r.before.grade} />→<GradeTag grade={r.after.grade} />
          </span>
        ),
    },
    { title: t.movers.delta, key: 'delta', width: 90, align: 'right', render: (_, r) => <Delta value={r.delta} /> },
    {
      title: t.movers.assumed,
      key: 'assumed',
      width: 84,
      render: (_, r) =>
        r.assumed && r.assumed.length > 0 ? (
          <span title={r.assumed.map((k) => labels.get(k) ?? k).join('、')}>
            {t.movers.assumedCount(r.assumed.length)}
          </span>
        ) : (
          '—'
        ),
    },
    {
      title: t.movers.simulate,
      key: 'simulate',
      width: 70,
      render: (_, r) => (
        <Link
          to={`/app/years/${year}/departments/${encodeURIComponent(r.department.code)}/what-if?ruleSet=${encodeURIComponent(candidate)}`}
          aria-label={t.movers.simulateLabel(r.department.name)}
        >
          {t.movers.simulate}
        </Link>
      ),
    },
  ];
  const table = (title: string, rows: ImpactDepartmentRow[] | undefined, loading: boolean, total?: number) => (
    <div className="impact-movers">
      <h3 className="impact-subtitle">
        {title}
        {total !== undefined && <span className="impact-count">（共 {total} 个部门）</span>}
      </h3>
      <Table<ImpactDepartmentRow>
        size="small"
        aria-label={title}
        rowKey={(r) => r.department.code}
        pagination={false}
        loading={loading}
        columns={columns}
        dataSource={rows}
        locale={{ emptyText: <span className="impact-empty">{t.movers.none}</span> }}
      />
    </div>
  );
  return (
    <Card title={<h2 className="card-title">{t.movers.title}</h2>} className="impact-card">
      {table(t.movers.down, down.data?.items, down.isPending, down.data?.total)}
      {table(t.movers.up, up.data?.items, up.isPending, up.data?.total)}
    </Card>
  );
}

function IndicatorsCard({ indicators, paths }: { indicators: ImpactIndicator[]; paths: Map<string, string> }) {
  const columns: ColumnsType<ImpactIndicator> = [
    { title: t.indicators.name, key: 'name', render: (_, i) => paths.get(i.code) ?? i.name },
    {
      title: t.indicators.mean,
      key: 'mean',
      width: 110,
      align: 'right',
      render: (_, i) => <Delta value={i.meanDelta} />,
    },
    {
      title: t.indicators.total,
      key: 'total',
      width: 110,
      align: 'right',
      render: (_, i) => <Delta value={i.totalDelta} />,
    },
    {
      title: t.indicators.moved,
      key: 'moved',
      width: 170,
      align: 'right',
      render: (_, i) => t.indicators.movedDetail(i.moved, i.raised, i.lowered),
    },
  ];
  return (
    <Card title={<h2 className="card-title">{t.indicators.title}</h2>}>
      <Typography.Paragraph type="secondary">{t.indicators.hint}</Typography.Paragraph>
      <Table<ImpactIndicator>
        size="small"
        aria-label={t.indicators.title}
        rowKey="code"
        pagination={false}
        columns={columns}
        dataSource={indicators}
        locale={{ emptyText: <span className="impact-empty">{t.indicators.none}</span> }}
      />
    </Card>
  );
}
