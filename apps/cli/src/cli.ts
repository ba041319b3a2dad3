import { Command, CommanderError, Option } from 'commander';
import { inLang, type Lang } from '@jiping/rules';
import { ENGINE_VERSION } from '@jiping/scoring';
import { CliError, ExitCode, formatProblem } from './cli-error';
import { registerDiffCommand } from './diff.command';
import { registerImpactCommand } from './impact.command';
import { registerScoreCommand } from './score.command';
import { registerValidateCommand } from './validate.command';
import { registerWhatIfCommand } from './what-if.command';
import { registerWorkbookCommand } from './workbook.command';

/** Where the CLI writes. Strings are written as given: every command ends its own lines with "\n". */
export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  /** Terminal width for tables; 120 when absent (not a TTY, or in tests). */
  columns?: number;
  /** Print stacks of unexpected errors (JIPING_DEBUG=1). */
  debug?: boolean;
}

/** What every command receives: where to write and how wide to draw, and where to leave its exit code. */
export interface CommandContext {
  io: CliIo;
  width: number;
  exitCode: ExitCode;
  /** The language of messages: Chinese unless `--lang en`. */
  lang: Lang;
}

export const DEFAULT_WIDTH = 120;

/**
 * Runs the jiping CLI on arguments (without "node" and the script) and resolves to the exit code:
 * 0 ok, 1 invalid input (missing file, bad JSON, invalid rule file or submission), 2 usage error.
 * Never rejects and never calls process.exit, so tests run it in-process.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const lang = langOf(argv);
  const context: CommandContext = {
    io,
    width: io.columns && io.columns > 0 ? io.columns : DEFAULT_WIDTH,
    exitCode: ExitCode.Ok,
    lang,
  };
  const program = new Command('jiping')
    .description(
      '绩评：校验规则文件、为预算绩效自评评分、比对规则集版本、模拟修订 — validate rule files, score ' +
        'self-evaluations, diff rule-set versions and simulate a revision',
    )
    .version(ENGINE_VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(lang === 'zh' ? commanderInChinese(s) : s),
    })
    .showSuggestionAfterError()
    .showHelpAfterError(lang === 'zh' ? '（用法见 jiping --help）' : '(run "jiping --help" for usage)')
    // Read before parsing (langOf), so that errors of the parse itself are reported in the language asked for.
    .addOption(
      new Option('--lang <lang>', '消息语言 language of messages: zh (中文, default) or en').choices(['zh', 'en']),
    );
  // Subcommands created with .command() inherit exitOverride and the output configuration.
  registerValidateCommand(program, context);
  registerScoreCommand(program, context);
  registerDiffCommand(program, context);
  registerImpactCommand(program, context);
  registerWhatIfCommand(program, context);
  registerWorkbookCommand(program, context);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return context.exitCode;
  } catch (error) {
    return reportError(error, io, lang);
  }
}

/**
 * commander's own usage errors (a missing argument, an unknown command or option, an invalid option value) in Chinese;
 * anything else unchanged.
 */
export function commanderInChinese(text: string): string {
  const rules: Array<[RegExp, string]> = [
    [/^error: missing required argument '([^']+)'/m, '错误：缺少参数 $1'],
    [/^error: unknown command '([^']+)'/m, '错误：没有命令 $1'],
    [/^error: unknown option '([^']+)'/m, '错误：不认识的选项 $1'],
    [
      /^error: too many arguments(?: for '([^']+)')?\. Expected (\d+) arguments? but got (\d+)\./m,
      '错误：参数过多：应为 $2 个，给了 $3 个',
    ],
    [/^error: option '([^']+)' argument missing/m, '错误：选项 $1 缺少值'],
    [
      /^error: option '([^']+)' argument '([^']*)' is invalid\. Allowed choices are ([^.]+)\./m,
      '错误：选项 $1 的值 $2 不正确，可选值：$3',
    ],
    [/^error: option '([^']+)' argument '([^']*)' is invalid\. /m, '错误：选项 $1 的值 $2 不正确：'],
    [/\(Did you mean ([^?]+)\?\)/, '（是否应为 $1？）'],
  ];
  return rules.reduce((out, [pattern, zh]) => out.replace(pattern, zh), text);
}

/** `--lang en` or `--lang=en` anywhere in the arguments; Chinese otherwise. */
export function langOf(argv: readonly string[]): Lang {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') break;
    const value = argv[i] === '--lang' ? argv[i + 1] : argv[i].startsWith('--lang=') ? argv[i].slice(7) : undefined;
    if (value !== undefined) return value === 'en' ? 'en' : 'zh';
  }
  return 'zh';
}

function reportError(error: unknown, io: CliIo, lang: Lang): ExitCode {
  // Commander has already printed its message (or the help); --help and --version end with exit code 0.
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  if (error instanceof CliError) {
    io.err(`jiping: ${inLang(error.text, lang)}\n`);
    for (const problem of error.problems) io.err(formatProblem(problem, lang) + '\n');
    return error.exitCode;
  }
  const debug = io.debug ?? process.env.JIPING_DEBUG === '1';
  const message = error instanceof Error ? error.message : String(error);
  io.err(lang === 'en' ? `jiping: unexpected error: ${message}\n` : `jiping: 意外错误：${message}\n`);
  if (debug && error instanceof Error && error.stack) io.err(error.stack + '\n');
  else io.err(lang === 'en' ? '(set JIPING_DEBUG=1 for the stack trace)\n' : '（设置 JIPING_DEBUG=1 可显示调用栈）\n');
  return ExitCode.InvalidInput;
}
