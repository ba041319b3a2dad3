import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DepartmentEntity, RuleSetEntity, SubmissionEntity } from '@jiping/persistence';
import { parseRuleFileText, type Submission, toRuleSet } from '@jiping/rules';
import { applyChanges, compareReports, compileRuleSet, scoreSubmission, type SubmissionChange } from '@jiping/scoring';
import type { Principal } from '../auth/principal';
import type { DepartmentsService } from '../departments/departments.service';
import type { RuleSetLoader } from '../rule-sets/rule-set-loader';
import type { SubmissionsService } from '../submissions/submissions.service';
import type { WhatIfResultDto } from './dto/what-if-result.dto';
import { InlineRuleSets } from '@jiping/scoring-workers';
import { WhatIfService } from './what-if.service';

const ROOT = join(__dirname, '..', '..', '..', '..');
const content = readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8');
const compiled = compileRuleSet(toRuleSet(parseRuleFileText(content)));
const seed = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json'), 'utf8')) as Submission;

const RULE_SET_ROW = {
  id: 'rule-set-row-1',
  ruleSetId: compiled.ruleSet.id,
  fiscalYear: 2021,
  versionNo: 1,
  status: 'published',
  checksum: compiled.ruleSet.checksum,
  content,
} as RuleSetEntity;
const DEPARTMENT = { code: 'gz-kjj', name: '广州市科学技术局' } as DepartmentEntity;
const EVALUATOR: Principal = {
  userId: 'u',
  name: 'evaluator',
  role: 'evaluator',
  departmentCode: null,
  via: 'key',
  keyId: 'k',
};
const PROCUREMENT_AT_PLAN: SubmissionChange = { pointer: '/inputs/procurementActual', value: '1643.42' };

/** Revision 1 is the seed; revision 2 the seed with 实际采购金额 at the plan (a base that scores 94.932). */
const revisions: Record<number, Submission> = { 1: seed, 2: applyChanges(seed, [PROCUREMENT_AT_PLAN]) };
/** A submission row as findRevision reads it: its data (content) only when asked for. */
const baseRow = (revision: number, withContent: boolean): SubmissionEntity =>
  ({
    id: `submission-${revision}`,
    departmentCode: 'gz-kjj',
    fiscalYear: 2021,
    revision,
    targetRevision: 1,
    ruleSetRowId: RULE_SET_ROW.id,
    ...(withContent ? { content: JSON.stringify(revisions[revision]) } : {}),
  }) as SubmissionEntity;

function setUp() {
  const submissions = {
    findRevision: jest.fn(
      async (_code: string, _year: number, revision?: number, options?: { withContent?: boolean }) =>
        baseRow(revision ?? 1, options?.withContent !== false),
    ),
    engineSubmission: jest.fn(async (_department: DepartmentEntity, row: SubmissionEntity) => {
      if (row.content === undefined) throw new Error('engineSubmission needs the data of the row');
      return structuredClone(revisions[row.revision]);
    }),
  };
  const loader = {
    findById: jest.fn(async () => RULE_SET_ROW),
    compiled: () => compiled,
    findPublishedForYear: async () => RULE_SET_ROW,
  };
  const departments = { findVisible: async () => DEPARTMENT };
  const service = new WhatIfService(
    loader as unknown as RuleSetLoader,
    departments as unknown as DepartmentsService,
    submissions as unknown as SubmissionsService,
    new InlineRuleSets(),
  );
  const ask = (base: number, changes: SubmissionChange[] = [PROCUREMENT_AT_PLAN]) =>
    service.ask({ department: 'gz-kjj', year: 2021, base, changes }, EVALUATOR) as Promise<WhatIfResultDto>;
  return { ask, loader, submissions };
}

/** How many submission rows were read with their data. */
const dataReads = (submissions: ReturnType<typeof setUp>['submissions']): number =>
  submissions.findRevision.mock.calls.filter(([, , , options]) => options?.withContent !== false).length;

/** What a scenario answers when everything is read and scored afresh. */
async function expected(base: Submission, changes: SubmissionChange[]) {
  const report = await scoreSubmission(compiled, applyChanges(base, changes));
  return { report, comparison: compareReports(await scoreSubmission(compiled, base), report) };
}

describe(WhatIfService.name, () => {
  it('reads and scores a base once for every scenario on it, answering as if it read everything afresh', async () => {
    const { ask, loader, submissions } = setUp();
    const other: SubmissionChange[] = [{ pointer: '/inputs/budgetPreparation/preAssessment/met', value: true }];
    const answers = [await ask(1), await ask(1), await ask(1, other)];
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toMatchObject(await expected(seed, [PROCUREMENT_AT_PLAN]));
    expect(answers[2]).toMatchObject(await expected(seed, other));
    expect(answers[0].base).toEqual({
      revision: 1,
      targetRevision: 1,
      ruleSet: { ref: `${RULE_SET_ROW.ruleSetId}:2021:1`, checksum: RULE_SET_ROW.checksum },
    });
    expect(submissions.engineSubmission).toHaveBeenCalledTimes(1);
    expect(loader.findById).toHaveBeenCalledTimes(1); // the version it was validated with
    expect(dataReads(submissions)).toBe(1); // each scenario reads its base without the data, the base reads it once
    expect(submissions.findRevision).toHaveBeenCalledTimes(4);
  });

  it('shares a base between concurrent scenarios', async () => {
    const { ask, submissions, loader } = setUp();
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => ask(1)));
    expect(new Set(answers.map((a) => a.report.total))).toEqual(new Set(['94.932']));
    expect(submissions.engineSubmission).toHaveBeenCalledTimes(1);
    expect(loader.findById).toHaveBeenCalledTimes(1);
    expect(dataReads(submissions)).toBe(1);
  });

  it('takes a new revision as a new base', async () => {
    const { ask, submissions } = setUp();
    expect((await ask(1)).comparison.total).toEqual({ before: '94.622', after: '94.932', delta: '0.310' });
    const second = await ask(2, [{ pointer: '/inputs/procurementActual', value: '1388.29' }]);
    expect(second).toMatchObject(
      await expected(revisions[2], [{ pointer: '/inputs/procurementActual', value: '1388.29' }]),
    );
    expect(second.comparison.total).toEqual({ before: '94.932', after: '94.622', delta: '-0.310' });
    expect(submissions.engineSubmission).toHaveBeenCalledTimes(2);
  });

  it('keeps no failure: the next scenario reads the base again', async () => {
    const { ask, submissions } = setUp();
    submissions.engineSubmission.mockRejectedValueOnce(new Error('target revision 1 is missing'));
    await expect(ask(1)).rejects.toThrow('target revision 1 is missing');
    await expect(ask(1)).resolves.toMatchObject({ report: { total: '94.932' } });
    expect(submissions.engineSubmission).toHaveBeenCalledTimes(2);
  });
});
