import { readFile } from 'node:fs/promises';
import { parseRuleFileText, type RuleSet, RuleSetError, toRuleSet } from '@jiping/rules';
import { CliError } from './cli-error';

/** Reads a UTF-8 text file, turning "no such file" and friends into a CliError that names the file. */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${what} not found: ${path}`);
    if (code === 'EISDIR') throw new CliError(`${what} is a directory, not a file: ${path}`);
    if (code === 'EACCES') throw new CliError(`${what} is not readable (permission denied): ${path}`);
    throw new CliError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

/** Reads and parses a rule file (refusing oversized files); throws RuleSetError when it is not JSON. */
export async function readRuleFile(path: string): Promise<unknown> {
  return parseRuleFileText(await readTextFile(path, 'rule file'));
}

/** Reads, parses and validates a rule file into a RuleSet; every problem becomes a CliError problem line. */
export async function loadRuleSet(path: string): Promise<RuleSet> {
  try {
    return toRuleSet(await readRuleFile(path));
  } catch (error) {
    if (error instanceof RuleSetError) throw new CliError(`rule file ${path}: ${error.message}`, error.problems);
    throw error;
  }
}

/** Reads a submission as JSON; the libs validate its content. */
export async function readSubmission(path: string): Promise<unknown> {
  const text = await readTextFile(path, 'submission file');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`submission file ${path} is not JSON: ${(error as Error).message}`);
  }
}
