import { queryOptions } from '@tanstack/react-query';
import { apiJson } from '../../api/client';
import { impactKeys } from './keys';
import { FINISHED, type ImpactJob, type ImpactRowPage } from './types';

/** The job, polled every second until it has ended: the progress bar reads the job, not a long request. */
export const impactJobOptions = (id: string) =>
  queryOptions({
    queryKey: impactKeys.job(id),
    queryFn: ({ signal }) => apiJson<ImpactJob>(`/jobs/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: (query) => (query.state.data && FINISHED.includes(query.state.data.status) ? false : 1000),
  });

/** A page of a finished job's departments (sorted and filtered by the API). */
export const impactRowsOptions = (id: string, query: Record<string, string | number>) =>
  queryOptions({
    queryKey: impactKeys.rows(id, query),
    queryFn: ({ signal }) =>
      apiJson<ImpactRowPage>(`/jobs/${encodeURIComponent(id)}/result/departments`, { query, signal }),
    staleTime: Infinity,
  });
