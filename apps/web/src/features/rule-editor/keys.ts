/** Rule sets by reference; the list first. */
export const ruleSetKeys = {
  all: ['rule-sets'] as const,
  list: () => [...ruleSetKeys.all, 'list'] as const,
  one: (ref: string) => [...ruleSetKeys.all, 'one', ref] as const,
  check: (against: string, replaces: string, checksum: string) =>
    [...ruleSetKeys.all, 'check', against, replaces, checksum] as const,
};
