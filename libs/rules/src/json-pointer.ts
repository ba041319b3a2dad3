import { localized, type Localized } from './localized';

/**
 * JSON pointers (RFC 6901), the one implementation of the code base: every module that builds, reads or compares a
 * pointer — validation details, what-if changes, adjustments (复核), headroom suggestions, workbook cells — goes
 * through these functions, so that a pointer one of them writes is read the same way by every other.
 *
 * A pointer is "" (the whole document) or a sequence of "/"-prefixed reference tokens; in a token "~" is written
 * "~0" and "/" is written "~1", and a "~" followed by anything else makes the text not a pointer.
 */

/** Escapes one reference token ("~" → "~0", "/" → "~1"); a token with neither, the usual case, is kept as is. */
export function escapePointerToken(token: string | number): string {
  const text = String(token);
  return text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text;
}

/** Unescapes one reference token ("~1" → "/", then "~0" → "~", in that order as RFC 6901 §4 requires). */
export function unescapePointerToken(token: string): string {
  return token.includes('~') ? token.replace(/~1/g, '/').replace(/~0/g, '~') : token;
}

/** Builds a pointer from unescaped tokens: toPointer('inputs', 'a/b') → "/inputs/a~1b"; no tokens → "". */
export function toPointer(...tokens: Array<string | number>): string {
  let pointer = '';
  for (const token of tokens) pointer += '/' + escapePointerToken(token);
  return pointer;
}

/** Appends tokens to an existing pointer: childPointer('/changes', 0, 'value') → "/changes/0/value". */
export function childPointer(base: string, ...tokens: Array<string | number>): string {
  return base + toPointer(...tokens);
}

/** Why a text is not an RFC 6901 pointer, in both languages; undefined when it is one. */
export function pointerProblem(pointer: unknown): Localized | undefined {
  if (typeof pointer !== 'string') {
    return localized(
      '应为 JSON 指针字符串，如 /inputs/procurementActual',
      'a JSON pointer string, e.g. /inputs/procurementActual',
    );
  }
  if (pointer !== '' && !pointer.startsWith('/')) {
    return localized(
      `“${pointer}”不是 JSON 指针：指针以“/”开头（RFC 6901），如 /inputs/procurementActual`,
      'a JSON pointer starts with "/" (RFC 6901), e.g. /inputs/procurementActual',
    );
  }
  if (/~(?![01])/.test(pointer)) {
    return localized(
      'JSON 指针中“~”后只能是 0 或 1（RFC 6901）：~0 表示“~”，~1 表示“/”',
      '"~" must be followed by 0 or 1 in a JSON pointer (RFC 6901): ~0 is "~", ~1 is "/"',
    );
  }
  return undefined;
}

/** The unescaped reference tokens of a pointer ("" → [], "/inputs/a~1b" → ["inputs", "a/b"]); undefined if invalid. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointerProblem(pointer) !== undefined) return undefined;
  return pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointerToken);
}

/** Whether `inner` is `outer` or lies below it ("/inputs/a/b" is within "/inputs/a", not within "/inputs/ab"). */
export function isPointerWithin(inner: string, outer: string): boolean {
  return inner === outer || outer === '' || inner.startsWith(outer + '/');
}

/** Whether one pointer is the other, lies below it or above it (a problem at either may be caused by the other). */
export function arePointersRelated(a: string, b: string): boolean {
  return isPointerWithin(a, b) || isPointerWithin(b, a);
}

/**
 * The value at a pointer in a JSON document, walking own members of objects and list indexes only (never a
 * prototype); undefined when the pointer is invalid or leads nowhere.
 */
export function valueAtPointer(document: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (!tokens) return undefined;
  let node: unknown = document;
  for (const token of tokens) {
    if (Array.isArray(node)) {
      if (!isArrayIndex(token) || Number(token) >= node.length) return undefined;
      node = node[Number(token)];
    } else if (node !== null && typeof node === 'object' && Object.hasOwn(node, token)) {
      node = (node as Record<string, unknown>)[token];
    } else return undefined;
  }
  return node;
}

/** A list index token: "0" or a number without leading zeros (RFC 6901 §4). */
export function isArrayIndex(token: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(token);
}
