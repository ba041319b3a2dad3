/**
 * The worker thread of InlineRuleSets: checks a rule file sent inline (schema, meaning, embedded tests), compiles it
 * (kept by checksum, the last few) and scores the submissions it came with. Everything that grows with the size of
 * the file runs here, so a large file never holds up the thread that answers requests.
 */
import { StringDecoder } from 'node:string_decoder';
import { parentPort } from 'node:worker_threads';
import { localized, parseRuleFileText, RuleSetError } from '@jiping/rules';
import { checkRuleFile, compileRuleSet, type CompiledRuleSet, scoreSubmission, ScoringError } from '@jiping/scoring';
import type { InlineRulesReply, InlineRulesResult, InlineRulesTask } from './inline-rules-protocol';
import type { ScoringFailure } from './protocol';
import { asValidationPipeLeavesIt } from './as-validation-pipe-leaves-it';
import { lowerThisThreadsPriority } from './lower-thread-priority';

/** Compiled rule sets by checksum, most recently used last. */
const compiled = new Map<string, CompiledRuleSet>();
const KEEP = 8;

/** A rule file sent as bytes, as JSON text: decoded as body-parser decodes UTF-8, parsed, left as the pipe leaves it. */
function textOf(bytes: Uint8Array): string {
  const decoder = new StringDecoder('utf8');
  const text = decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) + decoder.end();
  return JSON.stringify(asValidationPipeLeavesIt(JSON.parse(text)));
}

async function run(task: InlineRulesTask): Promise<InlineRulesResult> {
  const text = task.text ?? textOf(task.bytes!);
  let value: unknown;
  try {
    value = parseRuleFileText(text);
  } catch (error) {
    if (error instanceof RuleSetError) {
      return { kind: 'refused', code: error.code, message: error.text, problems: error.problems };
    }
    throw error;
  }
  const { problems, ruleSet } = await checkRuleFile(value);
  if (problems.length > 0 || !ruleSet) {
    return {
      kind: 'refused',
      code: 'RULE_SET_INVALID',
      message: localized(
        `内联规则文件有 ${problems.length} 处问题`,
        `the inline rule file has ${problems.length} problem(s)`,
      ),
      problems,
    };
  }
  let rules = compiled.get(ruleSet.checksum);
  if (rules) compiled.delete(ruleSet.checksum);
  else rules = compileRuleSet(ruleSet);
  compiled.set(ruleSet.checksum, rules);
  if (compiled.size > KEEP) compiled.delete(compiled.keys().next().value!);
  const outcomes: Extract<InlineRulesResult, { kind: 'scored' }>['outcomes'] = [];
  for (const submission of task.submissions) {
    try {
      outcomes.push({ ok: true, report: await scoreSubmission(rules, submission) });
    } catch (error) {
      outcomes.push({ ok: false, error: failureOf(error) });
    }
  }
  return {
    kind: 'scored',
    checksum: ruleSet.checksum,
    ...(task.text === undefined && { text }),
    fiscalYear: ruleSet.file.fiscalYear,
    outcomes,
  };
}

function failureOf(error: unknown): ScoringFailure {
  if (error instanceof ScoringError) return { code: error.code, message: error.text, problems: error.problems };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), problems: [] };
}

if (parentPort) {
  const port = parentPort;
  lowerThisThreadsPriority();
  port.postMessage({ ready: true }); // the time budget of a task starts once the worker has loaded
  port.on('message', (task: InlineRulesTask) => {
    void run(task).then(
      (result) => port.postMessage({ id: task.id, result } satisfies InlineRulesReply),
      (error: unknown) =>
        port.postMessage({
          id: task.id,
          result: {
            kind: 'refused',
            code: 'INTERNAL',
            message: error instanceof Error ? error.message : String(error),
            problems: [],
          },
        } satisfies InlineRulesReply),
    );
  });
}
