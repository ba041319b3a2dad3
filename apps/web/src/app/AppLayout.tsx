import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Layout, Menu, Select, Space, Typography } from 'antd';
import type { PropsWithChildren } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import type { Role } from '../api/types';
import { zh } from '../i18n/zh-CN';
import { hasRole } from '../session/can';
import { forgetKey, sessionKey } from '../session/key';
import { useSession } from '../session/useSession';
import { ForbiddenPage } from './errors/NotFoundPage';
import { PageBoundary } from './errors/PageBoundary';
import { ProblemResult } from './errors/ProblemResult';
import { PageSpinner } from './PageSpinner';
import { homePath, ROUTES } from './routes';
import { useCurrentYear, useYears } from './useYear';
import { ApiProblem } from '../api/problem';

/** The shell: header with year and user, the role's menu, and the page inside its error boundary. */
export function AppLayout() {
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession();
  const year = useCurrentYear();
  const years = useYears();

  // a key the API no longer accepts (revoked, expired): forgotten, and the sign-in page says why — also on the
  // render after forgetKey, when there is no key any more but the session's 401 is still there
  const refused = session.error instanceof ApiProblem && session.error.status === 401;
  if (sessionKey() === null || refused) {
    if (refused) forgetKey();
    return <Navigate to="/app/sign-in" replace state={{ from: location.pathname, expired: refused }} />;
  }
  if (session.isPending) return <PageSpinner />;
  if (session.error) {
    const problem = session.error instanceof ApiProblem ? session.error : undefined;
    return (
      <main id="main">
        <ProblemResult
          problem={problem ?? new ApiProblem(0, 'NETWORK', String(session.error))}
          onRetry={() => session.refetch()}
        />
      </main>
    );
  }
  const me = session.data;
  const items = ROUTES.filter((r) => r.menu && r.menuPath && r.roles.includes(me.role)).map((r) => {
    const to = r.menuPath!({ year, departmentCode: me.departmentCode });
    return { key: to, label: <Link to={to}>{r.menu}</Link> };
  });
  const selected = items.filter((i) => location.pathname.startsWith(i.key)).map((i) => i.key);
  const yearOptions = (years.data?.length ? years.data : [year]).map((y) => ({
    value: y,
    label: zh.app.yearOption(y),
  }));

  function signOut() {
    forgetKey();
    queryClient.clear();
    navigate('/app/sign-in', { replace: true });
  }

  function changeYear(next: number) {
    const path = location.pathname.replace(/\/app\/years\/\d+/, `/app/years/${next}`);
    navigate(path === location.pathname ? homePath(me.role, next, me.departmentCode) : path);
  }

  return (
    <Layout className="app-layout">
      <a className="skip-link" href="#main">
        {zh.app.skipToContent}
      </a>
      <Layout.Header className="app-header">
        <Link to="/app" className="brand" aria-label={`${zh.app.name} ${zh.app.subtitle}`}>
          <span className="brand-name">{zh.app.name}</span>
          <span className="brand-sub">{zh.app.subtitle}</span>
        </Link>
        <Space size="middle" className="header-right">
          <Select
            aria-label={zh.app.year}
            value={year}
            options={yearOptions}
            onChange={changeYear}
            style={{ width: 120 }}
          />
          <span className="user">
            <UserOutlined aria-hidden /> {me.user.name}（{me.roleLabel}）
          </span>
          <Button icon={<LogoutOutlined />} onClick={signOut}>
            {zh.app.signOut}
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} theme="light" className="app-sider" breakpoint="lg" collapsedWidth={0}>
          <nav aria-label="主菜单">
            <Menu mode="inline" selectedKeys={selected} items={items} />
          </nav>
        </Layout.Sider>
        <Layout.Content className="app-content">
          <div id="main" tabIndex={-1}>
            <PageBoundary>
              <Outlet />
            </PageBoundary>
          </div>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** /app: where the role starts. */
export function HomeRedirect() {
  const session = useSession();
  const year = useCurrentYear();
  const years = useYears();
  if (!session.data || years.isPending) return <PageSpinner />;
  return <Navigate to={homePath(session.data.role, year, session.data.departmentCode)} replace />;
}

/** A page the role may not open is a page saying so (the API refuses its data anyway). */
export function RouteGuard({ roles, children }: PropsWithChildren<{ roles: readonly Role[] }>) {
  const session = useSession();
  if (!hasRole(session.data, roles)) return <ForbiddenPage roleLabel={session.data?.roleLabel ?? ''} />;
  return <>{children}</>;
}

export const Title = Typography.Title;
