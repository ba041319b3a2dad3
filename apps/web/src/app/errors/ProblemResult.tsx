import { Button, Collapse, Result } from 'antd';
import type { ResultProps } from 'antd';
import { useNavigate } from 'react-router-dom';
import type { ApiProblem } from '../../api/problem';
import { problemText } from '../../i18n/problems';
import { zh } from '../../i18n/zh-CN';
import { forgetKey } from '../../session/key';

function resultStatus(problem: ApiProblem): ResultProps['status'] {
  if (problem.status === 403) return '403';
  if (problem.status === 404) return '404';
  if (problem.status >= 500 || problem.status === 0) return 'error';
  return 'warning';
}

/** A refusal or failure as a page in Chinese: what happened, what to do, and the technical details folded away. */
export function ProblemResult({ problem, onRetry }: { problem: ApiProblem; onRetry?: () => void }) {
  const navigate = useNavigate();
  const text = problemText(problem.code, problem.status);
  const extra =
    problem.status === 401 ? (
      <Button
        type="primary"
        onClick={() => {
          forgetKey();
          navigate('/app/sign-in', { state: { expired: true } });
        }}
      >
        {zh.errors.signInAgain}
      </Button>
    ) : (
      onRetry && <Button onClick={onRetry}>{zh.errors.retry}</Button>
    );
  return (
    <Result
      status={resultStatus(problem)}
      title={<h1 className="result-title">{text.title}</h1>}
      subTitle={text.hint}
      extra={extra}
    >
      {problem.details.length > 0 && (
        <ul aria-label={zh.errors.detailsLabel}>
          {problem.details.map((d) => (
            <li key={d.pointer}>
              {d.path ?? d.message} <code>{d.pointer}</code>
            </li>
          ))}
        </ul>
      )}
      <Collapse
        ghost
        items={[
          {
            key: 'tech',
            label: zh.errors.tech(problem.code),
            children: (
              <dl className="tech-details">
                <dt>HTTP</dt>
                <dd>{problem.status || '—'}</dd>
                {problem.requestId && (
                  <>
                    <dt>{zh.errors.requestId}</dt>
                    <dd>{problem.requestId}</dd>
                  </>
                )}
                <dt>message</dt>
                <dd>{problem.message || '—'}</dd>
              </dl>
            ),
          },
        ]}
      />
    </Result>
  );
}
