import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiJson } from '../../api/client';

export interface OverviewQuery {
  status?: string;
  grade?: string;
  sort?: string;
  offset?: number;
  limit?: number;
}

export interface OverviewItem {
  departmentCode: string;
  departmentName: string;
  region: string;
  retired: boolean;
  status: string;
  statusLabel: string;
  submittedRevision: number | null;
  submittedAt: string | null;
  late: boolean;
  evaluationId: string | null;
  selfScore: string | null;
  reviewScore: string | null;
  total: string | null;
  grade: string | null;
  rank: number | null;
}

export interface Overview {
  fiscalYear: number;
  items: OverviewItem[];
  total: number;
  next: number | null;
  summary: {
    departments: number;
    scored: number;
    late: number;
    byStatus: { status: string; label: string; count: number }[];
    byGrade: { grade: string; count: number }[];
    mean: string | null;
    median: string | null;
    highest: string | null;
    lowest: string | null;
  };
}

export const overviewKeys = {
  all: ['evaluations'] as const,
  year: (year: number) => [...overviewKeys.all, year] as const,
  overview: (year: number, q: OverviewQuery) => [...overviewKeys.year(year), 'overview', q] as const,
};

/** GET /years/{year}/overview: one page, the server's total; the rows stay while the next page loads. */
export const overviewOptions = (year: number, q: OverviewQuery) =>
  queryOptions({
    queryKey: overviewKeys.overview(year, q),
    queryFn: ({ signal }) => apiJson<Overview>(`/years/${year}/overview`, { query: { ...q }, signal }),
    placeholderData: keepPreviousData,
  });
