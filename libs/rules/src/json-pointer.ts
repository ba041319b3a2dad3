/** Builds an RFC 6901 JSON pointer from path segments. */
export function toPointer(...segments: Array<string | number>): string {
  return segments.map((segment) => '/' + String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Appends segments to an existing pointer. */
export function childPointer(base: string, ...segments: Array<string | number>): string {
  return base + toPointer(...segments);
}
