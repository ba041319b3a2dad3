import { Alert } from 'antd';
import { formatTime } from '../features/department/format';
import type { DepartmentYear } from '../features/department/types';
import { departmentZh } from '../i18n/zh-CN.department';
import { plainText } from './plainText';

const t = departmentZh.notice;

/**
 * The department's year as a clerk needs it above a form: which department and year, the state in words, what
 * happened, what to do next and, after a 退回, the evaluator's reason. Written from the year's fields, never from the
 * API's refusal (which names the department by code and the route that would undo it).
 */
export function YearStateNotice({ year, editable }: { year: DepartmentYear; editable: boolean }) {
  const revision = year.submitted?.revision ?? null;
  const title = t.title(year.departmentName, year.fiscalYear, year.statusLabel);
  const reason = year.lastReturn?.reason;
  if (editable) {
    if (year.status !== 'returned' || !year.lastReturn) return null;
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="year-notice"
        title={title}
        description={
          <div>
            <div>{t.returned(formatTime(year.lastReturn.at), year.lastReturn.by)}</div>
            <div>
              <strong>{t.returnReason(year.lastReturn.reason)}</strong>
            </div>
            <div>{t.fixAndResubmit}</div>
          </div>
        }
      />
    );
  }
  const lines: string[] = [];
  switch (year.status) {
    case 'submitted':
      lines.push(t.submitted(revision, formatTime(year.submitted?.at)), t.askReturn);
      break;
    case 'scored':
      lines.push(t.scored(revision), t.askReturn);
      break;
    case 'reviewed':
      lines.push(t.reviewed(revision), t.askReturn);
      break;
    case 'finalised':
      lines.push(t.finalised(formatTime(year.finalised?.at)), t.askReopen);
      break;
    default: {
      // a state this notice has no words of its own for: the API's reason, without codes or routes
      const why = year.actions.find((a) => a.action === 'edit')?.reason;
      if (why) lines.push(plainText(why, { [year.departmentCode]: year.departmentName }));
    }
  }
  if (reason) lines.push(t.earlierReturnReason(reason));
  return (
    <Alert
      type="info"
      showIcon
      data-testid="year-notice"
      title={title}
      description={
        <div>
          {lines.map((line) => (
            <div key={line}>{line}</div>
          ))}
        </div>
      }
    />
  );
}
