import type { RuleFile, RuleIndicator } from './types';

/** RFC 6901 JSON pointers into a rule file: how the API names every problem and change. */
const unescape = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');
const escape = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

export function tokensOf(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map(unescape);
}

export function join(pointer: string, ...tokens: Array<string | number>): string {
  return pointer + tokens.map((t) => `/${escape(String(t))}`).join('');
}

export function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const token of tokensOf(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/**
 * A copy of the file with one value set (undefined removes the key): edits change only what the person changed, so
 * the file stays the one a person would have written by hand.
 */
export function withValue<T>(root: T, pointer: string, value: unknown): T {
  const copy = structuredClone(root);
  const tokens = tokensOf(pointer);
  let node = copy as unknown as Record<string, unknown>;
  for (const token of tokens.slice(0, -1)) node = node[token] as Record<string, unknown>;
  const last = tokens[tokens.length - 1];
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

export interface IndicatorEntry {
  pointer: string;
  indicator: RuleIndicator;
  /** 管理效能 › 资产管理 › 固定资产利用率 */
  path: string;
  level: number;
}

/** Every indicator of the tree with its pointer and Chinese path, in tree order. */
export function indicatorEntries(file: RuleFile): IndicatorEntry[] {
  const out: IndicatorEntry[] = [];
  const walk = (list: RuleIndicator[] | undefined, base: string, names: string[], level: number) =>
    (list ?? []).forEach((indicator, i) => {
      const pointer = base === '' ? `/indicators/${i}` : `${base}/children/${i}`;
      const path = [...names, indicator.name];
      out.push({ pointer, indicator, path: path.join(' › '), level });
      walk(indicator.children, pointer, path, level + 1);
    });
  walk(file.indicators, '', [], 1);
  return out;
}

/** The deepest indicator a pointer lies in (a problem at …/children/2/method/bands/1 belongs to that leaf). */
export function indicatorOf(pointer: string, entries: IndicatorEntry[]): IndicatorEntry | undefined {
  let best: IndicatorEntry | undefined;
  for (const e of entries)
    if (
      (pointer === e.pointer || pointer.startsWith(`${e.pointer}/`)) &&
      (!best || e.pointer.length > best.pointer.length)
    )
      best = e;
  return best;
}

/** Is the pointer at or under the field? */
export const under = (pointer: string, field: string) => pointer === field || pointer.startsWith(`${field}/`);
