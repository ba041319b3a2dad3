import { inLang, type Lang, type Message } from '@jiping/rules';

/** A problem or warning as it leaves in a response body: its message in the caller's language, the rest as is. */
export function renderProblems<P extends { message: Message }>(
  problems: readonly P[],
  lang: Lang,
): Array<Omit<P, 'message'> & { message: string }> {
  return problems.map((problem) => ({ ...problem, message: inLang(problem.message, lang) }));
}
