import { DownloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Form, Row, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { apiDownload, apiJson } from '../../api/client';
import { departmentZh } from '../../i18n/zh-CN.department';
import { useSession } from '../../session/useSession';
import { GradeTag, Score } from '../../shared/Score';
import { plainText } from '../../shared/plainText';
import { WorkbookUploadButton } from '../../shared/WorkbookUploadButton';
import { YearStateNotice } from '../../shared/YearStateNotice';
import { PageSpinner } from '../../app/PageSpinner';
import { InputField, NotApplicableField, TargetResultField, TextField } from './fields';
import { checkValues, type FieldValue, formParts, type FormValues, type Submission, toFormValues } from './formState';
import { departmentYearKeys } from './keys';
import { ProblemAlert } from './ProblemAlert';
import { departmentYearOptions, departmentYearPath } from './queries';
import {
  declaredSections,
  formGroups,
  type DeclaredTargets,
  type IndicatorNode,
  notApplicableCodes,
  type Tier,
} from './ruleFile';
import { estimateOptions, latestSubmissionOptions, targetsOptions, yearRuleSetOptions } from './submissionQueries';

const t = departmentZh.submission;

/** Waits until the value has not changed for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function leafNodes(nodes: IndicatorNode[]): IndicatorNode[] {
  return nodes.flatMap((n) => (n.children?.length ? leafNodes(n.children) : [n]));
}

/** 年终填报: the form generated from the 指标体系's inputs, with 预估得分 from the server beside it. */
export default function SubmissionPage() {
  const { year: yearParam } = useParams();
  const year = Number.parseInt(yearParam ?? '', 10);
  const session = useSession();
  const code = session.data?.departmentCode ?? '';
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const ruleSet = useQuery(yearRuleSetOptions(year));
  const latest = useQuery({ ...latestSubmissionOptions(year, code), enabled: code !== '' });
  const targets = useQuery({ ...targetsOptions(year, code), enabled: code !== '' });
  const yearState = useQuery({ ...departmentYearOptions(year, code), enabled: code !== '' });
  const declared: DeclaredTargets = useMemo(
    () => targets.data?.approved?.targets ?? targets.data?.current?.targets ?? {},
    [targets.data],
  );
  const [values, setValues] = useState<FormValues | null>(null);
  const loadedFrom = useRef<number | null | undefined>(undefined);
  const [lastSaved, setLastSaved] = useState<number | null>(null);

  useEffect(() => {
    if (!ruleSet.data || latest.data === undefined || !targets.data) return;
    const revision = latest.data?.revision ?? null;
    if (loadedFrom.current !== undefined) return; // the form keeps what is typed; a save or upload reloads it
    loadedFrom.current = revision;
    setValues(toFormValues(ruleSet.data.file, declared, latest.data?.submission ?? null));
  }, [ruleSet.data, latest.data, targets.data, declared]);

  const file = ruleSet.data?.file;
  const checked = useMemo(
    () => (file && values ? checkValues(file, declared, values) : { problems: {}, missing: [] }),
    [file, declared, values],
  );
  const parts = useMemo(() => (file && values ? formParts(file, declared, values) : null), [file, declared, values]);
  const partsKey = useMemo(() => JSON.stringify(parts), [parts]);
  /** What saving sends: the latest revision's other fields (overview, budget, …) with the form's parts over them. */
  const body = useMemo(
    (): Submission | null => parts && { ...(latest.data?.submission ?? {}), ...parts },
    [parts, latest.data],
  );
  const bodyKey = useMemo(() => JSON.stringify(body), [body]);
  const settledKey = useDebounced(bodyKey, 500);
  const complete = checked.missing.length === 0 && Object.keys(checked.problems).length === 0;
  const needsTargets = !!file && declaredSections(file.indicators).length > 0 && Object.keys(declared).length === 0;
  // 预估得分 on the unsaved values: also before the first save (a fresh department or year)
  const estimate = useQuery({
    ...estimateOptions(year, code, JSON.parse(settledKey) as Submission, settledKey),
    enabled: !!body && complete && !needsTargets && settledKey === bodyKey,
    placeholderData: keepPreviousData,
  });

  const refresh = async () => {
    loadedFrom.current = undefined;
    await queryClient.invalidateQueries({ queryKey: departmentYearKeys.department(year, code) });
  };

  const save = useMutation({
    mutationFn: () =>
      apiJson<{ revision: number }>(`${departmentYearPath(year, code)}/submissions`, { method: 'POST', body }),
    onSuccess: async (saved) => {
      setLastSaved(saved.revision);
      message.success(t.saved(saved.revision));
      loadedFrom.current = saved.revision;
      await queryClient.invalidateQueries({ queryKey: departmentYearKeys.department(year, code) });
    },
  });

  const upload = useMutation({
    mutationFn: (workbook: File) => {
      const form = new FormData();
      form.append('file', workbook);
      return apiJson<{ revision: number }>(`${departmentYearPath(year, code)}/submissions`, {
        method: 'POST',
        rawBody: form,
      });
    },
    onSuccess: async (saved) => {
      setLastSaved(saved.revision);
      message.success(t.uploaded(saved.revision));
      await refresh();
    },
  });

  const submit = useMutation({
    mutationFn: (revision: number) =>
      apiJson(`${departmentYearPath(year, code)}/submit`, { method: 'POST', body: { revision } }),
    onSuccess: async (_, revision) => {
      message.success(t.submitted(revision));
      await queryClient.invalidateQueries({ queryKey: departmentYearKeys.year(year) });
    },
  });

  if (ruleSet.isPending || latest.isPending || targets.isPending || yearState.isPending || (!values && ruleSet.data))
    return <PageSpinner />;
  if (!ruleSet.data || !file || !values) return <Empty description={t.noRuleSet(year)} />;

  const set = (pointer: string, value: FieldValue) => setValues((v) => ({ ...v, [pointer]: value }));
  const edit = yearState.data?.actions.find((a) => a.action === 'edit');
  const submitAction = yearState.data?.actions.find((a) => a.action === 'submit');
  const disabled = edit ? !edit.allowed : false;
  const names = { [code]: yearState.data?.departmentName ?? code };
  const submitRefusal = !submitAction?.allowed && submitAction?.reason ? plainText(submitAction.reason, names) : '';
  const { groups, other } = formGroups(file);
  const sections = declaredSections(file.indicators);
  const judgmentTiers = new Map<string, Tier[]>();
  for (const leaf of leafNodes(file.indicators))
    if (leaf.method?.type === 'judgment' && leaf.method.input && leaf.method.tiers)
      judgmentTiers.set(leaf.method.input, leaf.method.tiers);
  const fieldProps = { values, problems: checked.problems, set, disabled };
  const latestRevision = latest.data?.revision ?? null;
  const dirty = latest.data
    ? partsKey !== JSON.stringify(formParts(file, declared, toFormValues(file, declared, latest.data.submission)))
    : true;
  const report = estimate.data?.report;
  // every node with a 评分依据: leaves and targets, and a group whose score was rescaled for 不适用 (policy parent)
  const basisByCode = new Map<string, { name: string; score: string; weight: string; basis?: string }>();
  const walk = (nodes: typeof report extends undefined ? never : NonNullable<typeof report>['sections']) => {
    for (const n of nodes) {
      if (n.basis) basisByCode.set(n.code, { name: n.name, score: n.score, weight: n.weight, basis: n.basis });
      if (n.children) walk(n.children);
    }
  };
  if (report) walk(report.sections);
  const mayBeNotApplicable = new Set(notApplicableCodes(file, declared));

  function confirmSubmit(revision: number) {
    modal.confirm({
      title: t.confirmTitle(revision),
      content: t.confirmBody(revision),
      okText: t.confirmOk,
      cancelText: t.cancel,
      onOk: () => submit.mutateAsync(revision),
    });
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} className="page-title">
        {t.title(year)}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t.ruleSet(ruleSet.data.version.title, ruleSet.data.version.versionNo)}
        {latestRevision !== null ? t.loadedFrom(latestRevision) : t.blank}
        {yearState.data && (
          <Tag style={{ marginLeft: 8 }} data-testid="year-status">
            {yearState.data.statusLabel}
          </Tag>
        )}
      </Typography.Paragraph>
      {yearState.data && <YearStateNotice year={yearState.data} editable={!disabled} />}
      <Space wrap>
        <Button
          icon={<DownloadOutlined />}
          onClick={() =>
            apiDownload(`${departmentYearPath(year, code)}/template.xlsx`, `${code}-${year}-填报表.xlsx`).then(
              (name) => message.success(t.downloaded(name)),
              () => message.error(t.downloadFailed),
            )
          }
        >
          {t.download}
        </Button>
        <WorkbookUploadButton
          label={t.upload}
          disabled={disabled}
          loading={upload.isPending}
          onFile={(f) => upload.mutate(f)}
        />
        <Button onClick={() => setValues(toFormValues(file, declared, null))} disabled={disabled}>
          {t.clear}
        </Button>
      </Space>
      {mayBeNotApplicable.size > 0 && (
        // the workbook has no 不适用 column yet: say so rather than let an upload drop the marks unnoticed
        <Typography.Paragraph type="secondary" data-testid="workbook-not-applicable">
          {t.workbookNoNotApplicable}
        </Typography.Paragraph>
      )}
      {upload.error && <ProblemAlert error={upload.error} title={t.uploadRefused} names={names} />}
      <Row gutter={16} align="top">
        <Col xs={24} lg={15}>
          <Form layout="vertical" aria-label={t.formLabel} onSubmitCapture={(e) => e.preventDefault()}>
            {groups.map((group) => (
              <Card key={group.key} title={<h2 className="card-title">{group.title}</h2>} className="form-group">
                {group.items.map(({ leaf, inputs }) => (
                  <section key={leaf.code} className="leaf" aria-label={leaf.name}>
                    <h3 className="leaf-title">
                      {leaf.name} <Typography.Text type="secondary">（{t.weightOf(leaf.weight)}）</Typography.Text>
                    </h3>
                    {leaf.explanation && (
                      <Typography.Paragraph type="secondary" className="explanation">
                        {t.explanation}：{leaf.explanation}
                      </Typography.Paragraph>
                    )}
                    {mayBeNotApplicable.has(leaf.code) && (
                      <NotApplicableField code={leaf.code} name={leaf.name} {...fieldProps} />
                    )}
                    {inputs.map((spec) => (
                      <InputField key={spec.id} spec={spec} tiers={judgmentTiers.get(spec.id)} {...fieldProps} />
                    ))}
                    <TextField {...fieldProps} pointer={`/evidence/${leaf.code}`} label={t.evidence(leaf.name)} />
                  </section>
                ))}
              </Card>
            ))}
            {sections.map((section) => (
              <Card key={section.code} title={<h2 className="card-title">{section.name}</h2>} className="form-group">
                {section.explanation && (
                  <Typography.Paragraph type="secondary" className="explanation">
                    {t.explanation}：{section.explanation}
                  </Typography.Paragraph>
                )}
                {(declared[section.code] ?? []).length === 0 && <Alert type="warning" message={t.noTargets} />}
                {(declared[section.code] ?? []).map((goal) => (
                  <section key={goal.code} className="leaf" aria-label={goal.name}>
                    <h3 className="leaf-title">
                      {goal.name} <Typography.Text type="secondary">（{t.weightOf(goal.weight)}）</Typography.Text>
                    </h3>
                    {goal.indicators.map((indicator) => (
                      <div key={indicator.code}>
                        <TargetResultField
                          indicator={indicator}
                          tiers={section.declared?.qualitativeTiers ?? []}
                          {...fieldProps}
                        />
                        {mayBeNotApplicable.has(indicator.code) && (
                          <NotApplicableField code={indicator.code} name={indicator.name} {...fieldProps} />
                        )}
                      </div>
                    ))}
                  </section>
                ))}
              </Card>
            ))}
            {other.length > 0 && (
              <Card title={<h2 className="card-title">{t.other}</h2>} className="form-group">
                {other.map((spec) => (
                  <InputField key={spec.id} spec={spec} {...fieldProps} />
                ))}
              </Card>
            )}
          </Form>
        </Col>
        <Col xs={24} lg={9} className="estimate-col">
          <Card title={<h2 className="card-title">{t.estimate}</h2>} className="estimate">
            <div role="status" aria-label={t.estimate} aria-busy={estimate.isFetching}>
              {needsTargets ? (
                <Typography.Paragraph>{t.estimateNoTargets}</Typography.Paragraph>
              ) : !complete ? (
                <Typography.Paragraph data-testid="estimate-pending">
                  {t.estimatePending(checked.missing.length, Object.keys(checked.problems).length)}
                </Typography.Paragraph>
              ) : estimate.isError ? (
                // refused (the same check as a save): no earlier estimate is left standing beside the refusal
                <ProblemAlert error={estimate.error} title={t.estimateRefused} names={names} />
              ) : report ? (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Space size="large" align="baseline">
                    <span className="estimate-total" data-testid="estimate-total">
                      <Score value={report.total} />
                    </span>
                    <GradeTag grade={report.grade} code={report.gradeCode} />
                    {estimate.isFetching && <Typography.Text type="secondary">{t.updating}</Typography.Text>}
                  </Space>
                  <Typography.Text type="secondary">{t.estimateNote}</Typography.Text>
                  {report.notApplicable && report.notApplicable.indicators.length > 0 && (
                    <div>
                      <Typography.Text strong>{t.notApplicableList}</Typography.Text>
                      <ul aria-label={t.notApplicableList} className="not-applicable-list">
                        {report.notApplicable.indicators.map((i) => (
                          <li key={i.code}>
                            {i.name}：{i.reason}
                          </li>
                        ))}
                      </ul>
                      {report.notApplicable.total && (
                        <Typography.Text data-testid="not-applicable-total">
                          {report.notApplicable.total}
                        </Typography.Text>
                      )}
                    </div>
                  )}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t.updating}</Typography.Text>
              )}
            </div>
            {report && !estimate.isError && (
              <ol className="basis-list" aria-label={t.basisList} tabIndex={0}>
                {[...basisByCode.entries()]
                  .filter(([, n]) => n.basis)
                  .map(([c, n]) => (
                    <li key={c}>
                      {n.name}：<Score value={n.score} />/{n.weight} {n.basis}
                    </li>
                  ))}
              </ol>
            )}
          </Card>
          <Card className="estimate-actions">
            <Space direction="vertical" style={{ width: '100%' }}>
              {Object.keys(checked.problems).length > 0 && (
                <Alert type="error" showIcon message={t.fixFirst(Object.keys(checked.problems).length)} />
              )}
              <Button
                type="primary"
                block
                disabled={disabled || !complete || save.isPending}
                loading={save.isPending}
                onClick={() => save.mutate()}
              >
                {t.save}
              </Button>
              {save.error && <ProblemAlert error={save.error} title={t.saveRefused} names={names} />}
              <Typography.Text data-testid="saved-state">
                {latestRevision === null
                  ? t.neverSaved
                  : dirty
                    ? t.unsavedChanges(latestRevision)
                    : t.savedAs(lastSaved ?? latestRevision)}
              </Typography.Text>
              <Button
                block
                disabled={!submitAction?.allowed || latestRevision === null || dirty}
                onClick={() => latestRevision !== null && confirmSubmit(latestRevision)}
                title={submitAction?.allowed ? undefined : submitRefusal}
              >
                {latestRevision === null ? t.submit : t.submitRevision(latestRevision)}
              </Button>
              {submitRefusal && <Typography.Text type="secondary">{submitRefusal}</Typography.Text>}
              {submit.error && <ProblemAlert error={submit.error} title={t.submitRefused} names={names} />}
            </Space>
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
