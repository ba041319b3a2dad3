import { Card, Space, Statistic, Table, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import type { Evaluation, EvaluationSummary, NodeReport, NodeReview } from '../../api/types';
import { resultsZh } from '../../i18n/zh-CN.results';
import { useSession } from '../../session/useSession';
import { GradeTag, Score } from '../../shared/Score';
import { PageSpinner } from '../../app/PageSpinner';
import { formatTime } from '../department/format';
import { ScoreTableView } from '../evaluation/ScoreTablePage';
import { selfAndReviewed } from '../evaluation/queries';

const t = resultsZh;

interface ReviewedRow {
  code: string;
  path: string;
  review: NodeReview;
  by?: string;
  at?: string;
}

/** The report's nodes the evaluator changed (复核), each with its path, as the report sends them. */
function reviewedNodes(nodes: NodeReport[], path: string[] = []): { code: string; path: string; review: NodeReview }[] {
  return nodes.flatMap((n) => [
    ...(n.review ? [{ code: n.code, path: [...path, n.name].join(' › '), review: n.review }] : []),
    ...reviewedNodes(n.children ?? [], [...path, n.name]),
  ]);
}

/** Who made the 复核 with this reason, and when: the newest evaluation whose adjustments carry it. */
function madeBy(list: EvaluationSummary[], reason: string): EvaluationSummary | undefined {
  return [...list]
    .sort((a, b) => b.sequence - a.sequence)
    .find((e) => (e.adjustments ?? []).some((a) => a.reason === reason));
}

/** 复核情况, read-only: 自评分 and 复核分 side by side, and every indicator the evaluator changed with the reason. */
function ReviewSummary({ evaluation, list }: { evaluation: Evaluation; list: EvaluationSummary[] }) {
  const scores = selfAndReviewed(list);
  const rows: ReviewedRow[] = reviewedNodes(evaluation.report.sections).map((r) => {
    const by = madeBy(list, r.review.reason);
    return { ...r, by: by?.createdBy, at: by?.createdAt };
  });
  return (
    <Card title={<h2 className="card-title">{t.reviewTitle}</h2>} data-testid="review-summary">
      <Space size={48} wrap>
        <Statistic
          title={t.selfScore}
          value={scores.self ?? evaluation.total}
          formatter={(v) => (
            <span data-testid="review-self">
              <Score value={String(v)} />
            </span>
          )}
        />
        <Statistic
          title={t.reviewScore}
          value={scores.reviewed ?? '—'}
          formatter={(v) => (
            <span data-testid="review-reviewed">{scores.reviewed ? <Score value={String(v)} /> : '—'}</span>
          )}
        />
        <Statistic
          title={t.grade}
          value={evaluation.grade}
          formatter={() => <GradeTag grade={evaluation.report.grade} code={evaluation.report.gradeCode} />}
        />
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        {rows.length === 0 ? t.notReviewed : t.readOnly}
      </Typography.Paragraph>
      {rows.length > 0 && (
        <Table<ReviewedRow>
          size="small"
          bordered
          rowKey="code"
          pagination={false}
          aria-label={t.reviewTitle}
          dataSource={rows}
          columns={[
            { title: t.columns.indicator, dataIndex: 'path' },
            {
              title: t.columns.self,
              key: 'self',
              align: 'right',
              width: 90,
              render: (_, r) => <Score value={r.review.selfScore} />,
            },
            {
              title: t.columns.reviewed,
              key: 'reviewed',
              align: 'right',
              width: 90,
              render: (_, r) => <Score value={r.review.reviewedScore} />,
            },
            { title: t.columns.reason, key: 'reason', render: (_, r) => r.review.reason },
            {
              title: t.columns.by,
              key: 'by',
              width: 180,
              render: (_, r) =>
                r.by ? (
                  <>
                    <div>{r.by}</div>
                    <Typography.Text type="secondary">{formatTime(r.at)}</Typography.Text>
                  </>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      )}
    </Card>
  );
}

/** 评分结果: the department's own official 自评表 with its exports, and the 复核 reasons read-only. */
export default function ResultsPage() {
  const { year: yearParam } = useParams();
  const year = Number.parseInt(yearParam ?? '', 10);
  const session = useSession();
  const code = session.data?.departmentCode;
  if (!code) return <PageSpinner />;
  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }}>
      <Link to={`/app/years/${year}/my/home`} className="no-print">
        {t.toYear}
      </Link>
      <ScoreTableView
        year={year}
        code={code}
        between={(evaluation, list) => <ReviewSummary evaluation={evaluation} list={list} />}
      />
    </Space>
  );
}
