import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { PropsWithChildren } from 'react';
import { ApiProblem } from '../api/problem';

dayjs.locale('zh-cn');

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // throw to the page's boundary only when there is nothing to show; a failed background refresh keeps the data
      throwOnError: (_error, query) => query.state.data === undefined,
      retry: (count, error) => !(error instanceof ApiProblem && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

/** System fonts only (bureau intranets are often offline: no web fonts), Chinese ones first. */
const FONT_FAMILY =
  "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', -apple-system, 'Segoe UI', sans-serif";

/** Government blue; secondary texts and links dark enough for WCAG AA contrast (4.5:1) on white and grey. */
const THEME = {
  token: {
    fontFamily: FONT_FAMILY,
    colorPrimary: '#1d4f91',
    colorLink: '#1d4f91',
    colorInfo: '#1d4f91',
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.58)',
    colorError: '#c41d1d',
    borderRadius: 4,
  },
};

export function Providers({ children }: PropsWithChildren) {
  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider locale={zhCN} theme={THEME}>
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
