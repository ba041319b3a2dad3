/** Escapes one pointer segment ("~" → "~0", "/" → "~1"); a segment with neither, the usual case, is kept as is. */
const escapeSegment = (segment: string | number): string => {
  const text = String(segment);
  return text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text;
};

/** Builds an RFC 6901 JSON pointer from path segments. */
export function toPointer(...segments: Array<string | number>): string {
  let pointer = '';
  for (const segment of segments) pointer += '/' + escapeSegment(segment);
  return pointer;
}

/** Appends segments to an existing pointer. */
export function childPointer(base: string, ...segments: Array<string | number>): string {
  return base + toPointer(...segments);
}
