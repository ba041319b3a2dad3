import { App } from 'antd';
import { useState } from 'react';
import { apiDownload, type Query } from '../api/client';
import { ApiProblem } from '../api/problem';
import { problemText } from '../i18n/problems';
import { zh } from '../i18n/zh-CN';

/** A download button's state: which file is being fetched; success and failure said in Chinese. */
export function useDownload() {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  async function download(key: string, path: string, fallbackName: string, query?: Query) {
    setBusy(key);
    try {
      const name = await apiDownload(path, fallbackName, { query });
      message.success(zh.evaluation.exported(name));
    } catch (error) {
      const p = error instanceof ApiProblem ? error : new ApiProblem(0, 'NETWORK', String(error));
      message.error(problemText(p.code, p.status).title);
    } finally {
      setBusy(null);
    }
  }
  return { busy, download };
}
