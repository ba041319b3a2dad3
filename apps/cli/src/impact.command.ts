import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { inLang, type RuleSet } from '@jiping/rules';
import { type ImpactDepartment, impactFrameOf, ImpactSummary, type ImpactSummaryResult } from '@jiping/scoring';
import { type ScoringJob, ScoringPool } from '@jiping/scoring-workers';
import { CliError, ExitCode, formatProblem, type PointedProblem } from './cli-error';
import type { CommandContext } from './cli';
import { loadRuleSet } from './read-input';
import { renderTable, type TableRow } from './table';

export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

export interface ImpactOptions {
  json?: boolean;
  workers?: number;
  progress?: ProgressMode;
}

/** `jiping impact <old-rule-file> <new-rule-file> <submissions-dir> [--json] [--workers n] [--progress mode]` */
export function registerImpactCommand(program: Command, context: CommandContext): void {
  program
    .command('impact')
    .description(
      'score every submission of a directory under two rule files and show what the change does: deltas, grade ' +
        'transitions, the biggest movers and the indicators that moved',
    )
    .argument('<old-rule-file>', 'the rule file in force (JSON)')
    .argument('<new-rule-file>', 'the candidate rule file (JSON)')
    .argument('<submissions-dir>', 'a directory of engine submissions, one *.json file each')
    .option('--json', 'print the summary as JSON')
    .option('--workers <n>', 'worker threads (default: the available cores)', parseWorkers)
    .addOption(
      new Option(
        '--progress <mode>',
        'progress on stderr: a bar, a line every 10 %, or none (auto: a bar on a terminal)',
      )
        .choices(['auto', 'bar', 'lines', 'none'])
        .default('auto'),
    )
    .addHelpText(
      'after',
      '\nExample:\n  jiping impact rules/guangzhou/department-overall/2021.json draft-2021.json submissions/ --workers 2\n',
    )
    .action(async (oldFile: string, newFile: string, dir: string, options: ImpactOptions) => {
      context.exitCode = await impact(oldFile, newFile, dir, options, context);
    });
}

function parseWorkers(text: string): number {
  const n = Number(text);
  if (!/^[1-9][0-9]*$/.test(text) || n > 256) throw new InvalidArgumentError('a whole number of threads from 1 to 256');
  return n;
}

/** Where a submission came from and whose it is. */
interface Source {
  file: string;
  department: ImpactDepartment;
}

/**
 * Scores every *.json submission of `dir` under both rule files on a pool of worker threads, reading the files only
 * as fast as the workers take them, and prints the summary (a table, or JSON). Submissions that cannot be read or
 * scored are listed on stderr and make the exit code 1; the summary covers the rest.
 */
export async function impact(
  oldFile: string,
  newFile: string,
  dir: string,
  options: ImpactOptions,
  context: CommandContext,
): Promise<ExitCode> {
  const before = await loadRuleSet(oldFile);
  const after = await loadRuleSet(newFile);
  const files = await submissionFiles(dir);
  const summary = new ImpactSummary({ before: impactFrameOf(before), after: impactFrameOf(after) });
  const progress = createProgress(options.progress ?? 'auto', files.length, context);
  const refs = [describe(before), describe(after)];
  const report = (file: string, message: string, problems: PointedProblem[] = []): void => {
    const shown = problems.slice(0, 5).map((p) => `  ${formatProblem(p, context.lang)}`);
    if (problems.length > 5) shown.push(`  … ${problems.length - 5} more`);
    progress.log([`${file}: ${message}`, ...shown].join('\n') + '\n');
  };

  async function* jobs(): AsyncGenerator<ScoringJob<Source>> {
    for (const file of files) {
      let submission: unknown;
      try {
        submission = JSON.parse(await readFile(join(dir, file), 'utf8'));
      } catch (error) {
        summary.addFailure();
        report(file, `not readable as JSON: ${(error as Error).message}`);
        progress.advance();
        continue;
      }
      yield { id: file, submission, context: { file, department: departmentOf(submission, file) } };
    }
  }

  const pool = new ScoringPool({ workers: options.workers ?? availableParallelism() });
  try {
    for await (const { context: source, outcomes } of pool.score({ ruleSets: [before, after], jobs: jobs() })) {
      const { file, department } = source!;
      const [old, candidate] = outcomes;
      if (old.ok && candidate.ok) summary.add({ department, before: old.scoring, after: candidate.scoring });
      else {
        summary.addFailure();
        outcomes.forEach((outcome, i) => {
          if (!outcome.ok)
            report(file, `${refs[i]}: ${inLang(outcome.error.message, context.lang)}`, outcome.error.problems);
        });
      }
      progress.advance();
    }
  } finally {
    progress.finish();
    await pool.close();
  }

  const result = summary.result();
  const identity = (ruleSet: RuleSet) => ({ id: ruleSet.id, version: ruleSet.version, checksum: ruleSet.checksum });
  const text = options.json
    ? JSON.stringify({ ruleSet: identity(after), against: identity(before), ...result }, null, 2)
    : renderImpact(result, refs, context.width).join('\n');
  context.io.out(text + '\n');
  return result.failed > 0 ? ExitCode.InvalidInput : ExitCode.Ok;
}

const describe = (ruleSet: RuleSet): string => `${ruleSet.id}@${ruleSet.version}`;

/** The *.json files of a directory, by name. */
async function submissionFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`submissions directory not found: ${dir}`);
    if (code === 'ENOTDIR') throw new CliError(`not a directory: ${dir} (give the directory of the submissions)`);
    throw new CliError(`cannot read the directory ${dir}: ${(error as Error).message}`);
  }
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => e.name);
  if (files.length === 0) throw new CliError(`no *.json submissions in ${dir}`);
  return files.sort();
}

/** The department a submission names, or its file name when it names none (the engine then refuses it). */
function departmentOf(submission: unknown, file: string): ImpactDepartment {
  const department = (submission as { department?: { code?: unknown; name?: unknown } } | null)?.department;
  const code = typeof department?.code === 'string' ? department.code : basename(file, '.json');
  return { code, name: typeof department?.name === 'string' ? department.name : code };
}

/** Progress on stderr: advance() per submission, log() for a message, finish() at the end. */
interface Progress {
  advance(): void;
  log(text: string): void;
  finish(): void;
}

function createProgress(mode: ProgressMode, total: number, context: CommandContext): Progress {
  const write = (s: string): void => context.io.err(s);
  const resolved = mode === 'auto' ? (process.stderr.isTTY ? 'bar' : 'lines') : mode;
  const started = Date.now();
  let done = 0;
  if (resolved === 'none') return { advance: () => done++, log: write, finish: () => undefined };
  if (resolved === 'lines') {
    const step = Math.max(1, Math.ceil(total / 10));
    return {
      advance: () => {
        done++;
        if (done % step === 0 || done === total) {
          write(`impact: ${done}/${total} submissions scored (${Math.floor((done * 100) / total)} %)\n`);
        }
      },
      log: write,
      finish: () => undefined,
    };
  }
  const width = (process.stderr.columns ?? 0) > 0 ? process.stderr.columns : context.width;
  let drawn = 0;
  const draw = (): void => {
    drawn = Date.now();
    write('\r' + renderProgressBar(done, total, width, drawn - started));
  };
  const clear = (): void => write('\r\x1b[2K');
  draw();
  return {
    advance: () => {
      done++;
      if (Date.now() - drawn >= 100 || done === total) draw();
    },
    log: (text) => {
      clear();
      write(text);
      draw();
    },
    finish: () => {
      draw();
      write('\n');
    },
  };
}

/**
 * One line of progress, at most `width` columns: a bar, the share done, the count, the rate and the time left,
 * e.g. `[##########----------]  50 %  500/1000  250/s  2s left`.
 */
export function renderProgressBar(done: number, total: number, width: number, elapsedMs: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const perSecond = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const left = perSecond > 0 && done < total ? `  ${Math.ceil((total - done) / perSecond)}s left` : '';
  const tail = `  ${String(Math.floor(share * 100)).padStart(3)} %  ${done}/${total}  ${Math.round(perSecond)}/s${left}`;
  const barWidth = Math.max(10, Math.min(40, width - tail.length - 3));
  const filled = Math.round(share * barWidth);
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${tail}`.slice(0, Math.max(1, width - 1));
}

/** The summary as terminal text: the figures, the transition matrix, the biggest movers and the indicators. */
export function renderImpact(result: ImpactSummaryResult, refs: string[], width: number): string[] {
  const lines = [`Impact of ${refs[1]} against ${refs[0]}`, ''];
  const who = (d: ImpactDepartment): string => (d.name === d.code ? d.code : `${d.code} ${d.name}`);
  const figures: Array<[string, string]> = [
    ['departments', String(result.departments)],
    ['failed', String(result.failed)],
    ['changed', `${result.changed} (raised ${result.raised}, lowered ${result.lowered})`],
  ];
  if (result.delta) {
    figures.push(
      ['mean delta', result.delta.mean],
      ['median delta', result.delta.median],
      ['min delta', `${result.delta.min.delta}  ${who(result.delta.min.department)}`],
      ['max delta', `${result.delta.max.delta}  ${who(result.delta.max.department)}`],
    );
  }
  figures.push([
    'grade changes',
    `${result.gradeChanges.changed} (up ${result.gradeChanges.up}, down ${result.gradeChanges.down})`,
  ]);
  lines.push(...renderTable([{ header: 'summary' }, { header: '' }], figures, { maxWidth: width }), '');

  const columns = result.grades.after;
  lines.push('Grade transitions (rows: before, columns: after)');
  lines.push(
    ...renderTable(
      [{ header: 'before \\ after' }, ...columns.map((g) => ({ header: g, align: 'right' as const }))],
      result.grades.before.map((g) => [g, ...columns.map((c) => String(result.transitions[g]?.[c] ?? 0))]),
      { maxWidth: width },
    ),
    '',
  );

  lines.push(`Biggest movers (${result.movers.length})`);
  lines.push(
    ...(result.movers.length === 0
      ? ['  no department moved']
      : renderTable(
          [
            { header: 'department', wrap: true, minWidth: 12 },
            { header: 'before', align: 'right' },
            { header: 'after', align: 'right' },
            { header: 'delta', align: 'right' },
          ],
          result.movers.map(
            (row): TableRow => [
              who(row.department),
              `${row.before.total} ${row.before.grade}`,
              `${row.after.total} ${row.after.grade}`,
              row.delta,
            ],
          ),
          { maxWidth: width },
        )),
    '',
  );

  lines.push(`Indicators that moved (${result.indicators.length})`);
  lines.push(
    ...(result.indicators.length === 0
      ? ['  no indicator moved']
      : renderTable(
          [
            { header: 'indicator', wrap: true, minWidth: 12 },
            { header: 'mean delta', align: 'right' },
            { header: 'total delta', align: 'right' },
            { header: 'moved', align: 'right' },
            { header: 'raised', align: 'right' },
            { header: 'lowered', align: 'right' },
          ],
          result.indicators.map(
            (i): TableRow => [
              `${i.name}（${i.code}）`,
              i.meanDelta,
              i.totalDelta,
              String(i.moved),
              String(i.raised),
              String(i.lowered),
            ],
          ),
          { maxWidth: width },
        )),
  );
  return lines;
}
