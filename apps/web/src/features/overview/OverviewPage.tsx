import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import { lazy, Suspense } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { PageSpinner } from '../../app/PageSpinner';
import { terms } from '../../i18n/terms';
import { zh } from '../../i18n/zh-CN';
import { GradeTag, Score } from '../../shared/Score';
import { useDownload } from '../../shared/useDownload';
import { type OverviewItem, type OverviewQuery, overviewOptions } from './queries';
import { chineseItemRender } from '../../shared/pagination';

const GradeChart = lazy(() => import('./GradeChart').then((m) => ({ default: m.GradeChart })));

const STATUS_OPTIONS = [
  ['not-started', '未开始'],
  ['in-progress', '填报中'],
  ['submitted', '已提交'],
  ['returned', '已退回'],
  ['scored', '已评分'],
  ['reviewed', '已复核'],
  ['finalised', '定稿'],
] as const;
const PAGE_SIZE = 20;

/** 年度总览: every department of the year (GET /years/{year}/overview), filters and sort in the URL, 等次分布, 汇总表. */
export default function OverviewPage() {
  const year = Number.parseInt(useParams().year ?? '', 10);
  const [search, setSearch] = useSearchParams();
  const { busy, download } = useDownload();
  const page = Math.max(1, Number.parseInt(search.get('page') ?? '1', 10) || 1);
  const filters = {
    status: search.get('status') ?? undefined,
    grade: search.get('grade') ?? undefined,
    sort: search.get('sort') ?? undefined,
  };
  const q: OverviewQuery = { ...filters, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE };
  const overview = useQuery(overviewOptions(year, q));

  function update(changes: Record<string, string | undefined>) {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in changes)) next.delete('page');
    setSearch(next, { replace: true });
  }
  const exportSummary = (kind: 'xlsx' | 'csv') =>
    download(kind, `/years/${year}/overview.${kind}`, `${year}年度汇总表.${kind}`, filters);

  if (overview.isPending) return <PageSpinner />;
  const data = overview.data!;
  const s = data.summary;
  const sortKey = filters.sort?.replace(/^-/, '');
  const order = (key: string) => (sortKey === key ? (filters.sort!.startsWith('-') ? 'descend' : 'ascend') : null);
  const columns: ColumnsType<OverviewItem> = [
    {
      title: zh.overview.rank,
      key: 'rank',
      width: 64,
      align: 'right',
      sorter: true,
      sortOrder: order('rank'),
      render: (_, r) => r.rank ?? '—',
    },
    {
      title: zh.overview.department,
      key: 'name',
      // a department name reads on one line (广州市科学技术局), not one character per line
      minWidth: 180,
      sorter: true,
      sortOrder: order('name'),
      render: (_, r) => (
        <Link to={`/app/years/${year}/departments/${encodeURIComponent(r.departmentCode)}`}>{r.departmentName}</Link>
      ),
    },
    {
      title: zh.overview.code,
      dataIndex: 'departmentCode',
      key: 'code',
      width: 100,
      sorter: true,
      sortOrder: order('code'),
    },
    {
      title: zh.overview.region,
      dataIndex: 'region',
      key: 'region',
      width: 80,
      sorter: true,
      sortOrder: order('region'),
    },
    {
      title: zh.overview.status,
      key: 'status',
      width: 88,
      sorter: true,
      sortOrder: order('status'),
      render: (_, r) => (
        <span>
          {r.statusLabel}
          {r.late && <span className="late-tag">（{zh.overview.late}）</span>}
        </span>
      ),
    },
    {
      title: terms.selfScore,
      key: 'self',
      width: 80,
      align: 'right',
      render: (_, r) => <Score value={r.selfScore} />,
    },
    {
      title: terms.reviewedScore,
      key: 'review',
      width: 80,
      align: 'right',
      render: (_, r) => <Score value={r.reviewScore} />,
    },
    {
      title: terms.total,
      key: 'total',
      width: 80,
      align: 'right',
      sorter: true,
      sortOrder: order('total'),
      render: (_, r) => <Score value={r.total} />,
    },
    { title: terms.grade, key: 'grade', width: 56, render: (_, r) => <GradeTag grade={r.grade} /> },
  ];
  const chartTitle = zh.overview.distribution;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <div className="page-head">
          <Typography.Title level={1} className="page-title">
            {zh.overview.title(year)}
          </Typography.Title>
          <Space wrap>
            <Button icon={<DownloadOutlined />} loading={busy === 'xlsx'} onClick={() => exportSummary('xlsx')}>
              {zh.overview.exportXlsx}
            </Button>
            <Button icon={<DownloadOutlined />} loading={busy === 'csv'} onClick={() => exportSummary('csv')}>
              {zh.overview.exportCsv}
            </Button>
          </Space>
        </div>
        <Row gutter={[16, 16]} style={{ marginTop: 12 }}>
          <Col xs={12} md={5}>
            <Statistic title={zh.overview.departments} value={s.departments} />
          </Col>
          <Col xs={12} md={5}>
            <Statistic title={zh.overview.scoredCount} value={s.scored} />
          </Col>
          <Col xs={12} md={6}>
            <div className="stat-label">{zh.overview.mean}</div>
            <div className="stat-value stat-small">
              <Score value={s.mean} />
            </div>
          </Col>
          <Col xs={12} md={8}>
            <div className="stat-label">{zh.overview.range}</div>
            {/* 94.622 – 94.622 on one line at 1024×768 */}
            <div className="stat-value stat-small nowrap">
              <Score value={s.lowest} /> – <Score value={s.highest} />
            </div>
          </Col>
        </Row>
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Card>
            <Space wrap style={{ marginBottom: 12 }}>
              <Select
                aria-label={zh.overview.filterStatus}
                placeholder={zh.overview.filterStatus}
                allowClear
                mode="multiple"
                style={{ minWidth: 200 }}
                value={filters.status ? filters.status.split(',') : []}
                options={STATUS_OPTIONS.map(([value, label]) => ({ value, label }))}
                onChange={(v: string[]) => update({ status: v.join(',') })}
              />
              <Select
                aria-label={zh.overview.filterGrade}
                placeholder={zh.overview.filterGrade}
                allowClear
                mode="multiple"
                style={{ minWidth: 160 }}
                value={filters.grade ? filters.grade.split(',') : []}
                options={['优', '良', '中', '差'].map((g) => ({ value: g, label: g }))}
                onChange={(v: string[]) => update({ grade: v.join(',') })}
              />
            </Space>
            <Table<OverviewItem>
              aria-label={zh.overview.title(year)}
              className="table-head-nowrap"
              rowKey="departmentCode"
              size="middle"
              loading={overview.isFetching}
              columns={columns}
              dataSource={data.items}
              onChange={(_p, _f, sorter) => {
                const one = sorter as SorterResult<OverviewItem>;
                const key = one.order ? String(one.columnKey) : undefined;
                update({ sort: key ? `${one.order === 'descend' ? '-' : ''}${key}` : undefined });
              }}
              pagination={{
                itemRender: chineseItemRender,
                current: page,
                pageSize: PAGE_SIZE,
                total: data.total,
                showSizeChanger: false,
                hideOnSinglePage: true,
                onChange: (p) => update({ page: String(p) }),
              }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={<h2 className="card-title">{chartTitle}</h2>}>
            <Suspense fallback={<PageSpinner />}>
              <GradeChart byGrade={s.byGrade} title={chartTitle} />
            </Suspense>
            <table className="plain-table" aria-label={chartTitle}>
              <thead>
                <tr>
                  <th scope="col">{terms.grade}</th>
                  <th scope="col">{zh.overview.count}</th>
                </tr>
              </thead>
              <tbody>
                {s.byGrade.map((g) => (
                  <tr key={g.grade}>
                    <td>{g.grade}</td>
                    <td>{g.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
