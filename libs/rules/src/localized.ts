/** The languages users read: Chinese first (the default), English on request (`Accept-Language: en`, `--lang en`). */
export type Lang = 'zh' | 'en';

/** A message a user sees, written in both languages. Chinese names things as users know them. */
export interface Localized {
  readonly zh: string;
  readonly en: string;
}

/**
 * What errors and problems carry. A plain string is the same text in both languages: only for messages that are
 * not words (a pointer, a number) or that have not been translated yet.
 */
export type Message = string | Localized;

/** A message in both languages: `localized('未找到部门 gz-czj', 'department gz-czj not found')`. */
export function localized(zh: string, en: string): Localized {
  return { zh, en };
}

/** A message as a Localized pair: a plain string is the same text in both languages. */
export function asLocalized(message: Message): Localized {
  return typeof message === 'string' ? { zh: message, en: message } : message;
}

/** The text of a message in one language. */
export function inLang(message: Message, lang: Lang): string {
  return typeof message === 'string' ? message : message[lang];
}

/**
 * The language asked for by an Accept-Language header: English when the first language range the caller prefers
 * (by q-value, then order) is English, Chinese otherwise, and Chinese when nothing is asked.
 */
export function langFromAcceptLanguage(header: string | undefined): Lang {
  if (!header) return 'zh';
  let best: { tag: string; q: number; index: number } | undefined;
  header.split(',').forEach((part, index) => {
    const [rawTag, ...params] = part.trim().split(';');
    const tag = rawTag.trim().toLowerCase();
    if (!tag) return;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) return;
    if (!best || q > best.q) best = { tag, q, index };
  });
  return best && (best.tag === 'en' || best.tag.startsWith('en-')) ? 'en' : 'zh';
}

/**
 * Why JSON.parse refused a text, in both languages: where, in Chinese (第 2 行第 5 列附近有语法错误, 内容不完整，在结尾处中断),
 * and the parser's own English words for `en`.
 */
export function jsonSyntaxReason(message: string): Localized {
  if (/Unexpected end of JSON input|Unterminated string/i.test(message)) {
    return localized('内容不完整，在结尾处中断', message);
  }
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  const position = /position (\d+)/.exec(message);
  const where = lineColumn
    ? `第 ${lineColumn[1]} 行第 ${lineColumn[2]} 列`
    : position
      ? `第 ${Number(position[1]) + 1} 个字符`
      : '';
  return localized(where ? `${where}附近有语法错误` : '有语法错误', message);
}
