import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Space, Table, Typography } from 'antd';
import { useRef, useState } from 'react';
import { apiJson } from '../../api/client';
import { ApiProblem, toProblem } from '../../api/problem';
import { zhAdmin } from '../../i18n/admin.zh-CN';
import { useDownload } from '../../shared/useDownload';
import { plainText } from '../../shared/plainText';
import { adminKeys } from './keys';
import type { DepartmentImportResult } from './types';

const t = zhAdmin.import;

async function upload(file: File, dryRun: boolean): Promise<DepartmentImportResult> {
  const form = new FormData();
  form.append('file', file, file.name);
  return apiJson<DepartmentImportResult>('/departments/import', {
    method: 'POST',
    query: dryRun ? { dryRun: true } : undefined,
    rawBody: form,
  });
}

/** 批量导入: a file is checked first (dryRun, nothing stored); only a clean file can then be imported. */
export function DepartmentImport() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const { busy, download } = useDownload();
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<DepartmentImportResult | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [working, setWorking] = useState(false);

  async function check(chosen: File) {
    setFile(chosen);
    setChecked(null);
    setProblem(null);
    setWorking(true);
    try {
      setChecked(await upload(chosen, true));
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setWorking(false);
    }
  }

  async function commit() {
    if (!file) return;
    setWorking(true);
    try {
      const result = await upload(file, false);
      message.success(t.imported(result.created, result.updated));
      setChecked(null);
      setFile(null);
      await queryClient.invalidateQueries({ queryKey: adminKeys.departments });
    } catch (error) {
      setChecked(null);
      setProblem(toProblem(error));
    } finally {
      setWorking(false);
    }
  }

  return (
    <Card title={t.title} size="small">
      <Typography.Paragraph type="secondary">{t.intro}</Typography.Paragraph>
      <Space wrap>
        <Button
          loading={busy === 'template'}
          onClick={() => void download('template', '/departments/import-template.xlsx', '部门名单导入模板.xlsx')}
        >
          {t.template}
        </Button>
        <input
          ref={input}
          type="file"
          accept=".xlsx,.csv"
          aria-label={t.fileLabel}
          style={{ display: 'none' }}
          onChange={(e) => {
            const chosen = e.target.files?.[0];
            e.target.value = '';
            if (chosen) void check(chosen);
          }}
        />
        <Button type="primary" loading={working && !checked} onClick={() => input.current?.click()}>
          {t.choose}
        </Button>
      </Space>
      {problem && file && (
        <div style={{ marginTop: 16 }}>
          <Alert type="error" showIcon message={t.failed(file.name)} description={plainText(problem.message)} />
          {problem.details.length > 0 && (
            <Table
              style={{ marginTop: 12 }}
              aria-label={t.failed(file.name)}
              size="small"
              rowKey={(d) => `${d.pointer}#${d.message}`}
              pagination={problem.details.length > 20 ? { pageSize: 20 } : false}
              dataSource={problem.details}
              columns={[
                { title: t.place, key: 'place', width: 160, render: (_, d) => d.path ?? d.pointer },
                { title: t.problem, dataIndex: 'message', key: 'message' },
              ]}
            />
          )}
        </div>
      )}
      {checked && file && (
        <div style={{ marginTop: 16 }}>
          <Alert
            type="success"
            showIcon
            message={t.checked(file.name)}
            description={t.summary(checked.created, checked.updated, checked.unchanged, checked.skipped)}
            action={
              <Button type="primary" loading={working} onClick={() => void commit()}>
                {t.confirm}
              </Button>
            }
          />
          <Table
            style={{ marginTop: 12 }}
            aria-label={t.checked(file.name)}
            size="small"
            rowKey="row"
            pagination={checked.rows.length > 20 ? { pageSize: 20 } : false}
            dataSource={checked.rows}
            columns={[
              { title: t.row, dataIndex: 'row', key: 'row', width: 80 },
              { title: zhAdmin.departments.code, dataIndex: 'code', key: 'code' },
              {
                title: t.action,
                key: 'action',
                render: (_, r) =>
                  `${t.actions[r.action] ?? r.action}${r.changed?.length ? `（${r.changed.map((c) => t.changed[c] ?? c).join('、')}）` : ''}`,
              },
            ]}
          />
        </div>
      )}
    </Card>
  );
}
