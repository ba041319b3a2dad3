import { seedRuleSet, seedSubmissionParts } from './support/seed-rule-set';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
  problem,
} from './support/test-app';

jest.setTimeout(90_000);

type Headers = Record<string, string>;
const YEAR = '/departments/gz-kjj/years/2021';
const REASON = '佐证材料不全：请补充政府采购执行情况的说明';
const REOPEN_REASON = '财政局复议：政府采购执行率的佐证材料需重新认定';
const PRE_ASSESSMENT = '/inputs/budgetPreparation/preAssessment';

interface Entry {
  action: string;
  actor: string;
  actorRole: string;
  entityType: string;
  entityId: string;
  reason: string | null;
  details: Record<string, unknown>;
}

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)(
  'The year as a workflow on %s',
  (_kind, makeDatabase) => {
    let database: TestDatabase | undefined;
    let t: TestApp;
    let admin: Headers;
    let evaluator: Headers;
    let kjj: Headers;
    let czj: Headers;
    let jyj: Headers;
    const { targets, yearEnd } = seedSubmissionParts();

    const newKey = async (body: Record<string, string>): Promise<Headers> =>
      bearer((await t.http().post('/api-keys').set(admin).send(body).expect(201)).body.key);
    const year = async (key: Headers = admin, path = YEAR) => (await t.http().get(path).set(key).expect(200)).body;
    const act = (step: string, key: Headers, body: object = {}, path = YEAR) =>
      t.http().post(`${path}/${step}`).set(key).send(body);
    const moves = async (code: string): Promise<Array<[string, string, string | null]>> =>
      (
        (await t.http().get(`/audit?entityType=department-year&departmentCode=${code}`).set(admin).expect(200))
          .body as Entry[]
      )
        .reverse()
        .map((e) => [e.action, `${e.details.from}→${e.details.to}`, e.reason]);

    beforeAll(async () => {
      database = await makeDatabase();
      if (!database) return;
      t = await createTestApp(database);
      admin = bearer(t.adminKey);
      await seedRuleSet(t.app);
      for (const [code, name, region] of [
        ['gz-kjj', '广州市科学技术局', '广州市'],
        ['gz-czj', '广州市财政局', '广州市'],
        ['gz-jyj', '广州市教育局', '广州市'],
      ]) {
        await t.http().post('/departments').set(admin).send({ code, name, region }).expect(201);
      }
      evaluator = await newKey({ name: '绩效处评审', role: 'evaluator' });
      kjj = await newKey({ name: '科技局填报员', role: 'department', departmentCode: 'gz-kjj' });
      czj = await newKey({ name: '财政局填报员', role: 'department', departmentCode: 'gz-czj' });
      jyj = await newKey({ name: '教育局填报员', role: 'department', departmentCode: 'gz-jyj' });
    });
    afterAll(async () => {
      await t?.close();
      await database?.drop();
    });
    const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

    maybe('View [GET /departments/:code/years/:year] a year nothing happened in: 未填报, targets missing', async () => {
      const view = await year(kjj);
      expect(view).toMatchObject({
        departmentCode: 'gz-kjj',
        departmentName: '广州市科学技术局',
        fiscalYear: 2021,
        status: 'not-started',
        statusLabel: '未填报',
        targets: { latestRevision: null, approvedRevision: null, pendingRevision: null },
        latestRevision: null,
        submitted: null,
        lastReturn: null,
        score: null,
        reviewed: null,
        finalised: null,
        deadlines: { targetsDue: null, submissionDue: null, blockLateSubmissions: false, targetsLate: false },
      });
      expect(view.missing.map((m: { item: string }) => m.item)).toEqual(['targets', 'submission']);
      expect(view.missing[0].message).toBe('尚未申报绩效目标');
      const submit = view.actions.find((a: { action: string }) => a.action === 'submit');
      expect(submit).toEqual({ action: 'submit', allowed: false, reason: expect.stringContaining('未填报') });
      const approve = view.actions.find((a: { action: string }) => a.action === 'approve-targets');
      expect(approve).toEqual({
        action: 'approve-targets',
        allowed: false,
        reason: '仅绩效处（评审）或管理员可以批复绩效目标',
      });
      const english = await t.http().get(YEAR).set(kjj).set('Accept-Language', 'en').expect(200);
      expect(english.body.missing[0].message).toBe('no targets are declared');
      // another department's key finds nothing; nobody without a key
      await t.http().get(YEAR).set(czj).expect(404);
      await t.http().get(YEAR).expect(401);
    });

    maybe('declaring targets starts the year (填报中); an evaluator or admin approves them (批复)', async () => {
      await t.http().put(`${YEAR}/targets`).set(kjj).send({ targets }).expect(200);
      expect(await year(kjj)).toMatchObject({
        status: 'in-progress',
        statusLabel: '填报中',
        targets: { latestRevision: 1, approvedRevision: null, pendingRevision: 1 },
      });
      // the department does not approve its own targets
      expect((await t.http().post(`${YEAR}/targets/1/approve`).set(kjj).send({}).expect(403)).body.code).toBe(
        'FORBIDDEN',
      );
      await t.http().post(`${YEAR}/targets/9/approve`).set(evaluator).send({}).expect(404);
      const approved = await t
        .http()
        .post(`${YEAR}/targets/1/approve`)
        .set(evaluator)
        .send({ note: '随2021年部门预算一并批复' })
        .expect(200);
      expect(approved.body).toMatchObject({ revision: 1, approval: 'approved', approvedBy: '绩效处评审' });
      const again = await t.http().post(`${YEAR}/targets/1/approve`).set(admin).send({}).expect(409);
      expect(again.body).toMatchObject({ code: 'CONFLICT', message: 'gz-kjj 2021年度的第1版绩效目标已批复' });
      const overview = (await t.http().get(`${YEAR}/targets`).set(kjj).expect(200)).body;
      expect(overview.approved).toMatchObject({ revision: 1, approval: 'approved' });
      expect(overview.history).toEqual([expect.objectContaining({ revision: 1, approval: 'approved' })]);
    });

    maybe(
      'the wrong order is refused with 409: nothing to submit, return, score, review, finalise or reopen',
      async () => {
        const noData = await act('submit', kjj).expect(409);
        expect(noData.body.message).toContain('尚未填报年终数据');
        for (const [step, key] of [
          ['return', evaluator],
          ['review', evaluator],
          ['finalise', evaluator],
        ] as const) {
          const res = await act(step, key, step === 'return' ? { reason: REASON } : {}).expect(409);
          expect(res.body.message).toMatch(/^gz-kjj 2021年度当前为「填报中」，不能/);
        }
        expect((await act('reopen', admin, { reason: REOPEN_REASON }).expect(409)).body.message).toContain('未定稿');
        const score = await t.http().post(`${YEAR}/evaluations`).set(evaluator).send({}).expect(409);
        expect(score.body.message).toContain('正式评分只对部门提交的版本评分');
      },
    );

    maybe('the department keeps year-end data and submits one named revision (已提交)', async () => {
      const kept = await t.http().post(`${YEAR}/submissions`).set(kjj).send(yearEnd).expect(201);
      expect(kept.body).toMatchObject({ revision: 1, targetRevision: 1 });
      const before = await year(kjj);
      expect(before.missing).toEqual([{ item: 'submit', message: '年终数据（第1版）尚未提交' }]);
      expect(before.actions.find((a: { action: string }) => a.action === 'submit')).toEqual({
        action: 'submit',
        allowed: true,
      });
      // an evaluator does not submit for the department
      await act('submit', evaluator).expect(403);
      const submitted = await act('submit', kjj, { revision: 1 }).expect(200);
      expect(submitted.body).toMatchObject({
        status: 'submitted',
        statusLabel: '已提交',
        submitted: { revision: 1, targetRevision: 1, by: '科技局填报员', late: false },
        missing: [],
      });
      expect((await act('submit', kjj).expect(409)).body.message).toContain('已提交第1版，无需重复提交');
    });

    maybe('while submitted the department changes nothing (409) until an evaluator returns it', async () => {
      const data = await t.http().post(`${YEAR}/submissions`).set(kjj).send(yearEnd).expect(409);
      expect(data.body.message).toContain('评审期间不能修改');
      await t.http().put(`${YEAR}/targets`).set(kjj).send({ targets }).expect(409);
      await t.http().post(`${YEAR}/targets/1/approve`).set(evaluator).send({}).expect(409);
    });

    maybe('Return [POST …/return] needs an evaluator (403) and a reason (422); the department sees it', async () => {
      await act('return', kjj, { reason: REASON }).expect(403);
      const none = await act('return', evaluator, {}).expect(422);
      expect(none.body.details.map((d: { pointer: string }) => d.pointer)).toContain('/reason');
      await act('return', evaluator, { reason: '   ' }).expect(422);
      const returned = await act('return', evaluator, { reason: REASON }).expect(200);
      expect(returned.body).toMatchObject({
        status: 'returned',
        statusLabel: '已退回',
        lastReturn: { reason: REASON, by: '绩效处评审' },
        submitted: { revision: 1 },
      });
      expect((await year(kjj)).missing).toEqual([{ item: 'submit', message: '已退回，修改后请重新提交' }]);
    });

    maybe('the department revises and submits again; scoring scores the submitted revision (已评分)', async () => {
      const revised = {
        ...yearEnd,
        evidence: { ...(yearEnd.evidence as object), 'budget-completion-rate': '补充：支出进度通报及说明' },
      };
      expect((await t.http().post(`${YEAR}/submissions`).set(kjj).send(revised).expect(201)).body.revision).toBe(2);
      expect((await year(kjj)).status).toBe('returned');
      expect((await act('submit', kjj).expect(200)).body.submitted).toMatchObject({ revision: 2 });
      await t.http().post(`${YEAR}/evaluations`).set(kjj).send({}).expect(403);
      const other = await t
        .http()
        .post(`${YEAR}/evaluations`)
        .set(evaluator)
        .send({ submissionRevision: 1 })
        .expect(409);
      expect(other.body.message).toContain('正式评分只对提交的版本评分');
      const scored = await t.http().post(`${YEAR}/evaluations`).set(evaluator).send({}).expect(201);
      expect(scored.body).toMatchObject({ submissionRevision: 2, targetRevision: 1, total: '94.622', grade: '优' });
      expect(await year(kjj)).toMatchObject({
        status: 'scored',
        statusLabel: '已评分',
        score: {
          evaluationId: scored.body.id,
          scoredEvaluationId: scored.body.id,
          selfScore: '94.622',
          reviewScore: null,
          total: '94.622',
          grade: '优',
        },
      });
    });

    maybe('an adjustment gives 复核分 beside 自评分; 复核完成 (已复核) then 定稿 (已定稿), in that order', async () => {
      const id = (await year(evaluator)).score.evaluationId;
      const adjusted = await t
        .http()
        .post(`${YEAR}/evaluations/${id}/adjustments`)
        .set(evaluator)
        .send({ adjustments: [{ pointer: PRE_ASSESSMENT, value: true, reason: '已开展事前绩效评估' }] });
      expect(adjusted.status).toBe(201);
      expect(await year(kjj)).toMatchObject({
        status: 'scored',
        score: { evaluationId: adjusted.body.id, selfScore: '94.622', reviewScore: '95.622', total: '95.622' },
      });
      expect((await act('finalise', evaluator).expect(409)).body.message).toContain('须先完成复核');
      await act('review', kjj).expect(403);
      expect((await act('review', evaluator, { note: '复核完成' }).expect(200)).body).toMatchObject({
        status: 'reviewed',
        statusLabel: '已复核',
        reviewed: { by: '绩效处评审' },
      });
      await act('finalise', kjj).expect(403);
      expect((await act('finalise', evaluator).expect(200)).body).toMatchObject({
        status: 'finalised',
        statusLabel: '已定稿',
        finalised: { by: '绩效处评审' },
        score: { total: '95.622', grade: '优' },
      });
    });

    maybe(
      'a finalised year is locked: targets, submissions, scoring, adjustments all answer 409 in Chinese',
      async () => {
        const { evaluationId } = (await year(evaluator)).score;
        const refusals = [
          await t.http().put(`${YEAR}/targets`).set(kjj).send({ targets }),
          await t.http().post(`${YEAR}/submissions`).set(kjj).send(yearEnd),
          await t.http().post(`${YEAR}/submissions`).set(admin).send(yearEnd),
          await t.http().post(`${YEAR}/evaluations`).set(evaluator).send({}),
          await t
            .http()
            .post(`${YEAR}/evaluations/${evaluationId}/adjustments`)
            .set(evaluator)
            .send({ adjustments: [{ pointer: '/inputs/assetSystems', value: false, reason: '复议' }] }),
          await t.http().post(`${YEAR}/targets/1/approve`).set(evaluator).send({}),
          await act('return', evaluator, { reason: REASON }),
          await act('submit', kjj),
        ];
        expect(refusals.map((r) => r.status)).toEqual([409, 409, 409, 409, 409, 409, 409, 409]);
        expect(problem(refusals[0].body)).toEqual({
          statusCode: 409,
          code: 'CONFLICT',
          message:
            'gz-kjj 2021年度当前为「已定稿」，不能修改绩效目标或年终数据：已定稿，任何提交、目标、复核和评分都不能再改变它；' +
            '如确需修改，请管理员重新开启（POST …/reopen）并说明理由',
          details: [],
        });
        const english = await t
          .http()
          .post(`${YEAR}/submissions`)
          .set(kjj)
          .set('Accept-Language', 'en')
          .send(yearEnd)
          .expect(409);
        expect(english.body.message).toMatch(
          /^gz-kjj 2021 is finalised: cannot change the targets or the year-end data/,
        );
        const evaluations = (await t.http().get(`${YEAR}/evaluations`).set(admin).expect(200)).body;
        expect(evaluations).toHaveLength(2);
        expect((await t.http().get(`${YEAR}/submissions`).set(admin).expect(200)).body).toHaveLength(2);
      },
    );

    maybe('Reopen [POST …/reopen] is for admins (403) with a reason (422), and audited', async () => {
      await act('reopen', evaluator, { reason: REOPEN_REASON }).expect(403);
      await act('reopen', kjj, { reason: REOPEN_REASON }).expect(403);
      await act('reopen', admin, {}).expect(422);
      const reopened = await act('reopen', admin, { reason: REOPEN_REASON }).expect(200);
      expect(reopened.body).toMatchObject({ status: 'reviewed', finalised: null, score: { total: '95.622' } });
      const [entry] = (await t.http().get('/audit?action=year.reopened&departmentCode=gz-kjj').set(admin).expect(200))
        .body as Entry[];
      expect(entry).toMatchObject({
        action: 'year.reopened',
        actor: 'bootstrap admin',
        actorRole: 'admin',
        entityType: 'department-year',
        entityId: 'gz-kjj:2021',
        reason: REOPEN_REASON,
        details: { from: 'finalised', to: 'reviewed' },
      });
    });

    maybe('every move is in the audit log, with who and why', async () => {
      expect(await moves('gz-kjj')).toEqual([
        ['year.started', 'not-started→in-progress', null],
        ['year.submitted', 'in-progress→submitted', null],
        ['year.returned', 'submitted→returned', REASON],
        ['year.submitted', 'returned→submitted', null],
        ['year.scored', 'submitted→scored', null],
        ['year.reviewed', 'scored→reviewed', '复核完成'],
        ['year.finalised', 'reviewed→finalised', null],
        ['year.reopened', 'finalised→reviewed', REOPEN_REASON],
      ]);
      const approvals = (await t.http().get('/audit?action=targets.approved').set(admin).expect(200)).body as Entry[];
      expect(approvals.map((e) => [e.entityId, e.actor, e.reason])).toEqual([
        ['gz-kjj:2021:1', '绩效处评审', '随2021年部门预算一并批复'],
      ]);
    });

    maybe(
      'after approval the targets are binding: a new declaration awaits approval, data is kept under the approved one',
      async () => {
        const path = '/departments/gz-czj/years/2021';
        await t.http().put(`${path}/targets`).set(czj).send({ targets }).expect(200);
        await t.http().post(`${path}/targets/1/approve`).set(admin).send({}).expect(200);
        const second = await t.http().put(`${path}/targets`).set(czj).send({ targets }).expect(200);
        expect(second.body).toMatchObject({ revision: 2, approval: 'pending', approvedBy: null });
        const overview = (await t.http().get(`${path}/targets`).set(czj).expect(200)).body;
        expect([overview.current.revision, overview.approved.revision]).toEqual([2, 1]);
        expect(overview.history.map((h: { approval: string }) => h.approval)).toEqual(['pending', 'approved']);
        // kept under the binding declaration (1), not the pending one (2)
        const kept = await t.http().post(`${path}/submissions`).set(czj).send(yearEnd).expect(201);
        expect(kept.body.targetRevision).toBe(1);
        expect((await year(czj, path)).targets).toEqual({ latestRevision: 2, approvedRevision: 1, pendingRevision: 2 });

        await t.http().post(`${path}/targets/2/approve`).set(evaluator).send({}).expect(200);
        const older = await t.http().post(`${path}/targets/1/approve`).set(evaluator).send({}).expect(409);
        expect(older.body.message).toContain('已批复更新的第2版绩效目标');
        const history = (await t.http().get(`${path}/targets`).set(czj).expect(200)).body.history;
        expect(history.map((h: { approval: string }) => h.approval)).toEqual(['approved', 'superseded']);
        // revision 1 was kept under targets 1, now superseded: submitting it is refused, and the page says why
        expect((await year(czj, path)).missing.map((m: { item: string }) => m.item)).toEqual([
          'resubmission',
          'submit',
        ]);
        const stale = await act('submit', czj, {}, path).expect(409);
        expect(stale.body.message).toBe(
          '第1版年终数据按第1版绩效目标填报，而批复的是第2版：请按批复的目标重新填报（POST …/submissions）后提交',
        );
        expect(
          (await t.http().post(`${path}/submissions`).set(czj).send(yearEnd).expect(201)).body.targetRevision,
        ).toBe(2);
        expect((await act('submit', czj, {}, path).expect(200)).body.submitted).toMatchObject({
          revision: 2,
          targetRevision: 2,
        });
      },
    );

    maybe(
      'Deadlines [PUT /years/:year/deadlines]: late submissions are flagged, refused only when blocked',
      async () => {
        const path = '/departments/gz-jyj/years/2021';
        await t.http().put('/years/2021/deadlines').set(evaluator).send({}).expect(403);
        const bad = await t
          .http()
          .put('/years/2021/deadlines')
          .set(admin)
          .send({ submissionDue: '2022-03-31' })
          .expect(422);
        expect(bad.body.details[0].pointer).toBe('/submissionDue');
        const set = await t
          .http()
          .put('/years/2021/deadlines')
          .set(admin)
          .send({
            targetsDue: '2021-03-31T23:59:59+08:00',
            submissionDue: '2022-03-31T23:59:59+08:00',
            blockLateSubmissions: true,
          })
          .expect(200);
        expect(set.body).toMatchObject({
          fiscalYear: 2021,
          targetsDue: '2021-03-31T15:59:59.000Z',
          submissionDue: '2022-03-31T15:59:59.000Z',
          blockLateSubmissions: true,
          updatedBy: 'bootstrap admin',
        });
        expect((await t.http().get('/years/2021/deadlines').set(jyj).expect(200)).body).toEqual(set.body);

        await t.http().put(`${path}/targets`).set(jyj).send({ targets }).expect(200);
        await t.http().post(`${path}/targets/1/approve`).set(evaluator).send({}).expect(200);
        await t.http().post(`${path}/submissions`).set(jyj).send(yearEnd).expect(201);
        expect((await year(jyj, path)).deadlines).toMatchObject({ targetsLate: true, blockLateSubmissions: true });
        const blocked = await act('submit', jyj, {}, path).expect(409);
        expect(blocked.body.message).toBe(
          '2021年度年终数据的提交截止时间（北京时间 2022-03-31 23:59）已过，财政局不再接受逾期提交',
        );
        await t
          .http()
          .put('/years/2021/deadlines')
          .set(admin)
          .send({ submissionDue: '2022-03-31T23:59:59+08:00' })
          .expect(200);
        const late = await act('submit', jyj, {}, path).expect(200);
        expect(late.body.submitted).toMatchObject({ revision: 1, late: true });
        const [entry] = (await t.http().get('/audit?action=year.deadlines-set').set(admin).expect(200)).body as Entry[];
        expect(entry).toMatchObject({ entityType: 'year', entityId: '2021', details: { blockLateSubmissions: false } });
      },
    );
  },
);
