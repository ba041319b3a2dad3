import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { inLang, jsonSyntaxReason, type Lang, localized, type RuleSet } from '@jiping/rules';
import {
  continuesRuleSet,
  type ImpactDepartment,
  impactFrameOf,
  ImpactSummary,
  type ImpactSummaryResult,
  type SimulationFrame,
  simulationFrameOf,
} from '@jiping/scoring';
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
      '按两个规则文件为目录中的每份填报评分，显示修订的影响：分差、等次变化、变化最大的部门和指标；' +
        '新规则文件声明承接（continues）旧文件时，按新规则模拟旧年度数据。' +
        ' Score every submission of a directory under two rule files and show what the change does',
    )
    .argument('<old-rule-file>', '现行规则文件 the rule file in force (JSON)')
    .argument('<new-rule-file>', '修订稿 the candidate rule file (JSON)')
    .argument('<submissions-dir>', '填报文件目录，每份一个 *.json a directory of submissions')
    .option('--json', '以 JSON 输出汇总 print the summary as JSON')
    .option('--workers <n>', '工作线程数（默认：可用核数） worker threads', (text) => parseWorkers(text, context.lang))
    .addOption(
      new Option(
        '--progress <mode>',
        '进度显示（stderr）：bar 进度条、lines 每10%一行、none 不显示；auto 在终端上显示进度条 progress on stderr',
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

function parseWorkers(text: string, lang: Lang): number {
  const n = Number(text);
  if (!/^[1-9][0-9]*$/.test(text) || n > 256) {
    throw new InvalidArgumentError(
      lang === 'en' ? 'a whole number of threads from 1 to 256' : '应为 1 到 256 之间的整数',
    );
  }
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
  // A candidate that continues the rule file in force scores its year's data as a simulation (模拟).
  const simulation = continuesRuleSet(after, before) ? simulationFrameOf(after, before) : undefined;
  const summary = new ImpactSummary({
    before: impactFrameOf(before),
    after: impactFrameOf(after),
    ...(simulation && { assumptions: simulation.assumptions }),
  });
  const progress = createProgress(options.progress ?? 'auto', files.length, context);
  const refs = [describe(before), describe(after)];
  const report = (file: string, message: string, problems: PointedProblem[] = []): void => {
    const shown = problems.slice(0, 5).map((p) => `  ${formatProblem(p, context.lang)}`);
    if (problems.length > 5) {
      shown.push(context.lang === 'en' ? `  … ${problems.length - 5} more` : `  …… 另有 ${problems.length - 5} 处`);
    }
    progress.log([`${file}: ${message}`, ...shown].join('\n') + '\n');
  };

  async function* jobs(): AsyncGenerator<ScoringJob<Source>> {
    for (const file of files) {
      let submission: unknown;
      try {
        submission = JSON.parse(await readFile(join(dir, file), 'utf8'));
      } catch (error) {
        summary.addFailure();
        const why = (error as Error).message;
        report(
          file,
          context.lang === 'en' ? `not readable as JSON: ${why}` : `不是有效的 JSON：${jsonSyntaxReason(why).zh}`,
        );
        progress.advance();
        continue;
      }
      yield { id: file, submission, context: { file, department: departmentOf(submission, file) } };
    }
  }

  const pool = new ScoringPool({ workers: options.workers ?? availableParallelism() });
  try {
    const scored = pool.score({
      ruleSets: [before, after],
      ...(simulation && { continuations: [undefined, before] }),
      jobs: jobs(),
    });
    for await (const { context: source, outcomes } of scored) {
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
    ? JSON.stringify(
        {
          ruleSet: identity(after),
          against: identity(before),
          ...(simulation && { simulation: simulationJson(simulation, context.lang) }),
          ...result,
        },
        null,
        2,
      )
    : renderImpact(result, refs, context.width, context.lang, simulation).join('\n');
  context.io.out(text + '\n');
  return result.failed > 0 ? ExitCode.InvalidInput : ExitCode.Ok;
}

const describe = (ruleSet: RuleSet): string => `${ruleSet.id}@${ruleSet.version}`;

/** What was simulated, in one language: the JSON summary's `simulation`. */
const simulationJson = (frame: SimulationFrame, lang: Lang): object => ({
  description: inLang(frame.description, lang),
  from: frame.from,
  to: frame.to,
  notes: frame.notes.map((note) => ({ kind: note.kind, code: note.code, message: inLang(note.message, lang) })),
});

/** The *.json files of a directory, by name. */
async function submissionFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new CliError(localized(`找不到填报文件目录 ${dir}`, `submissions directory not found: ${dir}`));
    }
    if (code === 'ENOTDIR') {
      throw new CliError(
        localized(
          `${dir} 不是目录（应给出填报文件所在的目录）`,
          `not a directory: ${dir} (give the directory of the submissions)`,
        ),
      );
    }
    const why = (error as Error).message;
    throw new CliError(localized(`无法读取目录 ${dir}：${why}`, `cannot read the directory ${dir}: ${why}`));
  }
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => e.name);
  if (files.length === 0)
    throw new CliError(localized(`${dir} 中没有 *.json 填报文件`, `no *.json submissions in ${dir}`));
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
          const share = Math.floor((done * 100) / total);
          write(
            context.lang === 'en'
              ? `impact: ${done}/${total} submissions scored (${share} %)\n`
              : `影响分析：已评分 ${done}/${total} 份（${share} %）\n`,
          );
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

/** The summary as terminal text: what was simulated, the figures, the transition matrix, the movers, the indicators. */
export function renderImpact(
  result: ImpactSummaryResult,
  refs: string[],
  width: number,
  lang: Lang = 'zh',
  simulation?: SimulationFrame,
): string[] {
  const en = lang === 'en';
  const t = (zh: string, english: string): string => (en ? english : zh);
  const lines = [t(`${refs[1]} 对比 ${refs[0]} 的影响`, `Impact of ${refs[1]} against ${refs[0]}`)];
  if (simulation) {
    lines.push(inLang(simulation.description, lang));
    for (const note of simulation.notes) lines.push(`  ${inLang(note.message, lang)}`);
  }
  lines.push('');
  const who = (d: ImpactDepartment): string => (d.name === d.code ? d.code : `${d.code} ${d.name}`);
  const figures: Array<[string, string]> = [
    [t('部门数', 'departments'), String(result.departments)],
    [t('评分失败', 'failed'), String(result.failed)],
    [
      t('得分变化', 'changed'),
      t(
        `${result.changed}（上升 ${result.raised}，下降 ${result.lowered}）`,
        `${result.changed} (raised ${result.raised}, lowered ${result.lowered})`,
      ),
    ],
  ];
  if (result.delta) {
    figures.push(
      [t('平均分差', 'mean delta'), result.delta.mean],
      [t('分差中位数', 'median delta'), result.delta.median],
      [t('最大降幅', 'min delta'), `${result.delta.min.delta}  ${who(result.delta.min.department)}`],
      [t('最大升幅', 'max delta'), `${result.delta.max.delta}  ${who(result.delta.max.department)}`],
    );
  }
  figures.push([
    t('等次变化', 'grade changes'),
    t(
      `${result.gradeChanges.changed}（升 ${result.gradeChanges.up}，降 ${result.gradeChanges.down}）`,
      `${result.gradeChanges.changed} (up ${result.gradeChanges.up}, down ${result.gradeChanges.down})`,
    ),
  ]);
  lines.push(...renderTable([{ header: t('汇总', 'summary') }, { header: '' }], figures, { maxWidth: width }), '');

  const columns = result.grades.after;
  lines.push(t('等次变化矩阵（行：原等次，列：新等次）', 'Grade transitions (rows: before, columns: after)'));
  lines.push(
    ...renderTable(
      [{ header: t('原 \\ 新', 'before \\ after') }, ...columns.map((g) => ({ header: g, align: 'right' as const }))],
      result.grades.before.map((g) => [g, ...columns.map((c) => String(result.transitions[g]?.[c] ?? 0))]),
      { maxWidth: width },
    ),
    '',
  );

  if (result.vetoes) {
    lines.push(
      t('一票否决与上限（成立的部门数：原 → 新）', 'Vetoes and caps (departments they held for: before → after)'),
    );
    lines.push(
      ...renderTable(
        [
          { header: t('名称', 'veto'), wrap: true, minWidth: 12 },
          { header: t('理由', 'reason'), wrap: true, minWidth: 12 },
          { header: t('原规则', 'before'), align: 'right' },
          { header: t('新规则', 'after'), align: 'right' },
        ],
        result.vetoes.map((veto): TableRow => [veto.name, veto.reason, String(veto.before), String(veto.after)]),
        { maxWidth: width },
      ),
      '',
    );
  }

  if (result.notApplicable) {
    lines.push(t('标为不适用的指标（部门数）', 'Indicators marked 不适用 (departments)'));
    for (const item of result.notApplicable) lines.push(`  ${item.name}（${item.code}）  ${item.departments}`);
    lines.push('');
  }

  lines.push(t(`变化最大的部门（${result.movers.length}）`, `Biggest movers (${result.movers.length})`));
  lines.push(
    ...(result.movers.length === 0
      ? [t('  没有部门得分变化', '  no department moved')]
      : renderTable(
          [
            { header: t('部门', 'department'), wrap: true, minWidth: 12 },
            { header: t('原得分', 'before'), align: 'right' },
            { header: t('新得分', 'after'), align: 'right' },
            { header: t('变化', 'delta'), align: 'right' },
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

  lines.push(t(`得分变化的指标（${result.indicators.length}）`, `Indicators that moved (${result.indicators.length})`));
  lines.push(
    ...(result.indicators.length === 0
      ? [t('  没有指标得分变化', '  no indicator moved')]
      : renderTable(
          [
            { header: t('指标', 'indicator'), wrap: true, minWidth: 12 },
            { header: t('平均变化', 'mean delta'), align: 'right' },
            { header: t('合计变化', 'total delta'), align: 'right' },
            { header: t('变化部门', 'moved'), align: 'right' },
            { header: t('上升', 'raised'), align: 'right' },
            { header: t('下降', 'lowered'), align: 'right' },
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
  const assumptions = result.assumptions ?? [];
  if (assumptions.length > 0) {
    lines.push(
      '',
      t(
        `模拟中使用的假定值（${assumptions.length}）：旧年度数据没有这些填报项，按规则文件声明的值计`,
        `Assumed values (${assumptions.length}): the earlier data lacks them; the rule file declares their values`,
      ),
      ...renderTable(
        [
          { header: t('填报项', 'input'), wrap: true, minWidth: 12 },
          { header: t('假定值', 'assumed'), align: 'right' },
          { header: t('使用部门', 'departments'), align: 'right' },
          { header: t('影响的指标', 'indicators'), wrap: true, minWidth: 8 },
        ],
        assumptions.map(
          (a): TableRow => [
            a.label,
            a.shown,
            String(a.departments),
            a.indicators.map((i) => i.name).join(t('、', ', ')),
          ],
        ),
        { maxWidth: width },
      ),
    );
  }
  return lines;
}
