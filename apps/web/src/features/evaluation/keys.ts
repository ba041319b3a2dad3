/** Query keys start with the year: one invalidation reaches every view of it. */
export const evaluationKeys = {
  all: ['evaluations'] as const,
  year: (year: number) => [...evaluationKeys.all, year] as const,
  department: (year: number, code: string) => [...evaluationKeys.year(year), 'department', code] as const,
  latest: (year: number, code: string) => [...evaluationKeys.department(year, code), 'latest'] as const,
  list: (year: number, code: string) => [...evaluationKeys.department(year, code), 'list'] as const,
  headroom: (year: number, code: string, id: string) =>
    [...evaluationKeys.department(year, code), 'headroom', id] as const,
};
export const departmentKeys = {
  all: ['departments'] as const,
  one: (code: string) => [...departmentKeys.all, code] as const,
};
