import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checksumOf } from '@jiping/rules';
import { checkRuleFile, ENGINE_VERSION, scoreSubmission } from '@jiping/scoring';
import { loadRuleSet, NATIONAL_2020, NATIONAL_SUBMISSION, readJson, ROOT } from '../support/load';

function ruleFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return ruleFiles(path);
    return name.endsWith('.json') && name !== 'schema.json' && name !== 'rules.lock.json' ? [relative(ROOT, path)] : [];
  });
}

const released = ruleFiles(join(ROOT, 'rules'));
const lock = readJson('rules/rules.lock.json') as Record<string, string>;

describe('released rule files', () => {
  it('are all pinned in rules/rules.lock.json, and nothing else is', () => {
    expect(Object.keys(lock).sort()).toEqual([...released].sort());
  });

  describe.each(released)('%s', (path) => {
    const content = JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

    it('never changes once released: its checksum matches the lock', () => {
      expect(checksumOf(content)).toBe(lock[path]);
    });

    it('is valid and passes its embedded test cases', async () => {
      const { problems } = await checkRuleFile(content);
      expect(problems).toEqual([]);
      expect(content.tests.length).toBeGreaterThanOrEqual(3);
    });

    it('references the JSON Schema for editors', () => {
      expect(content.$schema).toMatch(/schema\.json$/);
    });
  });
});

describe('the national worked example (财预〔2020〕10号)', () => {
  it('scores the park project 96.09, grade 优, partial targets by proportion', async () => {
    const report = await scoreSubmission(loadRuleSet(NATIONAL_2020), readJson(NATIONAL_SUBMISSION));
    expect(report.total).toBe('96.09');
    expect(report.grade).toBe('优');
    const target = report.sections[1].children![0].children![1];
    expect(target).toMatchObject({ code: 'parks-upgraded', score: '5.33', target: { met: false } });
    expect(target.basis).toContain('6×8/9=5.33');
  });
});

describe('ENGINE_VERSION', () => {
  it('equals the package version', () => {
    expect(ENGINE_VERSION).toBe((readJson('package.json') as { version: string }).version);
  });
});
