import { Alert } from 'antd';
import type { ApiProblem } from '../../api/problem';
import { problemText } from '../../i18n/problems';
import { plainText } from '../../shared/plainText';

/** A refused action under the button that caused it: the API's Chinese message and every detail with its place. */
export function ProblemAlert({ problem }: { problem: ApiProblem }) {
  const text = problemText(problem.code, problem.status);
  return (
    <Alert
      type="error"
      showIcon
      message={plainText(problem.message) || text.title}
      description={
        problem.details.length > 0 ? (
          <ul className="problem-details">
            {problem.details.map((d, i) => (
              <li key={`${d.pointer}#${i}`}>
                {d.path ? `${d.path}：` : ''}
                {plainText(d.message)}
              </li>
            ))}
          </ul>
        ) : (
          text.hint
        )
      }
    />
  );
}
