import { DeleteOutlined, DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { apiDownload, apiJson } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import { problemText } from '../../i18n/problems';
import { targetsZh } from '../../i18n/zh-CN.targets';
import { useSession } from '../../session/useSession';
import { PageSpinner } from '../../app/PageSpinner';
import { formatTime } from '../department/format';
import { departmentYearKeys } from '../department/keys';
import { departmentYearOptions, departmentYearPath } from '../department/queries';
import { declaredSections, type IndicatorNode } from '../department/ruleFile';
import { type TargetDeclaration, targetsOptions, yearRuleSetOptions } from '../department/submissionQueries';
import {
  checkDraft,
  COMPARATOR_LABELS,
  type Draft,
  freshCode,
  type GoalDraft,
  type IndicatorDraft,
  levelsOf,
  newGoal,
  newIndicator,
  type Problems,
  toDraft,
  toTargets,
  typedSum,
} from './draft';
import { plainText } from '../../shared/plainText';
import { WorkbookUploadButton } from '../../shared/WorkbookUploadButton';
import { YearStateNotice } from '../../shared/YearStateNotice';
import './targets.css';

const t = targetsZh;

const idOf = (pointer: string) => `t${pointer.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** One labelled control with its problem (or help) under it. */
function Field({
  pointer,
  label,
  problems,
  help,
  children,
}: {
  pointer: string;
  label: string;
  problems: Problems;
  help?: ReactNode;
  children: (id: string, invalid: boolean) => ReactNode;
}) {
  const id = idOf(pointer);
  const problem = problems[pointer];
  return (
    <Form.Item
      label={label}
      htmlFor={id}
      validateStatus={problem ? 'error' : undefined}
      help={problem ?? help}
      className="target-field"
    >
      {children(id, !!problem)}
    </Form.Item>
  );
}

function ApprovalTag({ approval }: { approval: string }) {
  return (
    <Tag className={`approval-tag approval-${approval}`} data-testid="approval-state">
      {t.approval[approval] ?? approval}
    </Tag>
  );
}

interface Ctx {
  problems: Problems;
  disabled: boolean;
  comparators: string[];
}

function IndicatorFields({
  indicator,
  pointer,
  label,
  ctx,
  onChange,
  onRemove,
}: {
  indicator: IndicatorDraft;
  pointer: string;
  label: string;
  ctx: Ctx;
  onChange: (patch: Partial<IndicatorDraft>) => void;
  onRemove?: () => void;
}) {
  const { problems, disabled } = ctx;
  const text = (key: 'name' | 'target' | 'targetMax' | 'unit' | 'weight', fieldLabel: string, decimal = false) => (
    <Field pointer={`${pointer}/${key}`} label={fieldLabel} problems={problems}>
      {(id, invalid) => (
        <Input
          id={id}
          value={indicator[key]}
          inputMode={decimal ? 'decimal' : undefined}
          onChange={(e) => onChange({ [key]: decimal ? e.target.value.trim() : e.target.value })}
          disabled={disabled}
          aria-invalid={invalid || undefined}
          autoComplete="off"
        />
      )}
    </Field>
  );
  const range = indicator.kind === 'quantitative' && indicator.comparator === 'range';
  return (
    <fieldset className="target-indicator">
      <legend>{label}</legend>
      <div className="target-meta">
        {onRemove && (
          <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={onRemove} disabled={disabled}>
            {t.removeIndicator(label)}
          </Button>
        )}
      </div>
      <Row gutter={12}>
        <Col xs={24} xl={range ? 7 : 8}>
          {text('name', t.indicatorName)}
        </Col>
        <Col xs={12} lg={4} xl={3}>
          <Field pointer={`${pointer}/kind`} label={t.kind} problems={problems}>
            {(id) => (
              <Select
                id={id}
                value={indicator.kind}
                disabled={disabled}
                onChange={(kind) => onChange({ kind })}
                options={[
                  { value: 'quantitative', label: t.kinds.quantitative },
                  { value: 'qualitative', label: t.kinds.qualitative },
                ]}
              />
            )}
          </Field>
        </Col>
        {indicator.kind === 'quantitative' ? (
          <>
            <Col xs={12} lg={4} xl={3}>
              <Field pointer={`${pointer}/comparator`} label={t.comparator} problems={problems}>
                {(id) => (
                  <Select
                    id={id}
                    value={indicator.comparator || undefined}
                    disabled={disabled}
                    onChange={(comparator) => onChange({ comparator })}
                    options={ctx.comparators.map((c) => ({ value: c, label: COMPARATOR_LABELS[c] ?? c }))}
                  />
                )}
              </Field>
            </Col>
            <Col xs={12} lg={range ? 4 : 7} xl={range ? 2 : 4}>
              {text('target', range ? t.rangeLow : t.target, true)}
            </Col>
            {range && (
              <Col xs={12} lg={4} xl={2}>
                {text('targetMax', t.targetMax, true)}
              </Col>
            )}
            <Col xs={12} lg={range ? 4 : 5} xl={3}>
              {text('unit', t.unit)}
            </Col>
          </>
        ) : (
          <Col xs={24} lg={16} xl={10}>
            {text('target', t.qualitativeTarget)}
          </Col>
        )}
        <Col xs={12} lg={4} xl={3}>
          {text('weight', t.indicatorWeight, true)}
        </Col>
      </Row>
    </fieldset>
  );
}

function GoalFields({
  goal,
  index,
  pointer,
  ctx,
  onChange,
  onRemove,
  onAddIndicator,
}: {
  goal: GoalDraft;
  index: number;
  pointer: string;
  ctx: Ctx;
  onChange: (next: GoalDraft) => void;
  onRemove: () => void;
  onAddIndicator: () => void;
}) {
  const { problems, disabled } = ctx;
  const label = t.goal(index + 1);
  const sum = typedSum(goal.indicators.map((i) => i.weight));
  return (
    <fieldset className="target-goal">
      <legend>{label}</legend>
      <div className="target-meta">
        <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={onRemove} disabled={disabled}>
          {t.removeGoal(label)}
        </Button>
      </div>
      <Row gutter={12}>
        <Col xs={24} lg={17} xl={18}>
          <Field pointer={`${pointer}/name`} label={t.goalName} problems={problems}>
            {(id, invalid) => (
              <Input.TextArea
                id={id}
                autoSize={{ minRows: 1, maxRows: 4 }}
                value={goal.name}
                onChange={(e) => onChange({ ...goal, name: e.target.value })}
                disabled={disabled}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
        </Col>
        <Col xs={24} lg={7} xl={6}>
          <Field
            pointer={`${pointer}/weight`}
            label={t.goalWeight}
            problems={problems}
            help={<span data-testid="indicators-sum">{t.indicatorsSum(sum)}</span>}
          >
            {(id, invalid) => (
              <Input
                id={id}
                inputMode="decimal"
                value={goal.weight}
                onChange={(e) => onChange({ ...goal, weight: e.target.value.trim() })}
                disabled={disabled}
                aria-invalid={invalid || undefined}
                autoComplete="off"
              />
            )}
          </Field>
        </Col>
      </Row>
      {problems[`${pointer}/indicators`] && (
        <Alert type="error" showIcon message={problems[`${pointer}/indicators`]} className="target-inline-alert" />
      )}
      {goal.indicators.map((indicator, i) => (
        <IndicatorFields
          key={indicator.key}
          indicator={indicator}
          pointer={`${pointer}/indicators/${i}`}
          label={t.indicator(index + 1, i + 1)}
          ctx={ctx}
          onChange={(patch) =>
            onChange({
              ...goal,
              indicators: goal.indicators.map((x) => (x.key === indicator.key ? { ...x, ...patch } : x)),
            })
          }
          onRemove={() => onChange({ ...goal, indicators: goal.indicators.filter((x) => x.key !== indicator.key) })}
        />
      ))}
      <Button icon={<PlusOutlined />} onClick={onAddIndicator} disabled={disabled}>
        {t.addIndicator}
      </Button>
    </fieldset>
  );
}

function SectionCard({
  section,
  goals,
  ctx,
  nodes,
  draft,
  setGoals,
}: {
  section: IndicatorNode;
  goals: GoalDraft[];
  ctx: Ctx;
  nodes: IndicatorNode[];
  draft: Draft;
  setGoals: (goals: GoalDraft[]) => void;
}) {
  const base = `/targets/${section.code}`;
  const oneLevel = levelsOf(section) === 1;
  const sum = oneLevel
    ? typedSum(goals.flatMap((g) => g.indicators.map((i) => i.weight)))
    : typedSum(goals.map((g) => g.weight));
  const problem = ctx.problems[base];
  const min = section.declared?.minIndicatorWeight;
  const addGoal = () => {
    const code = freshCode(nodes, draft, 'goal');
    const withGoal = { ...draft, [section.code]: [...goals, newGoal(code, '', ctx.comparators)] };
    const indicatorCode = freshCode(nodes, withGoal, code);
    setGoals([...goals, newGoal(code, indicatorCode, ctx.comparators)]);
  };
  const addIndicator = (goal: GoalDraft) => {
    const code = freshCode(nodes, draft, goal.code || section.code);
    setGoals(
      goals.map((g) =>
        g.key === goal.key ? { ...g, indicators: [...g.indicators, newIndicator(code, ctx.comparators)] } : g,
      ),
    );
  };
  let flat = 0;
  return (
    <Card
      title={<h2 className="card-title">{t.section(section.name, section.weight)}</h2>}
      extra={
        <span data-testid="section-sum" className={problem ? 'sum-bad' : 'sum-ok'}>
          {t.allocated(sum, section.weight)}
        </span>
      }
      className="form-group"
    >
      {section.explanation && (
        <Typography.Paragraph type="secondary" className="explanation">
          {section.explanation}
        </Typography.Paragraph>
      )}
      {min && <Typography.Paragraph type="secondary">{t.minWeight(min)}</Typography.Paragraph>}
      <div id={idOf(base)} role="status" aria-live="polite" data-testid="section-problem">
        {problem && <Alert type="error" showIcon message={problem} className="target-inline-alert" />}
      </div>
      {oneLevel
        ? goals.flatMap((goal) =>
            goal.indicators.map((indicator) => {
              const i = flat++;
              return (
                <IndicatorFields
                  key={indicator.key}
                  indicator={indicator}
                  pointer={`${base}/${i}`}
                  label={t.indicator(1, i + 1)}
                  ctx={ctx}
                  onChange={(patch) =>
                    setGoals(
                      goals.map((g) => ({
                        ...g,
                        indicators: g.indicators.map((x) => (x.key === indicator.key ? { ...x, ...patch } : x)),
                      })),
                    )
                  }
                  onRemove={() =>
                    setGoals(
                      goals.map((g) => ({ ...g, indicators: g.indicators.filter((x) => x.key !== indicator.key) })),
                    )
                  }
                />
              );
            }),
          )
        : goals.map((goal, g) => (
            <GoalFields
              key={goal.key}
              goal={goal}
              index={g}
              pointer={`${base}/${g}`}
              ctx={ctx}
              onChange={(next) => setGoals(goals.map((x) => (x.key === goal.key ? next : x)))}
              onRemove={() => setGoals(goals.filter((x) => x.key !== goal.key))}
              onAddIndicator={() => addIndicator(goal)}
            />
          ))}
      {oneLevel ? (
        goals[0] && (
          <Button icon={<PlusOutlined />} onClick={() => addIndicator(goals[0])} disabled={ctx.disabled}>
            {t.addIndicator}
          </Button>
        )
      ) : (
        <Button type="dashed" block icon={<PlusOutlined />} onClick={addGoal} disabled={ctx.disabled}>
          {t.addGoal}
        </Button>
      )}
    </Card>
  );
}

function ApprovalCard({
  current,
  approved,
  history,
}: {
  current: TargetDeclaration | null;
  approved: TargetDeclaration | null;
  history: Omit<TargetDeclaration, 'targets'>[];
}) {
  return (
    <Card title={<h2 className="card-title">{t.approvalTitle}</h2>} className="approval-card">
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t.latest}>
          {current ? (
            <Space wrap>
              <span data-testid="latest-revision">{t.revision(current.revision)}</span>
              <ApprovalTag approval={current.approval} />
              <Typography.Text type="secondary">
                {t.declaredBy(current.createdBy, formatTime(current.createdAt))}
                {current.approvedBy && current.approvedAt
                  ? `；${t.approvedBy(current.approvedBy, formatTime(current.approvedAt))}`
                  : ''}
              </Typography.Text>
            </Space>
          ) : (
            t.none
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t.inForce}>
          {approved ? (
            <span data-testid="in-force">
              {t.revision(approved.revision)}（
              {t.approvedBy(approved.approvedBy ?? '—', formatTime(approved.approvedAt))}）
            </span>
          ) : (
            t.noneApproved
          )}
        </Descriptions.Item>
      </Descriptions>
      {current && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 8 }}>
          {current.approval === 'pending' ? t.pendingNote(current.revision) : t.afterApproval}
        </Typography.Paragraph>
      )}
      {history.length > 1 && (
        <Table
          size="small"
          rowKey="revision"
          pagination={false}
          aria-label={t.history}
          dataSource={history}
          columns={[
            { title: t.columns.revision, dataIndex: 'revision', render: (n: number) => t.revision(n) },
            {
              title: t.columns.declared,
              key: 'declared',
              render: (_, r) => t.declaredBy(r.createdBy, formatTime(r.createdAt)),
            },
            { title: t.columns.state, dataIndex: 'approval', render: (a: string) => t.approval[a] ?? a },
            {
              title: t.columns.approved,
              key: 'approved',
              render: (_, r) =>
                r.approvedBy && r.approvedAt ? t.approvedBy(r.approvedBy, formatTime(r.approvedAt)) : '—',
            },
          ]}
        />
      )}
    </Card>
  );
}

/** 绩效目标申报: goals and key indicators in a form with the rule set's weight checks live, or by the 申报表. */
export default function TargetsPage() {
  const { year: yearParam } = useParams();
  const year = Number.parseInt(yearParam ?? '', 10);
  const session = useSession();
  const code = session.data?.departmentCode ?? '';
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const ruleSet = useQuery(yearRuleSetOptions(year));
  const targets = useQuery({ ...targetsOptions(year, code), enabled: code !== '' });
  const yearState = useQuery({ ...departmentYearOptions(year, code), enabled: code !== '' });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [serverProblems, setServerProblems] = useState<Problems>({});
  const loadedFrom = useRef<number | null | undefined>(undefined);

  const nodes = useMemo(() => ruleSet.data?.file.indicators ?? [], [ruleSet.data]);
  const sections = useMemo(() => declaredSections(nodes), [nodes]);
  const current = targets.data?.current ?? null;

  useEffect(() => {
    if (!ruleSet.data || !targets.data) return;
    const revision = targets.data.current?.revision ?? null;
    if (loadedFrom.current === revision) return; // the form keeps what is typed until a new revision is stored
    loadedFrom.current = revision;
    setDraft(toDraft(sections, targets.data.current?.targets ?? null));
    setServerProblems({});
  }, [ruleSet.data, targets.data, sections]);

  const localProblems = useMemo(() => (draft ? checkDraft(sections, draft) : {}), [sections, draft]);
  const problems = useMemo(() => ({ ...serverProblems, ...localProblems }), [serverProblems, localProblems]);
  const typed = useMemo(() => (draft ? JSON.stringify(toTargets(sections, draft)) : ''), [sections, draft]);
  const stored = useMemo(
    () => JSON.stringify(toTargets(sections, toDraft(sections, current?.targets ?? null))),
    [sections, current],
  );
  const dirty = !current || typed !== stored;

  const refresh = () => queryClient.invalidateQueries({ queryKey: departmentYearKeys.department(year, code) });

  const declare = useMutation({
    mutationFn: () =>
      apiJson<TargetDeclaration>(`${departmentYearPath(year, code)}/targets`, {
        method: 'PUT',
        body: { targets: toTargets(sections, draft ?? {}) },
      }),
    onSuccess: async (saved) => {
      message.success(t.declared(saved.revision));
      await refresh();
    },
    onError: (error) => {
      if (error instanceof ApiProblem)
        setServerProblems(Object.fromEntries(error.details.map((d) => [d.pointer, d.message])));
    },
  });

  const upload = useMutation({
    mutationFn: (workbook: File) => {
      const form = new FormData();
      form.append('file', workbook);
      return apiJson<TargetDeclaration>(`${departmentYearPath(year, code)}/targets/workbook-import`, {
        method: 'POST',
        rawBody: form,
      });
    },
    onSuccess: async (saved) => {
      message.success(t.uploaded(saved.revision));
      await refresh();
    },
  });

  if (ruleSet.isPending || targets.isPending || yearState.isPending) return <PageSpinner />;
  if (!ruleSet.data) return <Empty description={t.noRuleSet(year)} />;
  if (sections.length === 0) return <Empty description={t.noSections} />;
  if (!draft || !targets.data) return <PageSpinner />;

  const edit = yearState.data?.actions.find((a) => a.action === 'edit');
  const disabled = edit ? !edit.allowed : false;
  const problemCount = Object.keys(localProblems).length;
  const nextRevision = targets.data.history.reduce((m, h) => Math.max(m, h.revision), 0) + 1;
  const edited = (next: Draft) => {
    setDraft(next);
    setServerProblems({});
  };

  function confirmDeclare() {
    modal.confirm({
      title: t.confirmTitle(nextRevision),
      content: t.confirmBody(nextRevision),
      okText: t.confirmOk,
      cancelText: t.cancel,
      onOk: () => declare.mutateAsync().catch(() => undefined),
    });
  }

  const uploadProblem = upload.error instanceof ApiProblem ? upload.error : null;
  const names = { [code]: yearState.data?.departmentName ?? code };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} className="page-title">
        {t.title(year)}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t.ruleSet(ruleSet.data.version.title, ruleSet.data.version.versionNo)}
        {t.intro}
      </Typography.Paragraph>
      {yearState.data && <YearStateNotice year={yearState.data} editable={!disabled} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <ApprovalCard current={current} approved={targets.data.approved} history={targets.data.history} />
        </Col>
        <Col xs={24} xl={10}>
          <Card title={<h2 className="card-title">{t.workbookTitle}</h2>}>
            <Typography.Paragraph type="secondary">{t.workbookIntro}</Typography.Paragraph>
            <Space wrap>
              <Button
                icon={<DownloadOutlined />}
                onClick={() =>
                  apiDownload(
                    `${departmentYearPath(year, code)}/targets/template.xlsx`,
                    `${code}-${year}-绩效目标申报表.xlsx`,
                  ).then(
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
            </Space>
          </Card>
        </Col>
      </Row>
      {upload.error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          message={t.uploadRefused}
          description={
            <div>
              {uploadProblem?.message && /[\u4e00-\u9fff]/.test(uploadProblem.message) && (
                <div>{plainText(uploadProblem.message, names)}</div>
              )}
              {!uploadProblem?.details.length && (
                <div>{problemText(uploadProblem?.code ?? 'NETWORK', uploadProblem?.status ?? 0).title}</div>
              )}
              {uploadProblem && uploadProblem.details.length > 0 && (
                <ul aria-label={t.cellProblems} className="problem-details" data-testid="cell-problems">
                  {uploadProblem.details.map((d, i) => (
                    <li key={`${d.pointer}-${i}`}>
                      {d.path && <strong className="cell-ref">{d.path}</strong>} {plainText(d.message, names)}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          }
        />
      )}
      <Form layout="vertical" aria-label={t.formLabel} onSubmitCapture={(e) => e.preventDefault()}>
        {sections.map((section) => (
          <SectionCard
            key={section.code}
            section={section}
            goals={draft[section.code] ?? []}
            ctx={{
              problems,
              disabled,
              comparators: section.declared?.comparators ?? ['>=', '<=', '=', 'range'],
            }}
            nodes={nodes}
            draft={draft}
            setGoals={(goals) => edited({ ...draft, [section.code]: goals })}
          />
        ))}
      </Form>
      <Card className="targets-actions">
        <Space wrap align="center">
          <Button
            type="primary"
            onClick={confirmDeclare}
            disabled={disabled || problemCount > 0 || !dirty || declare.isPending}
            loading={declare.isPending}
          >
            {t.declare}
          </Button>
          <Button onClick={() => edited(toDraft(sections, current?.targets ?? null))} disabled={disabled || !dirty}>
            {t.reset}
          </Button>
          <Typography.Text data-testid="form-state" type={problemCount > 0 ? 'danger' : undefined}>
            {problemCount > 0 ? t.problemsLeft(problemCount) : dirty ? t.changed : t.unchanged}
          </Typography.Text>
        </Space>
        {declare.error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            style={{ marginTop: 12 }}
            message={t.declareRefused}
            description={
              declare.error instanceof ApiProblem && declare.error.details.length === 0 ? (
                /[\u4e00-\u9fff]/.test(declare.error.message) ? (
                  declare.error.message
                ) : (
                  problemText(declare.error.code, declare.error.status).title
                )
              ) : declare.error instanceof ApiProblem ? (
                <ul className="problem-details">
                  {declare.error.details.map((d, i) => (
                    <li key={`${d.pointer}-${i}`}>
                      {d.message} <code className="pointer">{d.pointer}</code>
                    </li>
                  ))}
                </ul>
              ) : (
                t.fixFields
              )
            }
          />
        )}
      </Card>
    </Space>
  );
}
