import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DatePicker, Select, Space, Table, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router-dom';
import { apiJson } from '../../api/client';
import { PageSpinner } from '../../app/PageSpinner';
import { zhAudit as t } from '../../i18n/admin.zh-CN';
import { ruleSetListOptions } from '../what-if/queries';
import { auditObjectLabel, type AuditNames } from './auditObject';
import { departmentListOptions, userListOptions } from './queries';
import { chineseItemRender } from '../../shared/pagination';

interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  departmentCode: string | null;
  fiscalYear: number | null;
  reason: string | null;
  details?: Record<string, unknown>;
}

/** The newest 500 entries matching the filters (the API's most per request), paged here 20 at a time. */
const LIMIT = 500;

/** 审计日志: filters (时间范围, 操作, 操作人, 部门) in the URL, newest first, with the person's name. */
export default function AuditPage() {
  const [params, setParams] = useSearchParams();
  const q = {
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    action: params.get('action') ?? undefined,
    userId: params.get('userId') ?? undefined,
    departmentCode: params.get('departmentCode') ?? undefined,
  };
  const page = Number(params.get('page') ?? '1') || 1;
  const users = useQuery(userListOptions());
  const departments = useQuery(departmentListOptions({}));
  // 对象 names a rule-set version by its title; without the list it still reads 2021年度指标体系（第1版）
  const ruleSets = useQuery(ruleSetListOptions());
  const entries = useQuery({
    queryKey: ['audit', q] as const,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => apiJson<AuditEntry[]>('/audit', { query: { ...q, limit: LIMIT }, signal }),
  });
  if (entries.isPending || users.isPending || departments.isPending) return <PageSpinner />;
  if (entries.error) throw entries.error;
  if (users.error) throw users.error;
  if (departments.error) throw departments.error;
  const deptName = new Map(departments.data.map((d) => [d.code, d.name]));
  const userName = new Map(users.data.map((u) => [u.id, u.name]));
  const ruleSetByRef = new Map((ruleSets.data ?? []).map((r) => [r.ref, r]));
  const names: AuditNames = {
    department: (code) => deptName.get(code),
    user: (id) => userName.get(id),
    ruleSet: (ref) => ruleSetByRef.get(ref),
  };
  const update = (next: Record<string, string | undefined>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) merged.set(k, v);
      else merged.delete(k);
    }
    if (!('page' in next)) merged.delete('page');
    setParams(merged);
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} className="page-title">
        {t.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t.intro}</Typography.Paragraph>
      <Space wrap>
        {/* two date fields, not a RangePicker: Tab in its empty 开始日期 kept the focus there (a keyboard trap) */}
        <DatePicker
          aria-label={t.from}
          placeholder={t.from}
          value={q.from ? dayjs(q.from) : null}
          disabledDate={(d) => !!q.to && d.isAfter(dayjs(q.to), 'day')}
          onChange={(d: Dayjs | null) => update({ from: d?.startOf('day').toISOString() })}
        />
        <DatePicker
          aria-label={t.to}
          placeholder={t.to}
          value={q.to ? dayjs(q.to) : null}
          disabledDate={(d) => !!q.from && d.isBefore(dayjs(q.from), 'day')}
          onChange={(d: Dayjs | null) => update({ to: d?.endOf('day').toISOString() })}
        />
        <Select
          aria-label={t.action}
          style={{ minWidth: 160 }}
          value={q.action ?? ''}
          onChange={(v: string) => update({ action: v })}
          options={[
            { value: '', label: t.allActions },
            ...Object.entries(t.actions).map(([value, label]) => ({ value, label })),
          ]}
        />
        <Select
          aria-label={t.actor}
          style={{ minWidth: 140 }}
          value={q.userId ?? ''}
          onChange={(v: string) => update({ userId: v })}
          options={[{ value: '', label: t.allActors }, ...users.data.map((u) => ({ value: u.id, label: u.name }))]}
        />
        <Select
          aria-label={t.department}
          style={{ minWidth: 200 }}
          showSearch
          optionFilterProp="label"
          value={q.departmentCode ?? ''}
          onChange={(v: string) => update({ departmentCode: v })}
          options={[
            { value: '', label: t.allDepartments },
            ...departments.data.map((d) => ({ value: d.code, label: d.name })),
          ]}
        />
      </Space>
      <Table<AuditEntry>
        aria-label={t.title}
        className="table-head-nowrap"
        rowKey="id"
        size="middle"
        loading={entries.isFetching}
        dataSource={entries.data}
        pagination={{
          itemRender: chineseItemRender,
          current: page,
          pageSize: 20,
          showSizeChanger: false,
          showTotal: t.total,
          onChange: (p) => update({ page: p > 1 ? String(p) : undefined }),
        }}
        columns={[
          {
            title: t.at,
            key: 'at',
            width: 150,
            className: 'nowrap',
            render: (_, e) => new Date(e.at).toLocaleString('zh-CN', { hour12: false }),
          },
          { title: t.actor, dataIndex: 'actor', key: 'actor', width: 90 },
          { title: t.action, key: 'action', width: 120, render: (_, e) => t.actions[e.action] ?? e.action },
          {
            title: t.object,
            key: 'object',
            minWidth: 160,
            render: (_, e) => {
              const label = auditObjectLabel(e, names);
              return label === e.entityId ? (
                label
              ) : (
                <Tooltip title={t.objects.idTitle(e.entityId)}>
                  <span className="audit-object" data-entity-id={e.entityId}>
                    {label}
                  </span>
                </Tooltip>
              );
            },
          },
          {
            title: t.department,
            key: 'department',
            minWidth: 130,
            render: (_, e) => (e.departmentCode ? (deptName.get(e.departmentCode) ?? e.departmentCode) : '—'),
          },
          // a reason is read as a sentence, not two characters a line
          { title: t.reason, key: 'reason', minWidth: 160, render: (_, e) => e.reason ?? '—' },
        ]}
      />
    </Space>
  );
}
