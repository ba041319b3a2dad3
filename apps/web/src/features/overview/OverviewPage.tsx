import { useQueries, useQuery } from '@tanstack/react-query';
import { Card, Input, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { apiJson } from '../../api/client';
import type { Department, Evaluation } from '../../api/types';
import { terms } from '../../i18n/terms';
import { zh } from '../../i18n/zh-CN';
import { GradeTag, Score } from '../../shared/Score';
import { PageSpinner } from '../../app/PageSpinner';
import { departmentKeys } from '../evaluation/keys';
import { latestEvaluationOptions } from '../evaluation/queries';

interface OverviewRow {
  code: string;
  name: string;
  evaluation: Evaluation | null | undefined;
}

/**
 * 年度总览 (interim): every department of the year with its latest evaluation, from GET /departments and each
 * department's latest evaluation. It moves to GET /years/{year}/overview when that endpoint is on main.
 */
export default function OverviewPage() {
  const year = Number.parseInt(useParams().year ?? '', 10);
  const [search, setSearch] = useSearchParams();
  const q = search.get('q') ?? '';
  const departments = useQuery({
    queryKey: departmentKeys.all,
    queryFn: ({ signal }) => apiJson<Department[] | { items: Department[] }>('/departments', { signal }),
    select: (data) => (Array.isArray(data) ? data : data.items),
  });
  const evaluations = useQueries({
    queries: (departments.data ?? []).map((d) => ({ ...latestEvaluationOptions(year, d.code), throwOnError: false })),
  });
  const rows: OverviewRow[] = useMemo(
    () => (departments.data ?? []).map((d, i) => ({ code: d.code, name: d.name, evaluation: evaluations[i]?.data })),
    [departments.data, evaluations],
  );
  const filtered = rows.filter((r) => !q || r.name.includes(q) || r.code.includes(q));
  if (departments.isPending) return <PageSpinner />;

  const columns: ColumnsType<OverviewRow> = [
    {
      title: zh.overview.department,
      key: 'name',
      render: (_, r) => <Link to={`/app/years/${year}/departments/${encodeURIComponent(r.code)}`}>{r.name}</Link>,
    },
    { title: zh.overview.code, dataIndex: 'code', key: 'code', width: 140 },
    {
      title: zh.overview.status,
      key: 'status',
      width: 100,
      render: (_, r) =>
        r.evaluation === undefined
          ? '…'
          : r.evaluation === null
            ? zh.overview.notScored
            : r.evaluation.adjustedFrom
              ? zh.overview.reviewed
              : zh.overview.scored,
    },
    {
      title: terms.selfScore,
      key: 'self',
      width: 100,
      align: 'right',
      render: (_, r) => <Score value={r.evaluation ? (r.evaluation.adjustedFrom ?? r.evaluation.total) : null} />,
    },
    {
      title: terms.reviewedScore,
      key: 'reviewed',
      width: 100,
      align: 'right',
      render: (_, r) => <Score value={r.evaluation?.adjustedFrom ? r.evaluation.total : null} />,
    },
    { title: terms.grade, key: 'grade', width: 80, render: (_, r) => <GradeTag grade={r.evaluation?.grade} /> },
  ];

  return (
    <Card>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Title level={1} className="page-title">
          {zh.overview.title(year)}
        </Typography.Title>
        <Input.Search
          aria-label={zh.overview.search}
          placeholder={zh.overview.search}
          defaultValue={q}
          allowClear
          onSearch={(value) => setSearch(value ? { q: value } : {})}
          style={{ maxWidth: 360 }}
        />
        <Table<OverviewRow>
          aria-label={zh.overview.title(year)}
          rowKey="code"
          size="middle"
          columns={columns}
          dataSource={filtered}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
        />
      </Space>
    </Card>
  );
}
