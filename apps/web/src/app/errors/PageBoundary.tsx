import { QueryErrorResetBoundary } from '@tanstack/react-query';
import { Button, Result } from 'antd';
import type { PropsWithChildren } from 'react';
import { ErrorBoundary } from 'react-error-boundary';
import { useLocation } from 'react-router-dom';
import { toProblem } from '../../api/problem';
import { zh } from '../../i18n/zh-CN';
import { ProblemResult } from './ProblemResult';

/** After a deploy, an old page asks for a chunk that no longer exists. */
function isStaleChunk(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Failed to fetch dynamically imported module|Importing a module script failed|error loading dynamically imported module/i.test(
    message,
  );
}

/** Around every page: an error shows as a page in Chinese with 重试, never a blank screen. */
export function PageBoundary({ children }: PropsWithChildren) {
  const { pathname } = useLocation();
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <ErrorBoundary
          onReset={reset}
          resetKeys={[pathname]}
          fallbackRender={({ error, resetErrorBoundary }) =>
            isStaleChunk(error) ? (
              <Result
                status="info"
                title={zh.errors.staleTitle}
                subTitle={zh.errors.staleHint}
                extra={
                  <Button type="primary" onClick={() => location.reload()}>
                    {zh.errors.refresh}
                  </Button>
                }
              />
            ) : (
              <ProblemResult problem={toProblem(error)} onRetry={resetErrorBoundary} />
            )
          }
        >
          {children}
        </ErrorBoundary>
      )}
    </QueryErrorResetBoundary>
  );
}
