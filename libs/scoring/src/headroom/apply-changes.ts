/** A value to set at a JSON pointer. */
export interface PointerChange {
  pointer: string;
  value: unknown;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The segments of an RFC 6901 JSON pointer ("/inputs/a~1b" → ["inputs", "a/b"]). */
function segmentsOf(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * A copy of a submission with each change set at its pointer (objects along the way are created when missing).
 * The submission itself is never modified.
 */
export function applyChanges(submission: unknown, changes: readonly PointerChange[]): unknown {
  const copy = structuredClone(submission) as Json;
  for (const { pointer, value } of changes) {
    const segments = segmentsOf(pointer);
    let node: Json = copy;
    for (const segment of segments.slice(0, -1)) {
      if (!isObject(node[segment])) node[segment] = {};
      node = node[segment] as Json;
    }
    node[segments[segments.length - 1]] = value;
  }
  return copy;
}

/** A stable key of a set of changes (for memoizing scorings). */
export const changesKey = (changes: readonly PointerChange[]): string =>
  JSON.stringify([...changes].sort((a, b) => a.pointer.localeCompare(b.pointer)).map((c) => [c.pointer, c.value]));
