import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Space, Spin, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { apiJson } from '../../api/client';
import type { ApiProblem } from '../../api/problem';
import { zhRuleEditor as t } from '../../i18n/rule-editor.zh-CN';
import { ChangeTable, ProblemTable } from './ChangeTable';
import { ruleSetKeys } from './keys';
import { ProblemAlert } from './ProblemAlert';
import { useWorkbookExport } from './mutations';
import type { RuleSetSummary, WorkbookImported, WorkbookPreview } from './types';

function importWorkbook<T>(base: RuleSetSummary, file: File, dryRun: boolean, updateTests: boolean): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  return apiJson<T>(`/rule-sets/${encodeURIComponent(base.ref)}/workbook-import`, {
    method: 'POST',
    query: { dryRun: dryRun || undefined, updateTests: updateTests || undefined },
    rawBody: form,
  });
}

/**
 * The 指标体系 workbook round trip: export the editable workbook, upload the edited one; the console first shows the
 * diff against the base and every cell it could not read (dryRun), and saves the draft only on request.
 */
export function WorkbookRoundTrip({ base }: { base: RuleSetSummary }) {
  const queryClient = useQueryClient();
  const exportWorkbook = useWorkbookExport(base);
  const [file, setFile] = useState<File | null>(null);
  const [updateTests, setUpdateTests] = useState(true);
  const preview = useMutation<WorkbookPreview, ApiProblem, File>({
    mutationFn: (f) => importWorkbook<WorkbookPreview>(base, f, true, updateTests),
  });
  const save = useMutation<WorkbookImported, ApiProblem, File>({
    mutationFn: (f) => importWorkbook<WorkbookImported>(base, f, false, updateTests),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ruleSetKeys.all }),
  });
  const checked = preview.data;

  function choose(f: File) {
    setFile(f);
    save.reset();
    preview.mutate(f);
  }

  return (
    <Card title={<h2 className="card-title">{t.workbook.card}</h2>}>
      <Typography.Paragraph type="secondary">{t.workbook.cardHint}</Typography.Paragraph>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Space wrap>
          <Button
            icon={<DownloadOutlined />}
            loading={exportWorkbook.isPending}
            onClick={() => exportWorkbook.mutate()}
          >
            {t.workbook.export}
          </Button>
          <Checkbox checked={updateTests} onChange={(e) => setUpdateTests(e.target.checked)}>
            {t.workbook.updateTests}
          </Checkbox>
        </Space>
        {exportWorkbook.error && <ProblemAlert problem={exportWorkbook.error} />}
        <Upload.Dragger
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          multiple={false}
          showUploadList={false}
          beforeUpload={(f) => {
            choose(f);
            return false; // checked through the API ourselves: never an automatic upload
          }}
          aria-label={t.workbook.upload}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined aria-hidden />
          </p>
          <p className="ant-upload-text">{t.workbook.upload}</p>
          <p className="ant-upload-hint">{t.workbook.uploadHint}</p>
        </Upload.Dragger>
        {preview.isPending && <Spin tip={t.workbook.checking}>{<div style={{ minHeight: 48 }} />}</Spin>}
        {preview.error && <ProblemAlert problem={preview.error} />}
        {checked && file && !preview.isPending && (
          <section aria-label={t.workbook.previewTitle(file.name)} className="workbook-preview">
            <Typography.Title level={3}>{t.workbook.previewTitle(file.name)}</Typography.Title>
            {checked.valid ? (
              <Alert type="success" showIcon message={t.workbook.valid} />
            ) : (
              <Alert type="error" showIcon message={t.workbook.invalid(checked.problems.length)} />
            )}
            {checked.problems.length > 0 && (
              <ProblemTable problems={checked.problems} caption={t.problems.title} withCell />
            )}
            {checked.diff && (
              <>
                <Typography.Title level={4}>
                  {t.diff.title}（{t.diff.count(checked.diff.changes.length)}）
                </Typography.Title>
                <ChangeTable changes={checked.diff.changes} />
              </>
            )}
            {checked.notes.length > 0 && <ProblemTable problems={checked.notes} caption={t.problems.notes} withCell />}
            {checked.warnings.length > 0 && (
              <ProblemTable problems={checked.warnings} caption={t.problems.warnings} withCell />
            )}
            {checked.testUpdates.length > 0 && (
              <div>
                <Typography.Text strong>{t.problems.testUpdates}</Typography.Text>
                <ul>
                  {checked.testUpdates.map((u) => (
                    <li key={u.pointer}>{u.message}</li>
                  ))}
                </ul>
              </div>
            )}
            <Space style={{ marginTop: 12 }}>
              <Button
                type="primary"
                disabled={!checked.valid || save.isSuccess}
                loading={save.isPending}
                onClick={() => save.mutate(file)}
              >
                {t.workbook.save}
              </Button>
            </Space>
            {save.error && <ProblemAlert problem={save.error} />}
            {save.data && (
              <Alert
                style={{ marginTop: 12 }}
                type="success"
                showIcon
                role="status"
                message={t.workbook.saved(save.data.ruleSet.title, save.data.ruleSet.versionNo)}
                description={
                  <Link
                    to={`/app/rule-editor/drafts/${encodeURIComponent(save.data.ruleSet.ref)}?against=${encodeURIComponent(base.ref)}`}
                    data-ref={save.data.ruleSet.ref}
                  >
                    {t.workbook.openSaved}
                  </Link>
                }
              />
            )}
          </section>
        )}
      </Space>
    </Card>
  );
}
