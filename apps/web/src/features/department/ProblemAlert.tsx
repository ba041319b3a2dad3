import { Alert } from 'antd';
import { ApiProblem } from '../../api/problem';
import { problemText } from '../../i18n/problems';
import { plainText } from '../../shared/plainText';

/**
 * A refusal shown inline, in Chinese: what the API said and every detail with its place as users know it (the
 * workbook's sheet!cell, or the field's 填报项「…」), its message and its JSON pointer.
 */
export function ProblemAlert({
  error,
  title,
  names,
}: {
  error: unknown;
  title?: string;
  /** department code → name, so that a refusal names the department as the clerk knows it */
  names?: Record<string, string>;
}) {
  const problem = error instanceof ApiProblem ? error : new ApiProblem(0, 'NETWORK', String(error));
  const text = problemText(problem.code, problem.status);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={title ?? text.title}
      description={
        <div>
          {problem.message && /[\u4e00-\u9fff]/.test(problem.message) && <div>{plainText(problem.message, names)}</div>}
          {problem.details.length > 0 && (
            <ul aria-label="需要修改的项目" className="problem-details">
              {problem.details.map((d, i) => (
                <li key={`${d.pointer}-${i}`}>
                  {d.path && <strong className="problem-place">{d.path}：</strong>}
                  {plainText(d.message, names)} <code className="pointer">{d.pointer}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
      }
    />
  );
}
