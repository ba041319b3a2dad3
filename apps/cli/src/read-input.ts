import { readFile } from 'node:fs/promises';
import {
  asLocalized,
  jsonSyntaxReason,
  localized,
  type Localized,
  parseRuleFileText,
  type RuleSet,
  RuleSetError,
  toRuleSet,
} from '@jiping/rules';
import { CliError } from './cli-error';

/** What a file given to the CLI is, in both languages: 规则文件 / rule file. */
export const RULE_FILE = localized('规则文件', 'rule file');
export const SUBMISSION_FILE = localized('填报文件', 'submission file');

/** Reads a UTF-8 text file, turning "no such file" and friends into a CliError that names the file. */
export async function readTextFile(path: string, what: Localized): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(localized(`找不到${what.zh}：${path}`, `${what.en} not found: ${path}`));
    if (code === 'EISDIR') {
      throw new CliError(
        localized(`${what.zh}是一个目录，不是文件：${path}`, `${what.en} is a directory, not a file: ${path}`),
      );
    }
    if (code === 'EACCES') {
      throw new CliError(
        localized(`${what.zh}没有读取权限：${path}`, `${what.en} is not readable (permission denied): ${path}`),
      );
    }
    const reason = (error as Error).message;
    throw new CliError(localized(`无法读取${what.zh} ${path}：${reason}`, `cannot read ${what.en} ${path}: ${reason}`));
  }
}

/** Reads and parses a rule file (refusing oversized files); throws RuleSetError when it is not JSON. */
export async function readRuleFile(path: string): Promise<unknown> {
  return parseRuleFileText(await readTextFile(path, RULE_FILE));
}

/** Reads, parses and validates a rule file into a RuleSet; every problem becomes a CliError problem line. */
export async function loadRuleSet(path: string): Promise<RuleSet> {
  try {
    return toRuleSet(await readRuleFile(path));
  } catch (error) {
    if (error instanceof RuleSetError) {
      const text = asLocalized(error.text);
      throw new CliError(localized(`规则文件 ${path}：${text.zh}`, `rule file ${path}: ${text.en}`), error.problems);
    }
    throw error;
  }
}

/** Reads a submission as JSON; the libs validate its content. */
export async function readSubmission(path: string): Promise<unknown> {
  const text = await readTextFile(path, SUBMISSION_FILE);
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = jsonSyntaxReason((error as Error).message);
    throw new CliError(
      localized(`填报文件 ${path} 不是有效的 JSON：${reason.zh}`, `submission file ${path} is not JSON: ${reason.en}`),
    );
  }
}
