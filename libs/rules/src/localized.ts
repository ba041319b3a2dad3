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
