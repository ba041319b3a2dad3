import { DownloadOutlined, ExperimentOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Empty, Space, Table, Tabs, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type ReactNode, useMemo } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiProblem } from '../../api/problem';
import type { Evaluation, EvaluationSummary } from '../../api/types';
import { terms } from '../../i18n/terms';
import { zh } from '../../i18n/zh-CN';
import { GradeTag, isZero, Score } from '../../shared/Score';
import { useDownload } from '../../shared/useDownload';
import { PageSpinner } from '../../app/PageSpinner';
import { ProblemResult } from '../../app/errors/ProblemResult';
import { departmentOptions, evaluationListOptions, latestEvaluationOptions, selfAndReviewed } from './queries';
import { ReviewPanel } from './ReviewPanel';
import { HeadroomPanel } from './HeadroomPanel';
import { hasRole } from '../../session/can';
import { useSession } from '../../session/useSession';
import { type ScoreRow, scoreRows } from './scoreRows';

function NodeCell({
  name,
  weight,
  score,
  explanation,
}: {
  name: string;
  weight?: string;
  score?: string;
  explanation?: string;
}) {
  const label = <span>{name}</span>;
  return (
    <div>
      {explanation ? (
        <Tooltip title={`${terms.explanation}：${explanation}`}>
          <span tabIndex={0} className="has-explanation">
            {label}
          </span>
        </Tooltip>
      ) : (
        label
      )}
      {weight !== undefined && (
        <span className="level-cell-meta">
          {terms.weight} {weight} · {terms.score} {score}
        </span>
      )}
    </div>
  );
}

const columns: ColumnsType<ScoreRow> = [
  {
    title: terms.level1,
    key: 'level1',
    width: 130,
    onCell: (row) => ({ rowSpan: row.span1, className: 'level-cell' }),
    render: (_, row) => (
      <NodeCell
        name={row.level1.name}
        weight={row.level1.weight}
        score={row.level1.score}
        explanation={row.level1.explanation}
      />
    ),
  },
  {
    title: terms.level2,
    key: 'level2',
    width: 150,
    onCell: (row) => ({ rowSpan: row.level2 ? row.span2 : 1, className: 'level-cell' }),
    render: (_, row) =>
      row.level2 ? (
        <NodeCell
          name={row.level2.name}
          weight={row.level2 === row.leaf ? undefined : row.level2.weight}
          score={row.level2.score}
          explanation={row.level2 === row.leaf ? undefined : row.level2.explanation}
        />
      ) : (
        '—'
      ),
  },
  {
    title: terms.level3,
    key: 'level3',
    width: 200,
    render: (_, row) =>
      row.level3Name ? (
        <NodeCell name={row.level3Name} explanation={row.leaf.explanation} />
      ) : (
        <span aria-label="无三级指标">—</span>
      ),
  },
  {
    title: terms.weight,
    key: 'weight',
    width: 70,
    align: 'right',
    render: (_, row) => <Score value={row.leaf.weight} />,
  },
  {
    title: terms.score,
    key: 'score',
    width: 70,
    align: 'right',
    render: (_, row) => (
      <div>
        <Score value={row.leaf.score} className={isZero(row.leaf.lost) ? '' : 'score-lost'} />
        {row.leaf.review && (
          <span className="level-cell-meta">{zh.evaluation.nodeSelf(row.leaf.review.selfScore)}</span>
        )}
      </div>
    ),
  },
  {
    title: terms.basis,
    key: 'basis',
    render: (_, row) => (
      <div>
        <div>{row.leaf.basis ?? row.leaf.calc ?? '—'}</div>
        {row.leaf.review && <div className="review-note">{zh.evaluation.nodeReview(row.leaf.review.reason)}</div>}
        {!isZero(row.leaf.lost) && (
          <div className="lost-reason">
            {terms.lostReason}（{zh.evaluation.lost} {row.leaf.lost}）：{row.leaf.lostReason ?? '—'}
          </div>
        )}
      </div>
    ),
  },
];

function ExportButtons({ evaluation }: { evaluation: Evaluation }) {
  const navigate = useNavigate();
  const { busy, download: fetchFile } = useDownload();
  const base = `/departments/${encodeURIComponent(evaluation.departmentCode)}/years/${evaluation.fiscalYear}/evaluations/${evaluation.id}`;
  const download = (kind: 'xlsx' | 'csv') => fetchFile(kind, `${base}/export.${kind}`, `自评表.${kind}`);
  return (
    <Space wrap className="no-print">
      <Button icon={<DownloadOutlined />} loading={busy === 'xlsx'} onClick={() => download('xlsx')}>
        {zh.evaluation.exportXlsx}
      </Button>
      <Button icon={<DownloadOutlined />} loading={busy === 'csv'} onClick={() => download('csv')}>
        {zh.evaluation.exportCsv}
      </Button>
      <Button
        type="primary"
        icon={<ExperimentOutlined />}
        onClick={() =>
          navigate(
            `/app/years/${evaluation.fiscalYear}/departments/${encodeURIComponent(evaluation.departmentCode)}/what-if`,
          )
        }
      >
        {zh.whatIf.open}
      </Button>
      <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
        {zh.evaluation.print}
      </Button>
    </Space>
  );
}

/** 自评表 of one department: the indicator tree as the bureau prints it, points lost highlighted, total and 等次. */
export default function ScoreTablePage() {
  const params = useParams();
  return <ScoreTableView year={Number.parseInt(params.year ?? '', 10)} code={params.code ?? ''} />;
}

/**
 * The 自评表 of a department's year with its exports and tabs; `between` is shown under the totals (the department's
 * 评分结果 page puts the 复核 reasons there).
 */
export function ScoreTableView({
  year,
  code,
  between,
}: {
  year: number;
  code: string;
  between?: (evaluation: Evaluation, list: EvaluationSummary[]) => ReactNode;
}) {
  const department = useQuery({ ...departmentOptions(code), throwOnError: false });
  const evaluation = useQuery(latestEvaluationOptions(year, code));
  const list = useQuery({ ...evaluationListOptions(year, code), throwOnError: false });
  const session = useSession();
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') ?? 'table';
  const rows = useMemo(() => (evaluation.data ? scoreRows(evaluation.data.report.sections) : []), [evaluation.data]);

  if (department.error instanceof ApiProblem && department.error.status === 404)
    return <ProblemResult problem={department.error} />;
  if (evaluation.isPending || department.isPending) return <PageSpinner />;
  const departmentName = evaluation.data?.report.department.name ?? department.data?.name ?? code;
  const title = zh.evaluation.title(departmentName, year);
  if (!evaluation.data) {
    return (
      <Card>
        <Typography.Title level={1} className="page-title">
          {title}
        </Typography.Title>
        <Empty description={<span>{zh.evaluation.noneHint}</span>} />
      </Card>
    );
  }
  const e = evaluation.data;
  const report = e.report;
  const lostCount = rows.filter((r) => !isZero(r.leaf.lost)).length;
  const scores = selfAndReviewed(list.data ?? []);
  const reviewed = e.adjustedFrom !== null;
  const canReview = hasRole(session.data, ['evaluator', 'admin']);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Space direction="vertical" size="small" style={{ width: '100%' }}>
          <Typography.Title level={1} className="page-title">
            {title}
          </Typography.Title>
          <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
            <Descriptions.Item label={terms.indicatorSystem}>{report.ruleSet.title}</Descriptions.Item>
            <Descriptions.Item label={zh.evaluation.evaluatedAt}>
              {new Date(e.createdAt).toLocaleString('zh-CN', { hour12: false })}
            </Descriptions.Item>
            <Descriptions.Item label="填报">{zh.evaluation.revision(e.submissionRevision)}</Descriptions.Item>
          </Descriptions>
          <div className="total-bar" role="group" aria-label="总分与等次">
            <div>
              <div className="stat-label">{reviewed ? zh.evaluation.reviewedTotal : terms.total}</div>
              <div className="stat-value" data-testid="total">
                <Score value={report.total} />
                <span className="stat-max"> / {report.maxTotal}</span>
              </div>
            </div>
            {reviewed && (
              <div>
                <div className="stat-label">{zh.evaluation.selfTotal}</div>
                <div className="stat-value stat-secondary" data-testid="self-total">
                  <Score value={scores.self} />
                </div>
              </div>
            )}
            <div>
              <div className="stat-label">{terms.grade}</div>
              <div className="stat-value" data-testid="grade">
                <GradeTag grade={report.grade} code={report.gradeCode} />
              </div>
            </div>
            <div className="stat-lost">{zh.evaluation.lostSummary(lostCount)}</div>
            <div style={{ marginLeft: 'auto' }}>
              <ExportButtons evaluation={e} />
            </div>
          </div>
        </Space>
      </Card>
      {between?.(e, list.data ?? [])}
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => setSearch(key === 'table' ? {} : { tab: key }, { replace: true })}
          items={[
            {
              key: 'table',
              label: zh.evaluation.tableTab,
              children: (
                <>
                  <Typography.Paragraph type="secondary" className="no-print">
                    {zh.evaluation.legendLost}
                  </Typography.Paragraph>
                  <Table<ScoreRow>
                    aria-label={title}
                    rowKey="key"
                    size="small"
                    bordered
                    pagination={false}
                    columns={columns}
                    dataSource={rows}
                    rowClassName={(row) => (isZero(row.leaf.lost) ? '' : 'row-lost')}
                    summary={() => (
                      <Table.Summary.Row>
                        <Table.Summary.Cell index={0} colSpan={3}>
                          <strong>{terms.total}</strong>
                        </Table.Summary.Cell>
                        <Table.Summary.Cell index={3} align="right">
                          <Score value={report.maxTotal} />
                        </Table.Summary.Cell>
                        <Table.Summary.Cell index={4} align="right">
                          <strong>
                            <Score value={report.total} />
                          </strong>
                        </Table.Summary.Cell>
                        <Table.Summary.Cell index={5}>
                          {terms.grade}：{report.grade}
                        </Table.Summary.Cell>
                      </Table.Summary.Row>
                    )}
                  />
                </>
              ),
            },
            {
              key: 'review',
              label: zh.review.tab,
              children: <ReviewPanel evaluation={e} list={list.data ?? []} canReview={canReview} />,
            },
            { key: 'headroom', label: zh.headroom.tab, children: <HeadroomPanel evaluation={e} /> },
          ]}
        />
      </Card>
    </Space>
  );
}
