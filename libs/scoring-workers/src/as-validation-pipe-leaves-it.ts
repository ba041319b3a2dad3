/**
 * A JSON value as the API's validation pipe leaves a plain object nested in a request body (a what-if's inline rule
 * file): Nest's ValidationPipe first deletes the keys `__proto__`, `prototype` and `constructor` (stripProtoKeys),
 * then class-transformer copies every plain object, leaving out the keys of Object.prototype (`constructor`,
 * `toString`, `valueOf`, `hasOwnProperty`, …). The inline rules worker applies this to a rule file whose bytes it
 * received as sent (apps/api/src/what-if/inline-rule-file-body.ts), so that it checks the very file it checked when
 * the request thread parsed it and the pipe walked it; a test holds it to the pipe's own result.
 */
const LEFT_OUT = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

export function asValidationPipeLeavesIt(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asValidationPipeLeavesIt);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!LEFT_OUT.has(key)) copy[key] = asValidationPipeLeavesIt((value as Record<string, unknown>)[key]);
  }
  return copy;
}
