import { Navigate, useParams } from 'react-router-dom';
import { useSession } from '../../session/useSession';

/** 本部门自评表: a department's clerk goes straight to their own department's table. */
export default function MyYearPage() {
  const { year } = useParams();
  const session = useSession();
  return <Navigate to={`/app/years/${year}/departments/${session.data?.departmentCode ?? ''}`} replace />;
}
