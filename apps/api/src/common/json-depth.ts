import type { IncomingMessage, ServerResponse } from 'node:http';
import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from './json-bytes';

/**
 * The deepest nesting of arrays and objects a JSON body may have. The shipped rule files nest 13 deep and a what-if
 * with an inline rule file some 16; nothing a user sends legitimately comes near. Checked on the raw bytes, before
 * any recursive step (the validation pipe and class-transformer walk a body recursively: 1,500 levels overflowed
 * the stack and answered 500).
 */
export const MAX_JSON_DEPTH = 64;

/** Thrown from body-parser's `verify`: body-parser passes it on with this status and type to the exception filter. */
export class JsonTooDeepError extends Error {
  readonly status = 422;
  readonly statusCode = 422;
  readonly type = 'entity.too.deep';
  readonly expose = true;

  constructor(
    readonly pointer: string,
    readonly limit: number,
  ) {
    super(`the JSON body nests deeper than ${limit} levels at ${pointer || '/'}`);
    this.name = 'JsonTooDeepError';
  }
}

interface Frame {
  array: boolean;
  /** The element index (arrays) or the last key read (objects), as a JSON pointer token. */
  token: string;
}

/**
 * Where a JSON text first nests deeper than `limit` (a JSON pointer to the container that is one level too deep), or
 * undefined when it does not. One pass over the bytes, no recursion, no parsing of values: strings are skipped
 * (escapes included), brackets counted. UTF-8 multi-byte sequences never contain ASCII bytes, so bytes are enough.
 * A malformed text is not judged here: JSON.parse reports it next.
 */
export function findTooDeep(text: Uint8Array, limit = MAX_JSON_DEPTH): string | undefined {
  // Almost every body is within the limit: a bare count first, the pointer only for a body that is too deep.
  return nestsDeeper(text, limit) ? locateTooDeep(text, limit) : undefined;
}

/** Whether brackets outside strings nest deeper than `limit`: a byte scan, strings skipped with native searches. */
function nestsDeeper(text: Uint8Array, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (byte === QUOTE) {
      i = closingQuote(text, i + 1);
      if (i < 0) return false; // unterminated: JSON.parse says so next
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

/** The index of the quote closing a string whose text starts at `from` (escaped quotes skipped), or -1. */
function closingQuote(text: Uint8Array, from: number): number {
  for (let at = text.indexOf(QUOTE, from); at >= 0; at = text.indexOf(QUOTE, at + 1)) {
    let backslashes = 0;
    while (at - 1 - backslashes >= from && text[at - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}

/** The pointer of the first container nested deeper than `limit` (findTooDeep's answer for a body that is). */
function locateTooDeep(text: Uint8Array, limit: number): string | undefined {
  const stack: Frame[] = [];
  let keyStart = -1;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (byte === QUOTE) {
      const start = i + 1;
      for (i = start; i < text.length && text[i] !== QUOTE; i++) if (text[i] === BACKSLASH) i++;
      const top = stack[stack.length - 1];
      if (top && !top.array && keyStart === -2) keyStart = start;
      if (keyStart >= 0) {
        top.token = decodeKey(text, keyStart, i);
        keyStart = -1;
      }
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (stack.length >= limit) return pointerOf(stack);
      stack.push({ array: byte === OPEN_ARRAY, token: '0' });
      keyStart = byte === OPEN_OBJECT ? -2 : -1;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      stack.pop();
      keyStart = -1;
    } else if (byte === COMMA) {
      const top = stack[stack.length - 1];
      if (top?.array) top.token = String(Number(top.token) + 1);
      else if (top) keyStart = -2;
    } else if (byte === COLON) {
      keyStart = -1;
    }
  }
  return undefined;
}

function pointerOf(stack: Frame[]): string {
  // each container's token names the child being read: together, the pointer of the container opened next
  return stack.map((frame) => '/' + frame.token.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function decodeKey(text: Uint8Array, start: number, end: number): string {
  const raw = Buffer.from(text.buffer, text.byteOffset + start, Math.min(end - start, 200)).toString('utf8');
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** body-parser's `verify` hook: refuses a body nested deeper than MAX_JSON_DEPTH before it is parsed. */
export function verifyJsonDepth(_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string): void {
  const bytes = /^utf-?8$/i.test(encoding) || !encoding ? body : Buffer.from(body.toString(encoding as BufferEncoding));
  const pointer = findTooDeep(bytes);
  if (pointer !== undefined) throw new JsonTooDeepError(pointer, MAX_JSON_DEPTH);
}
