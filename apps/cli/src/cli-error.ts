import { inLang, type Lang, type Message } from '@jiping/rules';

/** Exit codes of the jiping CLI. */
export enum ExitCode {
  Ok = 0,
  /** A file is missing, unreadable, not JSON, or not valid (rule file or submission). */
  InvalidInput = 1,
  /** Unknown command or option, missing argument. */
  Usage = 2,
}

/** A problem at a JSON pointer, as libs/rules and libs/scoring report them: Chinese first, with where users know it. */
export interface PointedProblem {
  pointer: string;
  message: Message;
  /** The indicator's Chinese path (管理效能 › 资产管理 › 固定资产利用率), 填报项「…」, or a sheet and cell. */
  path?: string;
}

/**
 * One problem as a reader sees it: where (the Chinese path), what, and the JSON pointer for machines —
 * `管理效能 › 资产管理 › 固定资产利用率：…（位置 /indicators/0/children/3/children/2/method/bands/1/when）`, or in English
 * `管理效能 › 资产管理 › 固定资产利用率: … (at /indicators/…)`. The whole document ("") shows as "/".
 */
export function formatProblem(problem: PointedProblem, lang: Lang = 'zh'): string {
  const pointer = problem.pointer || '/';
  const message = inLang(problem.message, lang);
  if (lang === 'en') return `${problem.path ? `${problem.path}: ` : ''}${message} (at ${pointer})`;
  return `${problem.path ? `${problem.path}：` : ''}${message}（位置 ${pointer}）`;
}

/** An error the CLI reports as a message (and problem lines) and turns into an exit code, without a stack. */
export class CliError extends Error {
  constructor(
    readonly text: Message,
    readonly problems: PointedProblem[] = [],
    readonly exitCode: ExitCode = ExitCode.InvalidInput,
  ) {
    super(inLang(text, 'en'));
    this.name = 'CliError';
  }
}
