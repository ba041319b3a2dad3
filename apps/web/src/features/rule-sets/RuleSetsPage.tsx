import './rule-sets.css';
import { InboxOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Space, Table, Tag, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { apiJson } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import { PageSpinner } from '../../app/PageSpinner';
import { changeValue, ProblemTable } from '../rule-editor/ChangeTable';
import { ruleSetKeys } from '../rule-editor/keys';
import { ruleSetListOptions } from '../rule-editor/queries';
import type { RuleFileProblem, RuleSetChange, RuleSetSummary } from '../rule-editor/types';
import { zhRuleSets as t } from './text';

interface Accepted extends RuleSetSummary {
  warnings: RuleFileProblem[];
}

interface Diff {
  fromRef: string;
  toRef: string;
  changes: RuleSetChange[];
}

type UploadOutcome =
  | { kind: 'saved'; row: Accepted }
  | { kind: 'refused'; name: string; message: string; problems: RuleFileProblem[] };

const label = (v: RuleSetSummary) => `${v.title} ${t.list.versionNo(v.versionNo)}`;

/** The version a draft is compared with and would replace: its year's version in force, else the series' latest. */
export function inForceFor(v: RuleSetSummary, all: RuleSetSummary[]): RuleSetSummary | undefined {
  const published = all.filter((x) => x.ruleSetId === v.ruleSetId && x.status === 'published');
  return (
    published.find((x) => x.fiscalYear === v.fiscalYear) ??
    published.filter((x) => x.fiscalYear < v.fiscalYear).sort((a, b) => b.fiscalYear - a.fiscalYear)[0]
  );
}

function DiffPanel({
  draft,
  against,
  onClose,
}: {
  draft: RuleSetSummary;
  against: RuleSetSummary;
  onClose: () => void;
}) {
  const diff = useQuery({
    queryKey: [...ruleSetKeys.all, 'diff', draft.ref, against.ref],
    queryFn: ({ signal }) =>
      apiJson<Diff>(`/rule-sets/${encodeURIComponent(draft.ref)}/diff`, { query: { against: against.ref }, signal }),
  });
  const columns: ColumnsType<RuleSetChange> = [
    {
      title: t.diff.where,
      dataIndex: 'path',
      width: 180,
      render: (path: string | undefined, c) => (
        <>
          <div>{path ?? c.code ?? '—'}</div>
          <Typography.Text type="secondary" className="pointer">
            {c.pointer}
          </Typography.Text>
        </>
      ),
    },
    { title: t.diff.message, dataIndex: 'message' },
    { title: t.diff.before, dataIndex: 'before', width: 150, render: (v: string | undefined, c) => changeValue(v, c) },
    { title: t.diff.after, dataIndex: 'after', width: 150, render: (v: string | undefined, c) => changeValue(v, c) },
  ];
  const heading = t.diff.title(label(draft), `${label(against)}（${t.list.yearLabel(against.fiscalYear)}）`);
  return (
    <Card
      size="small"
      className="diff-card"
      title={<h2 className="card-heading">{heading}</h2>}
      extra={<Button onClick={onClose}>{t.diff.close}</Button>}
    >
      {diff.isPending ? (
        <PageSpinner />
      ) : diff.error ? (
        <Alert type="error" showIcon message={(diff.error as Error).message} />
      ) : diff.data.changes.length === 0 ? (
        <Typography.Paragraph>{t.diff.noChange}</Typography.Paragraph>
      ) : (
        <>
          <Typography.Paragraph>{t.diff.count(diff.data.changes.length)}</Typography.Paragraph>
          <Table<RuleSetChange>
            size="small"
            aria-label={heading}
            rowKey={(c, i) => `${c.pointer}#${i}`}
            pagination={false}
            columns={columns}
            dataSource={diff.data.changes}
          />
        </>
      )}
    </Card>
  );
}

/** 规则库: every version by series and year, upload, 修订说明 against the version in force, publish. */
export default function RuleSetsPage() {
  const list = useQuery(ruleSetListOptions());
  const client = useQueryClient();
  const { modal, message } = App.useApp();
  const [outcome, setOutcome] = useState<UploadOutcome | null>(null);
  const [comparing, setComparing] = useState<string | null>(null);

  const upload = useMutation<UploadOutcome, Error, File>({
    mutationFn: async (file) => {
      let body: unknown;
      try {
        body = JSON.parse(await file.text());
      } catch {
        return { kind: 'refused', name: file.name, message: t.upload.notJson(file.name), problems: [] };
      }
      try {
        const row = await apiJson<Accepted>('/rule-sets', { method: 'POST', body });
        return { kind: 'saved', row };
      } catch (error) {
        if (!(error instanceof ApiProblem)) throw error;
        return {
          kind: 'refused',
          name: file.name,
          message: error.details.length ? t.upload.refused(file.name, error.details.length) : error.message,
          problems: error.details,
        };
      }
    },
    onSuccess: async (result) => {
      setOutcome(result);
      if (result.kind === 'saved') {
        setComparing(result.row.ref);
        await client.invalidateQueries({ queryKey: ruleSetKeys.all });
      }
    },
  });

  const publish = useMutation<RuleSetSummary, ApiProblem, RuleSetSummary>({
    mutationFn: (v) => apiJson<RuleSetSummary>(`/rule-sets/${encodeURIComponent(v.ref)}/publish`, { method: 'POST' }),
    onSuccess: async (v) => {
      void message.success(t.publish.done(label(v)));
      setComparing(null);
      await client.invalidateQueries({ queryKey: ruleSetKeys.all });
    },
    onError: (e) => void message.error(e.message),
  });

  if (list.isPending) return <PageSpinner />;
  if (list.error) throw list.error;
  const versions = [...list.data].sort(
    (a, b) => a.ruleSetId.localeCompare(b.ruleSetId) || b.fiscalYear - a.fiscalYear || b.versionNo - a.versionNo,
  );

  const confirmPublish = (v: RuleSetSummary) => {
    const old = versions.find(
      (x) => x.ruleSetId === v.ruleSetId && x.fiscalYear === v.fiscalYear && x.status === 'published',
    );
    void modal.confirm({
      title: t.publish.title(label(v)),
      content: (
        <>
          <p>
            {old ? t.publish.supersedes(label(v), v.fiscalYear, label(old)) : t.publish.first(label(v), v.fiscalYear)}
          </p>
          <p>{t.publish.immutable}</p>
        </>
      ),
      okText: t.publish.ok,
      cancelText: t.publish.cancel,
      onOk: () => publish.mutateAsync(v),
    });
  };

  const columns: ColumnsType<RuleSetSummary> = [
    { title: t.list.year, dataIndex: 'fiscalYear', width: 90, render: (y: number) => t.list.yearLabel(y) },
    {
      title: t.list.version,
      dataIndex: 'versionNo',
      width: 80,
      render: (n: number, v) => (
        <>
          {t.list.versionNo(n)}
          <div className="file-version">{v.fileVersion}</div>
        </>
      ),
    },
    {
      title: t.list.titleCol,
      dataIndex: 'title',
      render: (title: string, v) => (
        <>
          <div>{title}</div>
          <span className="series-id">{v.ruleSetId}</span>
        </>
      ),
    },
    {
      title: t.list.status,
      dataIndex: 'status',
      width: 130,
      render: (s: string) => (
        <Space size={4}>
          <Tag className={`status-${s}`}>{t.status[s] ?? s}</Tag>
          {s === 'published' && <Tag className="status-in-force">{t.list.inForce}</Tag>}
        </Space>
      ),
    },
    {
      title: t.list.actions,
      key: 'actions',
      width: 230,
      render: (_: unknown, v) =>
        v.status === 'draft' ? (
          <Space wrap size={4}>
            {inForceFor(v, versions) && (
              <Button size="small" onClick={() => setComparing(v.ref)} aria-label={`${t.list.compare}：${label(v)}`}>
                {t.list.compare}
              </Button>
            )}
            <Link to={`/app/rule-editor/drafts/${encodeURIComponent(v.ref)}`}>{t.list.edit}</Link>
            <Link to={`/app/impact/${encodeURIComponent(v.ref)}`} aria-label={`${t.list.impact}：${label(v)}`}>
              {t.list.impact}
            </Link>
            <Button
              size="small"
              type="primary"
              autoInsertSpace={false}
              loading={publish.isPending && publish.variables?.ref === v.ref}
              onClick={() => confirmPublish(v)}
              aria-label={`${t.list.publish}：${label(v)}`}
            >
              {t.list.publish}
            </Button>
          </Space>
        ) : null,
    },
  ];

  const compared = versions.find((v) => v.ref === comparing);
  const against = compared && inForceFor(compared, versions);

  return (
    <div className="rule-sets">
      <Typography.Title level={1} className="page-title">
        {t.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t.intro}</Typography.Paragraph>
      <Card size="small" title={<h2 className="card-heading">{t.upload.title}</h2>}>
        <Upload.Dragger
          accept=".json,application/json"
          multiple={false}
          showUploadList={false}
          disabled={upload.isPending}
          beforeUpload={(file) => {
            setOutcome(null);
            upload.mutate(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{upload.isPending ? t.upload.checking : t.upload.drop}</p>
          <p className="ant-upload-hint">{t.upload.hint}</p>
        </Upload.Dragger>
        {outcome?.kind === 'refused' && (
          <div className="upload-outcome">
            <Alert type="error" showIcon message={outcome.message} />
            {outcome.problems.length > 0 && <ProblemTable problems={outcome.problems} caption={t.upload.problems} />}
          </div>
        )}
        {outcome?.kind === 'saved' && (
          <div className="upload-outcome">
            <Alert type="success" showIcon message={t.upload.saved(outcome.row.title, outcome.row.versionNo)} />
            {outcome.row.warnings.length > 0 && (
              <ProblemTable problems={outcome.row.warnings} caption={t.upload.warnings} />
            )}
          </div>
        )}
      </Card>
      <Table<RuleSetSummary>
        className="rule-set-table"
        size="small"
        aria-label={t.list.caption}
        rowKey="ref"
        pagination={false}
        columns={columns}
        dataSource={versions}
      />
      {compared && against && <DiffPanel draft={compared} against={against} onClose={() => setComparing(null)} />}
    </div>
  );
}
