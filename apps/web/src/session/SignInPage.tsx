import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { apiJson } from '../api/client';
import { ApiProblem } from '../api/problem';
import type { Session } from '../api/types';
import { zh } from '../i18n/zh-CN';
import { problemText } from '../i18n/problems';
import { forgetKey, storeKey } from './key';
import { sessionKeys } from './useSession';

/** Sign in with a 密钥: checked against GET /session before it is kept. */
export default function SignInPage() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const state = location.state as { from?: string; expired?: boolean } | null;
  const from = state?.from;

  async function onFinish(values: { key: string }) {
    setBusy(true);
    setError(null);
    storeKey(values.key.trim());
    try {
      const session = await apiJson<Session>('/session');
      queryClient.clear();
      queryClient.setQueryData(sessionKeys.all, session);
      navigate(from && from.startsWith('/app/') && from !== '/app/sign-in' ? from : '/app', { replace: true });
    } catch (e) {
      forgetKey();
      const problem = e instanceof ApiProblem ? e : undefined;
      setError(
        problem && problem.status === 401
          ? zh.signIn.rejected
          : problemText(problem?.code ?? 'NETWORK', problem?.status ?? 0).title,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in" id="main">
      <Card className="sign-in-card">
        <Typography.Title level={1} className="sign-in-title">
          {zh.signIn.title}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{zh.signIn.intro}</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} message={error} role="alert" className="sign-in-error" />}
        {!error && state?.expired && (
          <Alert type="warning" showIcon title={zh.signIn.expired} role="alert" className="sign-in-error" />
        )}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item
            label={zh.signIn.keyLabel}
            name="key"
            rules={[{ required: true, whitespace: true, message: zh.signIn.keyRequired }]}
          >
            <Input.Password placeholder={zh.signIn.keyPlaceholder} autoComplete="current-password" autoFocus />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {zh.signIn.submit}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
