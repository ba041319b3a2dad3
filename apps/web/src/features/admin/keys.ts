/** Query keys of the admin pages, general to specific. */
export const adminKeys = {
  departments: ['departments'] as const,
  departmentList: (q: { region?: string; status?: string }) => [...adminKeys.departments, 'list', q] as const,
  users: ['users'] as const,
  apiKeys: ['api-keys'] as const,
};
