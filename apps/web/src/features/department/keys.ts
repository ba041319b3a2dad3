/** Query keys of the department's journeys; they start with the year, so one invalidation reaches every view of it. */
export const departmentYearKeys = {
  year: (year: number) => ['years', year] as const,
  department: (year: number, code: string) => [...departmentYearKeys.year(year), 'departments', code] as const,
  status: (year: number, code: string) => [...departmentYearKeys.department(year, code), 'status'] as const,
};
