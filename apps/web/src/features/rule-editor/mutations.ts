import { useMutation } from '@tanstack/react-query';
import { App } from 'antd';
import { apiDownload } from '../../api/client';
import type { ApiProblem } from '../../api/problem';
import { zhRuleEditor as t } from '../../i18n/rule-editor.zh-CN';
import type { RuleSetSummary } from './types';

/** Exports the editable workbook of a version through fetch (the key in the header), under the server's name. */
export function useWorkbookExport(base: RuleSetSummary) {
  const { message } = App.useApp();
  return useMutation<string, ApiProblem>({
    mutationFn: () =>
      apiDownload(`/rule-sets/${encodeURIComponent(base.ref)}/workbook.xlsx`, `${base.ruleSetId}-指标体系.xlsx`),
    onSuccess: (name) => void message.success(t.workbook.exported(name)),
  });
}
