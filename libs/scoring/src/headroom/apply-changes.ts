/** A value to set at a JSON pointer: the same `{ pointer, value }` a what-if change takes. */
export interface PointerChange {
  pointer: string;
  value: unknown;
}

/** A stable key of a set of changes (for memoizing scorings). */
export const changesKey = (changes: readonly PointerChange[]): string =>
  JSON.stringify([...changes].sort((a, b) => a.pointer.localeCompare(b.pointer)).map((c) => [c.pointer, c.value]));
