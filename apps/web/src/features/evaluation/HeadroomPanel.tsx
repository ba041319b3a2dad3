import { ExperimentOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, List, Space, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { apiJson } from '../../api/client';
import type { Evaluation } from '../../api/types';
import { zh } from '../../i18n/zh-CN';
import { Score } from '../../shared/Score';
import { PageSpinner } from '../../app/PageSpinner';
import { evaluationKeys } from './keys';

interface HeadroomOption {
  kind: string;
  step: string;
  label: string;
  pointer: string;
  from: unknown;
  to: unknown;
  scoreTo: string;
  gain: string;
  total: string;
  calc?: string;
  changes: { pointer: string; value: unknown }[];
}
interface Headroom {
  total: string;
  maxTotal: string;
  grade: string;
  totalLost: string;
  nextGrade: { label: string; min: string; needed: string; reachable: boolean } | null;
  plan: {
    needed: string;
    steps: { code: string; name: string; option: HeadroomOption }[];
    verified: { total: string; grade: string };
  } | null;
  lost: {
    code: string;
    name: string;
    score: string;
    max: string;
    lost: string;
    reason: string;
    options: HeadroomOption[];
  }[];
}

function show(value: unknown): string {
  return value === true || value === 'true' ? '是' : value === false || value === 'false' ? '否' : String(value);
}

/** 距离下一等次: the API's headroom; each option opens 模拟 with its values filled in. */
export function HeadroomPanel({ evaluation }: { evaluation: Evaluation }) {
  const navigate = useNavigate();
  const { fiscalYear: year, departmentCode: code, id } = evaluation;
  const headroom = useQuery({
    queryKey: evaluationKeys.headroom(year, code, id),
    queryFn: ({ signal }) =>
      apiJson<Headroom>(`/departments/${encodeURIComponent(code)}/years/${year}/evaluations/${id}/headroom`, {
        signal,
      }),
  });
  if (headroom.isPending) return <PageSpinner />;
  const h = headroom.data!;
  const open = (changes: { pointer: string; value: unknown }[]) => {
    const params = new URLSearchParams();
    for (const c of changes) params.append('set', `${c.pointer}=${String(c.value)}`);
    navigate(`/app/years/${year}/departments/${encodeURIComponent(code)}/what-if?${params.toString()}`);
  };
  const option = (o: HeadroomOption, name: string) => (
    <div className="headroom-option">
      <div>
        {o.label}：{show(o.from)} → <strong>{show(o.to)}</strong>，{name} 得 <Score value={o.scoreTo} />（
        <span className="delta-up">+{o.gain}</span>），{zh.headroom.totalBecomes} <Score value={o.total} />
        {o.calc && <div className="headroom-calc">{o.calc}</div>}
      </div>
      <Button
        size="small"
        icon={<ExperimentOutlined />}
        onClick={() => open(o.changes)}
        aria-label={`${zh.headroom.simulate}：${o.label} ${show(o.to)}`}
      >
        {zh.headroom.simulate}
      </Button>
    </div>
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {h.nextGrade ? (
        <Alert
          type={h.nextGrade.reachable ? 'info' : 'warning'}
          showIcon
          title={zh.headroom.gap(h.nextGrade.label, h.nextGrade.needed)}
          description={h.nextGrade.reachable ? undefined : zh.headroom.unreachable}
        />
      ) : (
        <Alert type="success" showIcon title={zh.headroom.top(h.grade, h.totalLost)} />
      )}
      {h.plan && (
        <Card size="small" title={zh.headroom.plan(h.plan.needed)}>
          {h.plan.steps.map((s) => (
            <div key={s.code}>{option(s.option, s.name)}</div>
          ))}
          <Typography.Paragraph>
            {zh.headroom.verified(h.plan.verified.total, h.plan.verified.grade)}
          </Typography.Paragraph>
          <Button
            type="primary"
            icon={<ExperimentOutlined />}
            onClick={() => open(h.plan!.steps.flatMap((s) => s.option.changes))}
          >
            {zh.headroom.simulatePlan}
          </Button>
        </Card>
      )}
      <List
        header={<strong>{zh.headroom.lostList}</strong>}
        bordered
        dataSource={h.lost}
        renderItem={(l) => (
          <List.Item>
            <div style={{ width: '100%' }}>
              <div>
                <strong>{l.name}</strong> <Tag color="red">-{l.lost}</Tag> {zh.headroom.scoreOf(l.score, l.max)} ·{' '}
                {l.reason}
              </div>
              {l.options.length === 0 ? (
                <Typography.Text type="secondary">{zh.headroom.noOption}</Typography.Text>
              ) : (
                l.options.map((o, i) => <div key={`${o.pointer}-${i}`}>{option(o, l.name)}</div>)
              )}
            </div>
          </List.Item>
        )}
      />
    </Space>
  );
}
