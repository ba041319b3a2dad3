import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import {
  BACKSLASH,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COLON,
  COMMA,
  DOT,
  MINUS,
  NINE,
  OPEN_ARRAY,
  OPEN_OBJECT,
  PLUS,
  QUOTE,
  SLASH,
  ZERO,
} from '../common/json-bytes';

/**
 * POST /what-if with rule files inline (issue 15): a body of some 700 kB, nearly all of it the rule file. Decoding
 * that text (UTF-8, mostly Chinese), parsing it, walking it in the validation pipe and serialising it again for the
 * inline rules worker held up the request thread for every such request. Here the body is read as bytes; one pass
 * over them checks that it is JSON (exactly as JSON.parse would judge it) and finds each inline rule file (the object
 * at /ruleSet or /scenarios/<i>/ruleSet). Only the rest of the body is decoded and parsed, each rule file in it
 * replaced by a small placeholder naming its bytes; the bytes go to the inline rules worker as they are, which decodes
 * and parses them, and leaves them as the validation pipe would have (see the worker). Everything else — a body with no
 * inline rule file, one that is not JSON, one in another charset — is parsed by the JSON body parser as before, with
 * the same answers. The depth check runs first in both cases.
 */

/** The key of a placeholder object: `{ [PLACEHOLDER_KEY]: <index into the request's inline rule files> }`. */
export const PLACEHOLDER_KEY = 'jiping:inlineRuleFile';

/** Where the inline rule files' bytes of a request are kept (by their placeholder's index). */
const FILES = Symbol('jiping:inlineRuleFiles');

/** The bytes of an inline rule file, when `value` is a placeholder the body parser put in place of one. */
export function inlineRuleFileBytes(request: Request, value: unknown): Uint8Array | undefined {
  const files = (request as Request & { [FILES]?: Uint8Array[] })[FILES];
  if (!files || value === null || typeof value !== 'object') return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== PLACEHOLDER_KEY) return undefined;
  const index = (value as Record<string, unknown>)[PLACEHOLDER_KEY];
  return typeof index === 'number' ? files[index] : undefined;
}

/** Nesting the scanner follows; deeper bodies are left to the JSON parser (the depth check refuses them before). */
const MAX_SCAN_DEPTH = 128;

const isWhitespace = (byte: number): boolean => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
const isDigit = (byte: number): boolean => byte >= ZERO && byte <= NINE;
const isHex = (byte: number): boolean =>
  isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);

const RULE_SET = Buffer.from('ruleSet');
const SCENARIOS = Buffer.from('scenarios');

/**
 * The index after the closing quote of a JSON string whose text starts at `i`, or -1 when it is not a valid string
 * (a control character, a bad escape, no closing quote). A loop of its own: nearly all of a body's bytes are here.
 */
function stringEnd(bytes: Uint8Array, i: number): number {
  const n = bytes.length;
  while (i < n) {
    const byte = bytes[i];
    if (byte === QUOTE) return i + 1;
    if (byte < 0x20) return -1;
    if (byte !== BACKSLASH) {
      i++;
      continue;
    }
    const next = bytes[i + 1];
    if (next === 0x75 /* u */) {
      if (!isHex(bytes[i + 2]) || !isHex(bytes[i + 3]) || !isHex(bytes[i + 4]) || !isHex(bytes[i + 5])) return -1;
      i += 6;
    } else if (
      next === QUOTE ||
      next === BACKSLASH ||
      next === SLASH ||
      next === 0x62 /* b */ ||
      next === 0x66 /* f */ ||
      next === 0x6e /* n */ ||
      next === 0x72 /* r */ ||
      next === 0x74 /* t */
    ) {
      i += 2;
    } else {
      return -1;
    }
  }
  return -1;
}

/** Where a what-if body keeps its inline rule files: byte offsets [start, end) of each one's object. */
export interface InlineRuleFileRanges {
  /** Where the JSON text starts (after a UTF-8 byte order mark, as body-parser decodes it). */
  from: number;
  ranges: Array<{ start: number; end: number }>;
}

class NotJson extends Error {}

/**
 * One pass over a what-if body's bytes: undefined unless it is a JSON text whose value is an object (judged as
 * JSON.parse judges the UTF-8 text: non-ASCII bytes are only ever allowed inside strings, and are allowed there
 * whatever they decode to) and whose keys on the way to a rule file need no decoding; otherwise the inline rule files'
 * ranges in document order (none when it has none).
 */
export function findInlineRuleFiles(bytes: Uint8Array): InlineRuleFileRanges | undefined {
  const n = bytes.length;
  const from = n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const ranges: InlineRuleFileRanges['ranges'] = [];
  let i = from;

  const skipWhitespace = (): void => {
    while (i < n && isWhitespace(bytes[i])) i++;
  };
  const expect = (byte: number): void => {
    if (bytes[i] !== byte) throw new NotJson();
    i++;
  };
  const literal = (text: string): void => {
    for (let k = 0; k < text.length; k++) expect(text.charCodeAt(k));
  };
  /** A string at bytes[i] (its opening quote). */
  const string = (): void => {
    if (bytes[i] !== QUOTE) throw new NotJson();
    i = stringEnd(bytes, i + 1);
    if (i < 0) throw new NotJson();
  };
  const escaped = (start: number, end: number): boolean => {
    for (let k = start; k < end; k++) if (bytes[k] === BACKSLASH) return true;
    return false;
  };
  const digits = (): void => {
    if (!isDigit(bytes[i])) throw new NotJson();
    while (isDigit(bytes[i])) i++;
  };
  const number = (): void => {
    if (bytes[i] === MINUS) i++;
    if (bytes[i] === ZERO) i++;
    else digits();
    if (bytes[i] === DOT) {
      i++;
      digits();
    }
    if (bytes[i] === 0x65 || bytes[i] === 0x45) {
      i++;
      if (bytes[i] === PLUS || bytes[i] === MINUS) i++;
      digits();
    }
  };
  const keyIs = (start: number, end: number, name: Buffer): boolean =>
    end - start === name.length && name.equals(bytes.subarray(start, end));

  /**
   * A value at bytes[i]. `role`: what it is to a what-if — the body ('body'), the list of scenarios ('scenarios'),
   * one scenario ('scenario'), or anything else ('other'). A rule file is the object value of "ruleSet" in the
   * body or in a scenario.
   */
  const value = (depth: number, role: 'body' | 'scenarios' | 'scenario' | 'other'): void => {
    if (depth > MAX_SCAN_DEPTH) throw new NotJson();
    skipWhitespace();
    const byte = bytes[i];
    if (byte === OPEN_OBJECT) {
      i++;
      skipWhitespace();
      if (bytes[i] === CLOSE_OBJECT) {
        i++;
        return;
      }
      for (;;) {
        skipWhitespace();
        const keyStart = i + 1;
        string();
        const keyEnd = i - 1;
        const named = role === 'body' || role === 'scenario';
        // a key that needs decoding might be either name: such a body is left to the JSON parser
        if (named && escaped(keyStart, keyEnd)) throw new NotJson();
        skipWhitespace();
        expect(COLON);
        skipWhitespace();
        const start = i;
        if (named && bytes[i] === OPEN_OBJECT && keyIs(keyStart, keyEnd, RULE_SET)) {
          value(depth + 1, 'other');
          ranges.push({ start, end: i });
        } else {
          value(depth + 1, role === 'body' && keyIs(keyStart, keyEnd, SCENARIOS) ? 'scenarios' : 'other');
        }
        skipWhitespace();
        if (bytes[i] === COMMA) {
          i++;
          continue;
        }
        expect(CLOSE_OBJECT);
        return;
      }
    }
    if (byte === OPEN_ARRAY) {
      i++;
      skipWhitespace();
      if (bytes[i] === CLOSE_ARRAY) {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1, role === 'scenarios' ? 'scenario' : 'other');
        skipWhitespace();
        if (bytes[i] === COMMA) {
          i++;
          continue;
        }
        expect(CLOSE_ARRAY);
        return;
      }
    }
    if (byte === QUOTE) string();
    else if (byte === 0x74) literal('true');
    else if (byte === 0x66) literal('false');
    else if (byte === 0x6e) literal('null');
    else if (byte === MINUS || isDigit(byte)) number();
    else throw new NotJson();
  };

  try {
    skipWhitespace();
    if (bytes[i] !== OPEN_OBJECT) return undefined;
    value(0, 'body');
    skipWhitespace();
    return i === n ? { from, ranges } : undefined;
  } catch (error) {
    if (error instanceof NotJson) return undefined;
    throw error;
  }
}

/**
 * A what-if body with its inline rule files left out: each replaced by its placeholder, the rest decoded and parsed;
 * and each file's bytes, to be handed over to the worker (their ArrayBuffer is transferred: nothing else may use it).
 * A single file is a view on the body's own bytes (no copy: body-parser made them for this request alone, and they
 * are no pooled Buffer at this size); several files, or a small body, are copies of their own. Undefined when it has
 * none (or is not JSON).
 */
export function withoutInlineRuleFiles(bytes: Buffer): { body: unknown; files: Uint8Array[] } | undefined {
  const found = findInlineRuleFiles(bytes);
  if (!found || found.ranges.length === 0) return undefined;
  const view = found.ranges.length === 1 && bytes.byteLength > Buffer.poolSize && bytes.byteOffset === 0;
  const parts: string[] = [];
  const files: Uint8Array[] = [];
  let at = found.from;
  for (const { start, end } of found.ranges) {
    parts.push(bytes.toString('utf8', at, start), `{"${PLACEHOLDER_KEY}":${files.length}}`);
    files.push(view ? bytes.subarray(start, end) : new Uint8Array(bytes.subarray(start, end)));
    at = end;
  }
  parts.push(bytes.toString('utf8', at));
  return { body: JSON.parse(parts.join('')), files };
}

/** Thrown from the JSON body parser's `verify` hook to hand a split body past the parser (see splitInlineRuleFiles). */
class InlineRuleFilesFound extends Error {
  // not `body`: body-parser sets that on what verify throws (to the raw bytes)
  constructor(
    readonly parsedBody: unknown,
    readonly inlineRuleFiles: Uint8Array[],
  ) {
    super('the what-if body was parsed without its inline rule files');
    this.name = 'InlineRuleFilesFound';
  }
}

/**
 * For the JSON body parser's `verify` hook (after the depth check): the body of POST /what-if in UTF-8 that has inline
 * rule files is parsed here without them, and handed past the parser, which would otherwise decode and parse it all
 * (body-parser calls next with what verify throws; takeInlineRuleFiles, next in line, takes the body from it). Any
 * other body returns here untouched and is parsed by the JSON body parser as it always was, with its answers.
 */
export function splitInlineRuleFiles(req: IncomingMessage, body: Buffer, encoding: string): void {
  const path = (req as Partial<Request>).originalUrl ?? req.url ?? '';
  if (req.method !== 'POST' || !/^\/what-if\/?(\?|$)/.test(path) || !/^utf-?8$/i.test(encoding)) return;
  const split = withoutInlineRuleFiles(body);
  if (split) throw new InlineRuleFilesFound(split.body, split.files);
}

/** Mounted right after the JSON body parser: the body split by splitInlineRuleFiles becomes the request's body. */
export function takeInlineRuleFiles(error: unknown, req: Request, _res: Response, next: NextFunction): void {
  if (!(error instanceof InlineRuleFilesFound)) {
    next(error);
    return;
  }
  req.body = error.parsedBody;
  (req as Request & { [FILES]?: Uint8Array[] })[FILES] = error.inlineRuleFiles;
  next();
}
