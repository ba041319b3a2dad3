import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Descriptions, Result, Row, Space, Statistic, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { zh } from '../../i18n/zh-CN';
import { useSession } from '../../session/useSession';
import { GradeTag, Score } from '../../shared/Score';
import { PageSpinner } from '../../app/PageSpinner';
import { plainText } from '../../shared/plainText';
import { formatTime } from './format';
import { departmentYearOptions } from './queries';
import type { DepartmentYear } from './types';

const t = zh.department.year;

/** Where a missing item is done. */
function missingLink(item: string, year: number): string | undefined {
  if (item === 'targets' || item === 'targets-approval') return `/app/years/${year}/my/targets`;
  if (item === 'submission' || item === 'resubmission' || item === 'submit') return `/app/years/${year}/my/submission`;
  return undefined;
}

function Deadline({ label, due, late }: { label: string; due: string | null; late: boolean }) {
  return (
    <Descriptions.Item label={label}>
      {due ? formatTime(due) : t.noDeadline}
      {late && (
        <Tag color="red" style={{ marginLeft: 8 }}>
          {t.late}
        </Tag>
      )}
    </Descriptions.Item>
  );
}

function revisionText(n: number | null): string {
  return n === null ? t.none : t.revision(n);
}

/** 这一年要做什么: the department's year at a glance. */
export default function YearPage() {
  const { year: yearParam } = useParams();
  const year = Number.parseInt(yearParam ?? '', 10);
  const session = useSession();
  const code = session.data?.departmentCode ?? '';
  const query = useQuery({ ...departmentYearOptions(year, code), enabled: code !== '' });
  if (!query.data) return <PageSpinner />;
  const y: DepartmentYear = query.data;
  const submittedAfterReturn = y.lastReturn && y.status !== 'returned';
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={1} className="page-title">
        {t.title(y.departmentName, y.fiscalYear)}
      </Typography.Title>
      <Card>
        <Space size="large" wrap>
          <span>
            {t.status}：
            <Tag data-testid="year-status" className={`status-tag status-${y.status}`}>
              {y.statusLabel}
            </Tag>
          </span>
          {y.score && (
            <span>
              {t.officialTotal}：<Score value={y.score.total} /> <GradeTag grade={y.score.grade} />
            </span>
          )}
        </Space>
      </Card>
      {y.lastReturn && (
        <Alert
          type={submittedAfterReturn ? 'info' : 'warning'}
          showIcon
          role="alert"
          message={submittedAfterReturn ? t.returnedEarlier : t.returned}
          description={
            <div data-testid="return-reason">
              <div>
                {t.returnReason}：{y.lastReturn.reason}
              </div>
              <Typography.Text type="secondary">
                {t.returnedBy(y.lastReturn.by, formatTime(y.lastReturn.at))}
              </Typography.Text>
            </div>
          }
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-title">{t.todo}</h2>}>
            {y.missing.length === 0 ? (
              <Result status="success" title={t.nothingMissing} style={{ padding: 8 }} />
            ) : (
              <ul aria-label={t.todo} className="todo-list">
                {y.missing.map((m) => {
                  const to = missingLink(m.item, year);
                  return (
                    <li key={m.item}>
                      <span>{plainText(m.message, { [y.departmentCode]: y.departmentName })}</span>
                      {to && <Link to={to}>{t.goTo}</Link>}
                    </li>
                  );
                })}
              </ul>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-title">{t.deadlines}</h2>}>
            <Descriptions column={1} size="small" bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
              {Deadline({ label: t.targetsDue, due: y.deadlines.targetsDue, late: y.deadlines.targetsLate })}
              {Deadline({
                label: t.submissionDue,
                due: y.deadlines.submissionDue,
                late: y.submitted?.late ?? false,
              })}
            </Descriptions>
            {y.deadlines.blockLateSubmissions && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {t.blockLate}
              </Typography.Paragraph>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-title">{t.progress}</h2>}>
            <Descriptions column={1} size="small" bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
              <Descriptions.Item label={t.targetsDeclared}>{revisionText(y.targets.latestRevision)}</Descriptions.Item>
              <Descriptions.Item label={t.targetsApproved}>
                {revisionText(y.targets.approvedRevision)}
              </Descriptions.Item>
              {y.targets.pendingRevision !== null && (
                <Descriptions.Item label={t.targetsPending}>
                  {revisionText(y.targets.pendingRevision)}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t.latestData}>{revisionText(y.latestRevision)}</Descriptions.Item>
              <Descriptions.Item label={t.submitted}>
                {y.submitted
                  ? t.submittedAt(y.submitted.revision, formatTime(y.submitted.at), y.submitted.by)
                  : t.notSubmitted}
              </Descriptions.Item>
              {y.reviewed && (
                <Descriptions.Item label={t.reviewed}>
                  {formatTime(y.reviewed.at)}（{y.reviewed.by}）
                </Descriptions.Item>
              )}
              {y.finalised && (
                <Descriptions.Item label={t.finalised}>
                  {formatTime(y.finalised.at)}（{y.finalised.by}）
                </Descriptions.Item>
              )}
            </Descriptions>
            <Space style={{ marginTop: 12 }} wrap>
              <Link to={`/app/years/${year}/my/targets`}>{zh.menu.targets}</Link>
              <Link to={`/app/years/${year}/my/submission`}>{zh.menu.submission}</Link>
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-title">{t.score}</h2>}>
            {y.score ? (
              <div data-testid="official-score">
                <Space size="large" wrap>
                  <Statistic
                    title={t.officialTotal}
                    value={y.score.total}
                    formatter={(v) => <Score value={String(v)} />}
                  />
                  <Statistic
                    title={t.grade}
                    value={y.score.grade}
                    formatter={() => <GradeTag grade={y.score?.grade} />}
                  />
                  <Statistic
                    title={t.selfScore}
                    value={y.score.selfScore}
                    formatter={(v) => <Score value={String(v)} />}
                  />
                  {y.score.reviewScore !== null && (
                    <Statistic
                      title={t.reviewScore}
                      value={y.score.reviewScore}
                      formatter={(v) => <Score value={String(v)} />}
                    />
                  )}
                </Space>
                <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                  {t.scoredAt(formatTime(y.score.scoredAt))}
                </Typography.Paragraph>
                <Link to={`/app/years/${year}/my/results`}>{t.openTable}</Link>
              </div>
            ) : (
              <Typography.Paragraph>{t.notScored}</Typography.Paragraph>
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
