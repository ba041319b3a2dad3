import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InlineRuleSets, InlineRuleSetsErrorCode } from './inline-rule-sets';

const ROOT = join(__dirname, '..', '..', '..');
const RULES = readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8');
const SUBMISSION = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json'), 'utf8'));

jest.setTimeout(120_000);

describe(InlineRuleSets.name, () => {
  it('checks, compiles and scores on its worker; refuses an invalid file with its problems', async () => {
    const inline = new InlineRuleSets();
    try {
      const scored = await inline.run(RULES, [SUBMISSION]);
      expect(scored).toMatchObject({
        kind: 'scored',
        fiscalYear: 2021,
        outcomes: [{ ok: true, report: { total: '94.622', grade: '优' } }],
      });
      const broken = JSON.parse(RULES);
      broken.total = '99';
      const refused = await inline.run(JSON.stringify(broken), []);
      expect(refused).toMatchObject({
        kind: 'refused',
        code: 'RULE_SET_INVALID',
        problems: expect.arrayContaining([expect.objectContaining({ pointer: '/total' })]),
      });
    } finally {
      await inline.close();
    }
  });

  it('stops a file past its time budget, refuses a full queue at once, and goes on with a new worker', async () => {
    const inline = new InlineRuleSets({ timeoutMs: 1, maxQueued: 1 });
    try {
      const first = inline.run(RULES, [SUBMISSION]);
      const second = inline.run(RULES, [SUBMISSION]);
      await expect(inline.run(RULES, [SUBMISSION])).rejects.toMatchObject({ code: InlineRuleSetsErrorCode.BUSY });
      await expect(first).rejects.toMatchObject({ code: InlineRuleSetsErrorCode.TIMEOUT });
      await expect(second).rejects.toMatchObject({ code: InlineRuleSetsErrorCode.TIMEOUT });
      expect(inline.depth).toBe(0);
    } finally {
      await inline.close();
    }
  });
});
