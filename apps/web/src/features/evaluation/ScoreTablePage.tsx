import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Empty, Space, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { apiDownload } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import type { Evaluation } from '../../api/types';
import { problemText } from '../../i18n/problems';
import { terms } from '../../i18n/terms';
import { zh } from '../../i18n/zh-CN';
import { GradeTag, isZero, Score } from '../../shared/Score';
import { PageSpinner } from '../../app/PageSpinner';
import { ProblemResult } from '../../app/errors/ProblemResult';
import { departmentOptions, latestEvaluationOptions } from './queries';
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
    render: (_, row) => <Score value={row.leaf.score} className={isZero(row.leaf.lost) ? '' : 'score-lost'} />,
  },
  {
    title: terms.basis,
    key: 'basis',
    render: (_, row) => (
      <div>
        <div>{row.leaf.basis ?? row.leaf.calc ?? '—'}</div>
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
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const base = `/departments/${encodeURIComponent(evaluation.departmentCode)}/years/${evaluation.fiscalYear}/evaluations/${evaluation.id}`;
  async function download(kind: 'xlsx' | 'csv') {
    setBusy(kind);
    try {
      const name = await apiDownload(`${base}/export.${kind}`, `自评表.${kind}`);
      message.success(zh.evaluation.exported(name));
    } catch (error) {
      const p = error instanceof ApiProblem ? error : new ApiProblem(0, 'NETWORK', String(error));
      message.error(problemText(p.code, p.status).title);
    } finally {
      setBusy(null);
    }
  }
  return (
    <Space wrap className="no-print">
      <Button icon={<DownloadOutlined />} loading={busy === 'xlsx'} onClick={() => download('xlsx')}>
        {zh.evaluation.exportXlsx}
      </Button>
      <Button icon={<DownloadOutlined />} loading={busy === 'csv'} onClick={() => download('csv')}>
        {zh.evaluation.exportCsv}
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
  const year = Number.parseInt(params.year ?? '', 10);
  const code = params.code ?? '';
  const department = useQuery({ ...departmentOptions(code), throwOnError: false });
  const evaluation = useQuery(latestEvaluationOptions(year, code));
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
              <div className="stat-label">{terms.total}</div>
              <div className="stat-value" data-testid="total">
                <Score value={report.total} />
                <span className="stat-max"> / {report.maxTotal}</span>
              </div>
            </div>
            <div>
              <div className="stat-label">{terms.grade}</div>
              <div className="stat-value" data-testid="grade">
                <GradeTag grade={report.grade} code={report.gradeCode} />
              </div>
            </div>
            {e.adjustedFrom && <div className="adjusted-note">{zh.evaluation.adjusted(e.adjustedFrom)}</div>}
            <div className="stat-lost">{zh.evaluation.lostSummary(lostCount)}</div>
            <div style={{ marginLeft: 'auto' }}>
              <ExportButtons evaluation={e} />
            </div>
          </div>
        </Space>
      </Card>
      <Card>
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
      </Card>
    </Space>
  );
}
