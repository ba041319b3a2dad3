import './admin.css';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { apiJson } from '../../api/client';
import { type ApiProblem, toProblem } from '../../api/problem';
import { PageSpinner } from '../../app/PageSpinner';
import { zhAdmin } from '../../i18n/admin.zh-CN';
import { ProblemAlert } from '../rule-editor/ProblemAlert';
import { DepartmentImport } from './DepartmentImport';
import { adminKeys } from './keys';
import { departmentListOptions } from './queries';
import type { Department } from './types';
import { chineseItemRender } from '../../shared/pagination';

const t = zhAdmin.departments;

type Dialog =
  | { kind: 'create' }
  | { kind: 'rename'; department: Department }
  | { kind: 'retire'; department: Department }
  | { kind: 'reinstate'; department: Department };

/** 部门管理: the list with 地区/状态 filters in the URL, create, 更名/撤销/恢复, and the bulk import. */
export default function DepartmentsPage() {
  const [params, setParams] = useSearchParams();
  const filters = { region: params.get('region') ?? undefined, status: params.get('status') ?? undefined };
  const all = useQuery(departmentListOptions({}));
  const list = useQuery(departmentListOptions(filters));
  const [dialog, setDialog] = useState<Dialog | null>(null);
  if (list.isPending || all.isPending) return <PageSpinner />;
  if (list.error) throw list.error;
  if (all.error) throw all.error;
  const regions = [...new Set(all.data.map((d) => d.region))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  const nameOf = new Map(all.data.map((d) => [d.code, d.name]));
  const update = (next: Record<string, string | undefined>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) merged.set(k, v);
      else merged.delete(k);
    }
    setParams(merged);
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} className="page-title">
        {t.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t.intro}</Typography.Paragraph>
      <Space wrap>
        <Select
          aria-label={t.filterRegion}
          style={{ minWidth: 160 }}
          value={filters.region ?? ''}
          onChange={(v: string) => update({ region: v })}
          options={[{ value: '', label: t.allRegions }, ...regions.map((r) => ({ value: r, label: r }))]}
        />
        <Select
          aria-label={t.filterStatus}
          style={{ minWidth: 140 }}
          value={filters.status ?? ''}
          onChange={(v: string) => update({ status: v })}
          options={[
            { value: '', label: t.allStatuses },
            { value: 'active', label: t.status.active },
            { value: 'retired', label: t.status.retired },
          ]}
        />
        <Button type="primary" onClick={() => setDialog({ kind: 'create' })}>
          {t.create}
        </Button>
      </Space>
      <Table<Department>
        aria-label={t.title}
        className="table-head-nowrap"
        rowKey="code"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data}
        pagination={{
          itemRender: chineseItemRender,
          pageSize: 20,
          showTotal: t.total,
          showSizeChanger: false,
        }}
        columns={[
          { title: t.name, dataIndex: 'name', key: 'name', minWidth: 200 },
          { title: t.code, dataIndex: 'code', key: 'code', width: 130 },
          { title: t.region, dataIndex: 'region', key: 'region', width: 120 },
          {
            title: t.parent,
            key: 'parent',
            render: (_, d) => (d.parentCode ? (nameOf.get(d.parentCode) ?? d.parentCode) : '—'),
          },
          {
            title: t.statusCol,
            key: 'status',
            width: 110,
            render: (_, d) => (
              <Tag
                className={d.status === 'active' ? 'dept-active' : undefined}
                title={d.retiredReason ? t.retiredReason(d.retiredReason) : undefined}
              >
                {d.statusLabel}
              </Tag>
            ),
          },
          {
            title: t.actions,
            key: 'actions',
            width: 150,
            render: (_, d) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setDialog({ kind: 'rename', department: d })}>
                  {t.rename}
                </Button>
                {d.status === 'active' ? (
                  <Button type="link" size="small" danger onClick={() => setDialog({ kind: 'retire', department: d })}>
                    {t.retire}
                  </Button>
                ) : (
                  <Button type="link" size="small" onClick={() => setDialog({ kind: 'reinstate', department: d })}>
                    {t.reinstate}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <DepartmentImport />
      {dialog && <DepartmentDialog dialog={dialog} regions={regions} onClose={() => setDialog(null)} />}
    </Space>
  );
}

function DepartmentDialog({ dialog, regions, onClose }: { dialog: Dialog; regions: string[]; onClose: () => void }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Record<string, string>>();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [saving, setSaving] = useState(false);
  const d = dialog.kind === 'create' ? null : dialog.department;
  const title =
    dialog.kind === 'create'
      ? t.create
      : dialog.kind === 'rename'
        ? t.renameTitle(d!.name)
        : dialog.kind === 'retire'
          ? t.retireTitle(d!.name)
          : t.reinstateTitle(d!.name);

  async function save() {
    const values = await form.validateFields();
    setSaving(true);
    setProblem(null);
    try {
      if (dialog.kind === 'create') {
        const created = await apiJson<Department>('/departments', {
          method: 'POST',
          body: { code: values.code, name: values.name, region: values.region, parentCode: values.parentCode || null },
        });
        message.success(t.created(created.name));
      } else {
        const path = `/departments/${encodeURIComponent(d!.code)}`;
        if (dialog.kind === 'rename') {
          await apiJson(path, { method: 'PATCH', body: { name: values.name } });
          message.success(t.renamed(values.name));
        } else {
          await apiJson(`${path}/${dialog.kind}`, { method: 'POST', body: { reason: values.reason } });
          message.success(dialog.kind === 'retire' ? t.retired(d!.name) : t.reinstated(d!.name));
        }
      }
      await queryClient.invalidateQueries({ queryKey: adminKeys.departments });
      onClose();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open
      title={title}
      okText={dialog.kind === 'retire' ? t.retire : dialog.kind === 'reinstate' ? t.reinstate : t.save}
      okButtonProps={{ danger: dialog.kind === 'retire', loading: saving }}
      cancelText={t.cancel}
      onOk={() => void save()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={d ? { name: d.name } : {}}>
        {dialog.kind === 'create' && (
          <>
            <Form.Item
              name="code"
              label={t.code}
              extra={t.codeHint}
              rules={[{ required: true, message: t.required(t.code) }]}
            >
              <Input />
            </Form.Item>
            <Form.Item name="name" label={t.name} rules={[{ required: true, message: t.required(t.name) }]}>
              <Input />
            </Form.Item>
            <Form.Item name="region" label={t.region} rules={[{ required: true, message: t.required(t.region) }]}>
              <Input list="department-regions" />
            </Form.Item>
            <datalist id="department-regions">
              {regions.map((r) => (
                <option key={r} value={r} />
              ))}
            </datalist>
            <Form.Item name="parentCode" label={t.parent}>
              <Input placeholder={t.code} />
            </Form.Item>
          </>
        )}
        {dialog.kind === 'rename' && (
          <Form.Item name="name" label={t.name} rules={[{ required: true, message: t.required(t.name) }]}>
            <Input />
          </Form.Item>
        )}
        {(dialog.kind === 'retire' || dialog.kind === 'reinstate') && (
          <>
            {dialog.kind === 'retire' && <Typography.Paragraph>{t.retireHint}</Typography.Paragraph>}
            <Form.Item name="reason" label={t.reason} rules={[{ required: true, message: t.reasonRequired }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
          </>
        )}
      </Form>
      {problem && <ProblemAlert problem={problem} />}
    </Modal>
  );
}
