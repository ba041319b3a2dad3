import './admin.css';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { apiJson } from '../../api/client';
import { type ApiProblem, toProblem } from '../../api/problem';
import { PageSpinner } from '../../app/PageSpinner';
import { zhPeople as t } from '../../i18n/admin.zh-CN';
import { ProblemAlert } from '../rule-editor/ProblemAlert';
import { adminKeys } from './keys';
import { apiKeyListOptions, departmentListOptions, userListOptions } from './queries';
import type { ApiKey, User } from './types';
import { chineseItemRender } from '../../shared/pagination';

const when = (iso: string | null, empty: string) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : empty;

/** 人员与密钥: people (create) and their named keys (create → shown once with a copy button; revoke; last use). */
export default function PeoplePage() {
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const users = useQuery(userListOptions());
  const keys = useQuery(apiKeyListOptions());
  const departments = useQuery(departmentListOptions({}));
  const [dialog, setDialog] = useState<'user' | 'key' | null>(null);
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  if (users.isPending || keys.isPending || departments.isPending) return <PageSpinner />;
  if (users.error) throw users.error;
  if (keys.error) throw keys.error;
  if (departments.error) throw departments.error;
  const deptName = new Map(departments.data.map((d) => [d.code, d.name]));

  function revoke(k: ApiKey) {
    modal.confirm({
      title: t.revokeTitle(k.name, k.userName),
      content: t.revokeHint,
      okText: t.revoke,
      okButtonProps: { danger: true },
      cancelText: t.cancel,
      onOk: async () => {
        await apiJson(`/api-keys/${encodeURIComponent(k.id)}`, { method: 'DELETE' });
        message.success(t.revoked(k.name));
        await queryClient.invalidateQueries({ queryKey: adminKeys.apiKeys });
        await queryClient.invalidateQueries({ queryKey: adminKeys.users });
      },
    });
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} className="page-title">
        {t.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t.intro}</Typography.Paragraph>
      <Space>
        <Button type="primary" onClick={() => setDialog('user')}>
          {t.createUser}
        </Button>
        <Button onClick={() => setDialog('key')}>{t.createKey}</Button>
      </Space>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t.users}
      </Typography.Title>
      <Table<User>
        aria-label={t.users}
        className="table-head-nowrap"
        rowKey="id"
        size="middle"
        dataSource={users.data}
        pagination={{
          itemRender: chineseItemRender,
          pageSize: 10,
          showSizeChanger: false,
        }}
        columns={[
          { title: t.name, dataIndex: 'name', key: 'name', minWidth: 100 },
          { title: t.role, dataIndex: 'roleLabel', key: 'role', width: 100, className: 'nowrap' },
          {
            title: t.department,
            key: 'department',
            minWidth: 160,
            render: (_, u) => (u.departmentCode ? (deptName.get(u.departmentCode) ?? u.departmentCode) : '—'),
          },
          { title: t.contact, key: 'contact', minWidth: 150, render: (_, u) => u.contact ?? '—' },
          { title: t.status, dataIndex: 'statusLabel', key: 'status', width: 64, className: 'nowrap' },
          { title: t.activeKeys, dataIndex: 'activeKeys', key: 'activeKeys', width: 80, align: 'right' },
          {
            title: t.lastSeen,
            key: 'lastSeen',
            width: 160,
            className: 'nowrap',
            render: (_, u) => when(u.lastSeenAt, t.never),
          },
        ]}
      />
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t.keys}
      </Typography.Title>
      <Table<ApiKey>
        aria-label={t.keys}
        className="table-head-nowrap"
        rowKey="id"
        size="middle"
        dataSource={keys.data}
        pagination={{
          itemRender: chineseItemRender,
          pageSize: 10,
          showSizeChanger: false,
        }}
        columns={[
          { title: t.keyName, dataIndex: 'name', key: 'name', minWidth: 140 },
          { title: t.keyUser, dataIndex: 'userName', key: 'user', width: 110 },
          { title: t.keyPrefix, key: 'prefix', width: 120, render: (_, k) => <code>{k.keyPrefix}…</code> },
          { title: t.expiresAt, key: 'expires', width: 180, render: (_, k) => when(k.expiresAt, t.noExpiry) },
          { title: t.lastSeen, key: 'lastUsed', width: 180, render: (_, k) => when(k.lastUsedAt, t.never) },
          { title: t.keyStatus, dataIndex: 'statusLabel', key: 'status', width: 100 },
          {
            title: t.actions,
            key: 'actions',
            width: 90,
            render: (_, k) =>
              k.status === 'active' ? (
                <Button type="link" size="small" danger onClick={() => revoke(k)}>
                  {t.revoke}
                </Button>
              ) : null,
          },
        ]}
      />
      {dialog === 'user' && (
        <UserDialog
          departments={departments.data.filter((d) => d.status === 'active')}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'key' && (
        <KeyDialog
          users={users.data.filter((u) => u.status === 'active')}
          onClose={() => setDialog(null)}
          onCreated={(name, key) => {
            setDialog(null);
            setShown({ name, key });
          }}
        />
      )}
      {shown && (
        <Modal
          open
          title={t.shownOnceTitle(shown.name)}
          closable={false}
          maskClosable={false}
          footer={
            <Button type="primary" onClick={() => setShown(null)}>
              {t.done}
            </Button>
          }
        >
          <Alert type="warning" showIcon message={t.shownOnce} style={{ marginBottom: 12 }} />
          <Typography.Paragraph
            code
            copyable={{ text: shown.key, tooltips: [t.copy, t.copied] }}
            data-testid="new-key"
            style={{ fontSize: 15, wordBreak: 'break-all' }}
          >
            {shown.key}
          </Typography.Paragraph>
        </Modal>
      )}
    </Space>
  );
}

function useSave(onDone: () => void) {
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [saving, setSaving] = useState(false);
  async function run(action: () => Promise<void>) {
    setSaving(true);
    setProblem(null);
    try {
      await action();
      onDone();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setSaving(false);
    }
  }
  return { problem, saving, run };
}

function UserDialog({ departments, onClose }: { departments: { code: string; name: string }[]; onClose: () => void }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ name: string; contact?: string; role: string; departmentCode?: string }>();
  const role = Form.useWatch('role', form);
  const { problem, saving, run } = useSave(onClose);
  const save = async () => {
    const v = await form.validateFields();
    await run(async () => {
      const user = await apiJson<User>('/users', {
        method: 'POST',
        body: {
          name: v.name,
          contact: v.contact || undefined,
          role: v.role,
          departmentCode: v.role === 'department' ? v.departmentCode : undefined,
        },
      });
      message.success(t.userCreated(user.name));
      await queryClient.invalidateQueries({ queryKey: adminKeys.users });
    });
  };
  return (
    <Modal
      open
      title={t.createUser}
      okText={t.save}
      cancelText={t.cancel}
      okButtonProps={{ loading: saving }}
      onOk={() => void save()}
      onCancel={onClose}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t.name} rules={[{ required: true, message: t.required(t.name) }]}>
          <Input />
        </Form.Item>
        <Form.Item name="contact" label={t.contact}>
          <Input />
        </Form.Item>
        <Form.Item name="role" label={t.role} rules={[{ required: true, message: t.required(t.role) }]}>
          <Select aria-label={t.role} options={Object.entries(t.roles).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        {role === 'department' && (
          <Form.Item
            name="departmentCode"
            label={t.department}
            rules={[{ required: true, message: t.required(t.department) }]}
          >
            <Select
              aria-label={t.department}
              showSearch
              optionFilterProp="label"
              options={departments.map((d) => ({ value: d.code, label: d.name }))}
            />
          </Form.Item>
        )}
      </Form>
      {problem && <ProblemAlert problem={problem} />}
    </Modal>
  );
}

function KeyDialog({
  users,
  onClose,
  onCreated,
}: {
  users: User[];
  onClose: () => void;
  onCreated: (name: string, key: string) => void;
}) {
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ userId: string; name: string; expiresAt?: Dayjs }>();
  const { problem, saving, run } = useSave(() => undefined);
  const save = async () => {
    const v = await form.validateFields();
    await run(async () => {
      const result = await apiJson<{ name: string; key: string }>(`/users/${encodeURIComponent(v.userId)}/api-keys`, {
        method: 'POST',
        body: { name: v.name, expiresAt: v.expiresAt ? v.expiresAt.endOf('day').toISOString() : null },
      });
      await queryClient.invalidateQueries({ queryKey: adminKeys.apiKeys });
      await queryClient.invalidateQueries({ queryKey: adminKeys.users });
      onCreated(result.name, result.key);
    });
  };
  return (
    <Modal
      open
      title={t.createKey}
      okText={t.save}
      cancelText={t.cancel}
      okButtonProps={{ loading: saving }}
      onOk={() => void save()}
      onCancel={onClose}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="userId" label={t.keyUser} rules={[{ required: true, message: t.required(t.keyUser) }]}>
          <Select
            aria-label={t.keyUser}
            showSearch
            optionFilterProp="label"
            options={users.map((u) => ({ value: u.id, label: `${u.name}（${u.roleLabel}）` }))}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t.keyName}
          extra={t.keyNameHint}
          rules={[{ required: true, message: t.required(t.keyName) }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="expiresAt" label={t.expiresAt} extra={t.expiryHint}>
          <DatePicker aria-label={t.expiresAt} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
      {problem && <ProblemAlert problem={problem} />}
    </Modal>
  );
}
