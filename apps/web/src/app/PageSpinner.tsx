import { Spin } from 'antd';
import { zh } from '../i18n/zh-CN';

export function PageSpinner() {
  return (
    <div className="page-spinner" role="status" aria-live="polite">
      <Spin />
      <span>{zh.app.loading}</span>
    </div>
  );
}
