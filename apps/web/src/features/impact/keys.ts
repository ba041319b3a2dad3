/** 影响分析 query keys: a job, then its pages of departments. */
export const impactKeys = {
  all: ['jobs'] as const,
  job: (id: string) => [...impactKeys.all, id] as const,
  rows: (id: string, query: Record<string, string | number>) => [...impactKeys.job(id), 'departments', query] as const,
};
