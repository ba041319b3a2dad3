/** Exit codes of the jiping CLI. */
export enum ExitCode {
  Ok = 0,
  /** A file is missing, unreadable, not JSON, or not valid (rule file or submission). */
  InvalidInput = 1,
  /** Unknown command or option, missing argument. */
  Usage = 2,
}

/** A problem at a JSON pointer, as libs/rules and libs/scoring report them. */
export interface PointedProblem {
  pointer: string;
  message: string;
}

/** One problem as `<pointer>: <message>`; the whole document ("") shows as "/". */
export const formatProblem = (problem: PointedProblem): string => `${problem.pointer || '/'}: ${problem.message}`;

/** An error the CLI reports as a message (and problem lines) and turns into an exit code, without a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly problems: PointedProblem[] = [],
    readonly exitCode: ExitCode = ExitCode.InvalidInput,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
