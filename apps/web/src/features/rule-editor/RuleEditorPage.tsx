import './rule-editor.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Radio, Row, Select, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { apiJson } from '../../api/client';
import type { ApiProblem } from '../../api/problem';
import { PageSpinner } from '../../app/PageSpinner';
import { zhRuleEditor as t } from '../../i18n/rule-editor.zh-CN';
import { ruleSetKeys } from './keys';
import { ProblemAlert } from './ProblemAlert';
import { publishedRef, ruleSetListOptions } from './queries';
import type { RuleSetSummary, RuleSetWithContent } from './types';
import { WorkbookRoundTrip } from './WorkbookRoundTrip';

/** 规则编辑: pick the base version, then edit in forms (a new draft) or through the 指标体系 workbook. */
export default function RuleEditorPage() {
  const list = useQuery(ruleSetListOptions());
  const [params, setParams] = useSearchParams();
  if (list.isPending) return <PageSpinner />;
  if (list.error) throw list.error;
  const versions = list.data;
  // the default base: the version in force of the latest year (以2021年为基础)
  const published = versions
    .filter((v) => v.status === 'published')
    .sort((a, b) => b.fiscalYear - a.fiscalYear || a.ruleSetId.localeCompare(b.ruleSetId));
  const wanted = params.get('base');
  const base =
    versions.find((v) => v.ref === wanted || (v.status === 'published' && publishedRef(v) === wanted)) ??
    published[0] ??
    versions[versions.length - 1];
  return (
    <div className="rule-editor">
      <Typography.Title level={1} className="page-title">
        {t.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t.intro}</Typography.Paragraph>
      <Card size="small" className="base-card">
        <Space wrap>
          <label htmlFor="rule-editor-base">{t.base}</label>
          <Select
            id="rule-editor-base"
            aria-label={t.base}
            style={{ minWidth: 460 }}
            value={base?.ref}
            onChange={(ref: string) => setParams({ base: ref })}
            options={versions.map((v) => ({
              value: v.ref,
              label: t.versionLabel(v.title, v.versionNo, t.status[v.status] ?? v.status),
            }))}
          />
        </Space>
      </Card>
      {base && (
        <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
          <Col xs={24} xl={9}>
            <StartDraftCard base={base} drafts={versions.filter((v) => v.status === 'draft')} />
          </Col>
          <Col xs={24} xl={15}>
            <WorkbookRoundTrip key={base.ref} base={base} />
          </Col>
        </Row>
      )}
    </div>
  );
}

function StartDraftCard({ base, drafts }: { base: RuleSetSummary; drafts: RuleSetSummary[] }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [fiscalYear, setFiscalYear] = useState(base.fiscalYear + 1);
  const start = useMutation<RuleSetWithContent, ApiProblem>({
    mutationFn: () =>
      apiJson<RuleSetWithContent>(`/rule-sets/${encodeURIComponent(base.ref)}/drafts`, {
        method: 'POST',
        body: { fiscalYear },
      }),
    onSuccess: (draft) => {
      void queryClient.invalidateQueries({ queryKey: ruleSetKeys.all });
      navigate(`/app/rule-editor/drafts/${encodeURIComponent(draft.ref)}?against=${encodeURIComponent(base.ref)}`);
    },
  });
  const mine = useMemo(() => drafts.filter((d) => d.ruleSetId === base.ruleSetId), [drafts, base.ruleSetId]);
  return (
    <Card title={<h2 className="card-title">{t.forms.card}</h2>}>
      <Typography.Paragraph type="secondary">{t.forms.cardHint}</Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group
          aria-label={t.forms.targetYear}
          value={fiscalYear}
          onChange={(e) => setFiscalYear(e.target.value as number)}
          options={[
            { value: base.fiscalYear + 1, label: t.forms.nextYear(base.fiscalYear + 1) },
            { value: base.fiscalYear, label: t.forms.sameYear(base.fiscalYear) },
          ]}
        />
        <Button type="primary" loading={start.isPending} onClick={() => start.mutate()}>
          {t.forms.start(base.fiscalYear)}
        </Button>
        {start.error && <ProblemAlert problem={start.error} />}
        {mine.length > 0 && (
          <div>
            <Typography.Text strong>{t.forms.drafts}</Typography.Text>
            <ul className="draft-list">
              {mine.map((d) => (
                <li key={d.ref}>
                  <Link
                    to={`/app/rule-editor/drafts/${encodeURIComponent(d.ref)}?against=${encodeURIComponent(base.ref)}`}
                  >
                    {t.versionLabel(d.title, d.versionNo, t.status.draft)}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        )}
      </Space>
    </Card>
  );
}
