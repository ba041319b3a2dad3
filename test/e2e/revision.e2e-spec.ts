import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
} from './support/test-app';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
/* eslint-disable @typescript-eslint/no-explicit-any -- the spec edits parsed rule files and reads bodies */
type Json = any;
/** The example 2022 revision of 广州 2021 (continues 2021.1.0), as shipped. */
const draftFile = (): Json =>
  JSON.parse(readFileSync(join(ROOT, 'docs/examples/guangzhou-department-overall-2022-draft.json'), 'utf8'));

const ADMIN = bearer('demo-admin-key');
const EVALUATOR = bearer('demo-evaluator-key');
const PUBLISHED_2021 = 'guangzhou-department-overall:2021:1';
const DRAFT_2022 = 'guangzhou-department-overall:2022:1';
const SIMULATION = { department: 'gz-kjj', year: 2021 };
const ASSUMED = ['dataSecurity/dataRules', 'dataSecurity/riskAssessment'];

/** The leaves of a comparison that moved, as [code, before, after, delta]. */
const movedLeaves = (comparison: Json) =>
  comparison.changed.filter((n: Json) => n.kind === 'leaf').map((n: Json) => [n.code, n.before, n.after, n.delta]);
const find = (nodes: Json[], code: string): Json =>
  nodes.flatMap((n) => [n, ...(n.children ? [find(n.children, code)] : [])]).find((n) => n?.code === code);

/** supertest buffers unknown content types as nothing: read the stream as text. */
const asText = (res: Response, done: (error: Error | null, body: string) => void): void => {
  const stream = res as unknown as NodeJS.ReadableStream;
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  stream.on('end', () => done(null, text));
};
const ndjson = (res: Response): Json[] =>
  (res.body as string)
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l));

/**
 * The worked example of issue 11 over HTTP: the demo department gz-kjj's 2021 data (94.622 优) under the example 2022
 * draft — 政府采购执行率 1.69 → 0.45, 固定资产利用率 1.50 → 0.00, 工作受表彰或批评 2.5 → 1.5, 数据安全管理 assumed met
 * (1.00 for the 资产管理制度健全性 it replaces): 90.882, and 优 now starts at 92, so 良.
 */
describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)(
  'Next year’s draft on this year’s data on %s',
  (_kind, makeDatabase) => {
    let database: TestDatabase | undefined;
    let t: TestApp;
    let draftChecksum: string;

    beforeAll(async () => {
      database = await makeDatabase();
      if (!database) return;
      t = await createTestApp(database, { JIPING_DEMO: 'true' });
      const uploaded = await t.http().post('/rule-sets').set(ADMIN).send(draftFile()).expect(201);
      expect(uploaded.body).toMatchObject({ ref: DRAFT_2022, status: 'draft' });
      draftChecksum = uploaded.body.checksum;
    });
    afterAll(async () => {
      await t?.close();
      await database?.drop();
    });
    const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));
    const whatIf = (body: unknown, headers: Record<string, string> = EVALUATOR) =>
      t
        .http()
        .post('/what-if')
        .set(headers)
        .send(body as object);

    maybe('What-if [POST /what-if] with the inline 2022 draft simulates it on the 2021 data: 90.882 良', async () => {
      const res = await whatIf({ ...SIMULATION, ruleSet: draftFile() }).expect(200);
      const { report, comparison, simulation } = res.body;
      expect(res.body.ruleSet).toEqual({ ref: 'inline', checksum: draftChecksum });
      expect(res.body.base.ruleSet.ref).toBe(PUBLISHED_2021);
      expect([report.total, report.grade, report.fiscalYear]).toEqual(['90.882', '良', 2022]);
      expect(comparison.total).toEqual({ before: '94.622', after: '90.882', delta: '-3.740' });
      expect(comparison.grade).toEqual({ before: '优', after: '良', changed: true });
      expect(movedLeaves(comparison)).toEqual([
        ['procurement-execution-rate', '1.69', '0.45', '-1.24'],
        ['data-security', null, '1.00', '1.00'],
        ['asset-systems', '1.00', null, '-1.00'],
        ['fixed-asset-utilization', '1.50', '0.00', '-1.50'],
        ['commendation-criticism', '2.5', '1.5', '-1.0'],
      ]);
      // Every assumed value is marked: in the comparison, on the leaf of the report, and listed in `simulation`.
      expect(comparison.changed.find((n: Json) => n.code === 'data-security').assumed).toEqual(ASSUMED);
      expect(comparison.changed.find((n: Json) => n.code === 'fixed-asset-utilization').assumed).toBeUndefined();
      const dataSecurity = find(report.sections, 'data-security');
      expect(dataSecurity.assumed.map((a: Json) => [a.key, a.label, a.shown])).toEqual([
        [ASSUMED[0], '数据安全管理 › 已制定数据安全管理制度', '满足'],
        [ASSUMED[1], '数据安全管理 › 按要求开展数据安全风险评估', '满足'],
      ]);
      expect(dataSecurity.basis).toContain(
        '（模拟假定：已制定数据安全管理制度按满足计，按要求开展数据安全风险评估按满足计。',
      );
      expect(simulation).toMatchObject({
        description: '2021年数据按2022年规则模拟',
        from: { ref: PUBLISHED_2021, version: '2021.1.0', fiscalYear: 2021 },
        to: { ref: 'inline', version: '2022.0.1', fiscalYear: 2022, checksum: draftChecksum },
      });
      expect(simulation.assumptions.map((a: Json) => [a.key, a.value, a.shown, a.indicators])).toEqual([
        [ASSUMED[0], true, '满足', [{ code: 'data-security', name: '数据安全管理' }]],
        [ASSUMED[1], true, '满足', [{ code: 'data-security', name: '数据安全管理' }]],
      ]);
      expect(simulation.notes.map((n: Json) => [n.kind, n.code, n.message])).toEqual([
        [
          'input-dropped',
          'assetSystems',
          '2021年数据中的 资产管理制度健全（assetSystems）在新规则中已删除，不参与模拟',
        ],
        [
          'evidence-dropped',
          'asset-systems',
          expect.stringContaining('资产管理制度健全性（asset-systems）在新规则中已删除'),
        ],
      ]);
      expect(report.simulation.description).toBe('2021年数据按2022年规则模拟');
    });

    maybe('says what it simulated in English on request (Accept-Language: en)', async () => {
      const res = await whatIf({ ...SIMULATION, ruleSet: draftFile() }, { ...EVALUATOR, 'Accept-Language': 'en' });
      expect(res.status).toBe(200);
      expect(res.body.simulation.description).toBe('2021 data scored under the 2022 rules (simulation)');
      expect(res.body.simulation.notes[0].message).toBe(
        "2021's input assetSystems is not in the new rules and is ignored",
      );
    });

    maybe('takes the stored draft by reference too, and a what-if change to an assumed value replaces it', async () => {
      const byRef = await whatIf({ ...SIMULATION, ruleSet: DRAFT_2022 }).expect(200);
      expect(byRef.body.ruleSet).toEqual({ ref: DRAFT_2022, checksum: draftChecksum });
      expect([byRef.body.report.total, byRef.body.report.grade]).toEqual(['90.882', '良']);
      expect(byRef.body.simulation.to.ref).toBe(DRAFT_2022);

      // The data sets the new input itself: nothing is assumed, and the unmet point costs 0.5.
      const riskNotAssessed = { pointer: '/inputs/dataSecurity', value: { dataRules: true, riskAssessment: false } };
      const changed = await whatIf({ ...SIMULATION, ruleSet: DRAFT_2022, changes: [riskNotAssessed] }).expect(200);
      expect(changed.body.report.total).toBe('90.382');
      expect(changed.body.simulation.assumptions).toEqual([]);
      expect(find(changed.body.report.sections, 'data-security')).toMatchObject({ score: '0.50' });
      expect(find(changed.body.report.sections, 'data-security').assumed).toBeUndefined();
    });

    maybe(
      'refuses a rule set of another year that does not continue the data’s version, saying how to declare it',
      async () => {
        const noContinuation = draftFile();
        delete noContinuation.continues;
        const inline = await whatIf({ ...SIMULATION, ruleSet: noContinuation }).expect(422);
        expect(inline.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ pointer: '/ruleSet/fiscalYear' }] });
        expect(inline.body.details[0].message).toContain(
          '"continues": { "id": "guangzhou-department-overall", "version": "2021.1.0", "fiscalYear": 2021 }',
        );
        const otherSeries = draftFile();
        otherSeries.continues.id = 'guangzhou-project';
        const series = await whatIf({ ...SIMULATION, ruleSet: otherSeries }).expect(422);
        expect(series.body.details).toEqual([
          { pointer: '/ruleSet/continues', message: expect.stringContaining('承接 guangzhou-project 2021 年度') },
        ]);
      },
    );

    maybe(
      'refuses a new input without a declared value (CANNOT_SIMULATE), at its pointer into the inline file',
      async () => {
        const undeclared = draftFile();
        undeclared.continues.inputs = [];
        const at = undeclared.inputs.findIndex((input: Json) => input.id === 'dataSecurity');
        const res = await whatIf({ ...SIMULATION, ruleSet: undeclared }).expect(422);
        expect(res.body).toMatchObject({ code: 'CANNOT_SIMULATE' });
        expect(res.body.details).toEqual([
          {
            pointer: `/ruleSet/inputs/${at}`,
            message: expect.stringContaining('新增输入项 数据安全管理（dataSecurity）'),
          },
        ]);
      },
    );

    maybe(
      'Impact [POST /rule-sets/:ref/impact] of the 2022 draft on the 2021 submissions: gz-kjj moves 优 → 良',
      async () => {
        const res = await t
          .http()
          .post(`/rule-sets/${DRAFT_2022}/impact`)
          .set(EVALUATOR)
          .send({ against: PUBLISHED_2021, year: 2021 })
          .buffer(true)
          .parse(asText)
          .expect(200);
        const lines = ndjson(res);
        expect(lines.filter((l) => l.type === 'error')).toEqual([]);
        expect(lines.filter((l) => l.type === 'row')).toEqual([
          {
            type: 'row',
            department: { code: 'gz-kjj', name: '广州市科学技术局' },
            before: { total: '94.622', grade: '优' },
            after: { total: '90.882', grade: '良' },
            delta: '-3.740',
            assumed: ASSUMED,
          },
        ]);
        const summary = lines[lines.length - 1];
        expect(summary).toMatchObject({
          type: 'summary',
          year: 2021,
          ruleSet: { ref: DRAFT_2022, status: 'draft' },
          against: { ref: PUBLISHED_2021, status: 'published' },
          departments: 1,
          failed: 0,
          gradeChanges: { changed: 1, up: 0, down: 1 },
          departmentsWithAssumptions: 1,
          simulation: {
            description: '2021年数据按2022年规则模拟',
            from: { ref: PUBLISHED_2021, fiscalYear: 2021 },
            to: { ref: DRAFT_2022, fiscalYear: 2022 },
          },
        });
        expect(summary.transitions['优']).toMatchObject({ 优: 0, 良: 1 });
        expect(summary.assumptions.map((a: Json) => [a.key, a.label, a.shown, a.departments])).toEqual([
          [ASSUMED[0], '数据安全管理 › 已制定数据安全管理制度', '满足', 1],
          [ASSUMED[1], '数据安全管理 › 按要求开展数据安全风险评估', '满足', 1],
        ]);
        expect(summary.simulation.notes.map((n: Json) => [n.kind, n.code])).toEqual([
          ['input-dropped', 'assetSystems'],
          ['evidence-dropped', 'asset-systems'],
        ]);
        expect(Object.fromEntries(summary.indicators.map((i: Json) => [i.code, i.totalDelta]))).toEqual({
          'fixed-asset-utilization': '-1.50',
          'procurement-execution-rate': '-1.24',
          'asset-systems': '-1.00',
          'data-security': '1.00',
          'commendation-criticism': '-1.0',
        });
      },
    );

    maybe('refuses an impact whose candidate is of another year and does not continue against', async () => {
      const file = draftFile();
      delete file.continues;
      file.version = '2022.0.2';
      const ref = (await t.http().post('/rule-sets').set(ADMIN).send(file).expect(201)).body.ref;
      const res = await t
        .http()
        .post(`/rule-sets/${ref}/impact`)
        .set(EVALUATOR)
        .send({ against: PUBLISHED_2021, year: 2021 })
        .expect(422);
      expect(res.body.details).toEqual([
        { pointer: '/ref', message: expect.stringContaining('未声明承接哪个版本（continues）') },
      ]);
    });
  },
);
