import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { zh } from '../../i18n/zh-CN';

function BackHome() {
  const navigate = useNavigate();
  return (
    <Button type="primary" onClick={() => navigate('/app')}>
      {zh.errors.backHome}
    </Button>
  );
}

export function NotFoundPage() {
  return (
    <Result
      status="404"
      title={<h1 className="result-title">{zh.errors.notFoundTitle}</h1>}
      subTitle={zh.errors.notFoundHint}
      extra={<BackHome />}
    />
  );
}

export function ForbiddenPage({ roleLabel }: { roleLabel: string }) {
  return (
    <Result
      status="403"
      title={<h1 className="result-title">{zh.errors.forbiddenPage}</h1>}
      subTitle={zh.errors.forbiddenPageHint(roleLabel)}
      extra={<BackHome />}
    />
  );
}
