import { getRepositoryToken } from '@nestjs/typeorm';
import { DepartmentEntity, type RuleSetEntity, SubmissionEntity, TargetDeclarationEntity } from '@jiping/persistence';
import type { ImpactRow, ImpactSummaryResult } from '@jiping/scoring';
import Decimal from 'decimal.js';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { ObjectLiteral, Repository } from 'typeorm';
import { movedBandDraft } from '../support/moved-band-draft';
import { seedRuleSet, seedSubmissionParts } from './support/seed-rule-set';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
} from './support/test-app';

jest.setTimeout(120_000);

const YEAR = 2021;
const N = 1_200;
const PUBLISHED = 'guangzhou-department-overall:2021:1';
const DRAFT = 'guangzhou-department-overall:2021:2';
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
const FIXED = 'fixed-asset-utilization';

/** A generated department, and what the band change must do to it (worked out here, not by the engine). */
interface Generated {
  code: string;
  name: string;
  inUse: string;
  total: string;
  /** 在用/全部 as a percentage, rounded half-up to 2 decimals: what the engine shows and scores. */
  rate: Decimal;
  /** No commendation and one violation (−5 against the seed): close enough to 90 to change grade. */
  penalised: boolean;
  before: { total: string; grade: string };
  after: { total: string; grade: string };
  moves: boolean;
}

const cents = (value: number): string => `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;
const gradeOf = (total: Decimal): string => (total.gte(90) ? '优' : total.gte(80) ? '良' : total.gte(60) ? '中' : '差');

/**
 * N departments with 固定资产利用率 spread over 80–100 %, deterministically, and everything else the seed's; every
 * fifth one penalised so that the −0.5 carries some of them from 优 to 良. The first eight sit on the rounding edges
 * of the two thresholds (17999/20000 = 89.995 % → 90.00 % moves; 18999/20000 = 94.995 % → 95.00 % does not).
 */
function generate(): Generated[] {
  const edges: Array<[number, number]> = [
    [1_799_900, 2_000_000],
    [1_799_899, 2_000_000],
    [1_800_000, 2_000_000],
    [1_899_900, 2_000_000],
    [1_899_899, 2_000_000],
    [1_900_000, 2_000_000],
    [1_600_000, 2_000_000],
    [2_000_000, 2_000_000],
  ];
  return Array.from({ length: N }, (_, i) => {
    const totalCents = edges[i]?.[1] ?? 1_000_000 + ((i * 7_919) % 5_000_000);
    const basisPoints = 8_000 + ((i * 104_729) % 2_001); // 80.00 % … 100.00 %
    const inUseCents = edges[i]?.[0] ?? Math.round((totalCents * basisPoints) / 10_000);
    const rate = new D(inUseCents).div(totalCents).mul(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const penalised = i % 5 === 4;
    const base = new D(penalised ? '89.622' : '94.622');
    const before = base.add(rate.gte(90) ? '0.5' : 0);
    const after = base.add(rate.gte(95) ? '0.5' : 0);
    const code = `impact-${String(i + 1).padStart(4, '0')}`;
    return {
      code,
      name: `第${i + 1}部门`,
      inUse: cents(inUseCents),
      total: cents(totalCents),
      rate,
      penalised,
      before: { total: before.toFixed(3), grade: gradeOf(before) },
      after: { total: after.toFixed(3), grade: gradeOf(after) },
      moves: rate.gte(90) && rate.lt(95),
    };
  });
}

/** Inserts rows in batches straight through a repository (fast: no API, no validation). */
async function insertAll<T extends ObjectLiteral>(repository: Repository<T>, rows: T[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await repository.insert(rows.slice(i, i + 200) as never);
}

/** The lines of the stream, as the service writes them. */
type Line =
  | { type: 'progress'; done: number; total: number }
  | ({ type: 'row' } & ImpactRow)
  | { type: 'error'; code: string; message: string }
  | ({ type: 'summary'; year: number; ruleSet: object; against: object } & ImpactSummaryResult);
type Summary = Extract<Line, { type: 'summary' }>;

/** The NDJSON body as parsed lines. */
const ndjson = (res: Response): Line[] =>
  (res.body as string)
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Line);
const ofType = <T extends Line['type']>(lines: Line[], type: T): Array<Extract<Line, { type: T }>> =>
  lines.filter((l): l is Extract<Line, { type: T }> => l.type === type);
const summaryOf = (lines: Line[]): Summary => {
  const last = lines[lines.length - 1];
  if (last?.type !== 'summary') throw new Error(`the stream does not end with its summary: ${JSON.stringify(last)}`);
  return last;
};

/** supertest buffers unknown content types as nothing: read the stream as text. */
const asText = (res: Response, done: (error: Error | null, body: string) => void): void => {
  const stream = res as unknown as NodeJS.ReadableStream;
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  stream.on('end', () => done(null, text));
};

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('Rule-change impact on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;
  let evaluatorKey: string;
  let departmentKey: string;
  let published: RuleSetEntity;
  let draftChecksum: string;
  const departments = generate();
  const movers = departments.filter((d) => d.moves);

  beforeAll(async () => {
    database = await makeDatabase();
    if (!database) return;
    t = await createTestApp(database);
    const admin = bearer(t.adminKey);
    published = await seedRuleSet(t.app);
    const draft = await t.http().post('/rule-sets').set(admin).send(movedBandDraft()).expect(201);
    expect(draft.body).toMatchObject({ ref: DRAFT, status: 'draft' });
    draftChecksum = draft.body.checksum;

    const repository = <T extends ObjectLiteral>(entity: new () => T): Repository<T> =>
      t.app.get<Repository<T>>(getRepositoryToken(entity));
    const { targets, yearEnd } = seedSubmissionParts();
    const now = new Date();
    const body = (d: Generated, inUse = d.inUse): string =>
      JSON.stringify({
        ...yearEnd,
        inputs: {
          ...yearEnd.inputs,
          fixedAssetsInUse: inUse,
          fixedAssetsTotal: d.total,
          ...(d.penalised ? { commendations: 0, violations: 1 } : {}),
        },
      });
    const submission = (d: Generated, revision: number, content: string, fiscalYear = YEAR): SubmissionEntity => ({
      id: randomUUID(),
      departmentCode: d.code,
      fiscalYear,
      revision,
      ruleSetRowId: published.id,
      targetRevision: 1,
      budgetTotal: null,
      executedTotal: null,
      content,
      createdBy: 'e2e seed',
      createdAt: now,
    });
    await insertAll(
      repository(DepartmentEntity),
      departments.map((d) => ({ code: d.code, name: d.name, region: '广州市', createdAt: now })),
    );
    await insertAll(
      repository(TargetDeclarationEntity),
      departments.map((d) => ({
        id: randomUUID(),
        departmentCode: d.code,
        fiscalYear: YEAR,
        revision: 1,
        ruleSetRowId: published.id,
        content: JSON.stringify(targets),
        createdBy: 'e2e seed',
        createdAt: now,
        approvedAt: null,
        approvedBy: null,
      })),
    );
    // Every 50th department revised its data: an earlier revision (50 % utilisation) must not be the one scored.
    // Every 100th also has data for 2020, which a 2021 rule set cannot score: it must not be read at all.
    const revised = departments.filter((_, i) => i % 50 === 10);
    await insertAll(repository(SubmissionEntity), [
      ...revised.map((d) => submission(d, 1, body(d, cents(Math.floor(Number(d.total.replace('.', '')) / 2))))),
      ...departments.map((d) => submission(d, revised.includes(d) ? 2 : 1, body(d))),
      ...departments.filter((_, i) => i % 100 === 20).map((d) => submission(d, 1, body(d), YEAR - 1)),
    ]);

    const key = async (payload: object): Promise<string> =>
      (await t.http().post('/api-keys').set(admin).send(payload).expect(201)).body.key;
    evaluatorKey = await key({ name: '评审专家', role: 'evaluator' });
    departmentKey = await key({ name: '部门填报账号', role: 'department', departmentCode: departments[0].code });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  const impact = (key: string, query = '', body: object = { against: PUBLISHED, year: YEAR }) =>
    t.http().post(`/rule-sets/${DRAFT}/impact${query}`).set(bearer(key)).send(body).buffer(true).parse(asText);

  let fullSummary: Summary;

  maybe(
    'Impact [POST /rule-sets/:ref/impact] moves exactly the departments in [90 %, 95 %), each by −0.5',
    async () => {
      // The generated data covers both sides of both thresholds, and some departments cross from 优 to 良.
      expect(movers.length).toBeGreaterThan(100);
      expect(departments.filter((d) => d.rate.gte(95)).length).toBeGreaterThan(100);
      expect(departments.filter((d) => d.rate.lt(90)).length).toBeGreaterThan(100);
      expect(departments.filter((d) => d.before.grade !== d.after.grade).length).toBeGreaterThan(10);

      const res = await impact(t.adminKey).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
      const lines = ndjson(res);
      expect(lines[0]).toEqual({ type: 'progress', done: 0, total: N });
      const summary = summaryOf(lines);
      expect(ofType(lines, 'error')).toEqual([]);

      const progress = ofType(lines, 'progress').map((l) => l.done);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress[progress.length - 1]).toBe(N);
      expect(progress.length).toBeGreaterThanOrEqual(21); // every 5 %: 60 departments

      const rows = ofType(lines, 'row');
      expect(rows).toHaveLength(N);
      const byCode = new Map(rows.map((row) => [row.department.code, row]));
      for (const d of departments) {
        expect(byCode.get(d.code)).toEqual({
          type: 'row',
          department: { code: d.code, name: d.name },
          before: d.before,
          after: d.after,
          delta: d.moves ? '-0.500' : '0.000',
        });
      }

      const k = movers.length;
      const stayed = departments.filter((d) => !d.moves);
      expect(summary).toMatchObject({
        year: YEAR,
        ruleSet: { ref: DRAFT, status: 'draft', checksum: draftChecksum },
        against: { ref: PUBLISHED, status: 'published', checksum: published.checksum },
        departments: N,
        failed: 0,
        changed: k,
        raised: 0,
        lowered: k,
      });
      expect(summary.delta).toEqual({
        mean: new D(k).mul('-0.5').div(N).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4),
        median: k > N / 2 ? '-0.500' : '0.000',
        min: { delta: '-0.500', department: { code: movers[0].code, name: movers[0].name } },
        max: { delta: '0.000', department: { code: stayed[0].code, name: stayed[0].name } },
      });
      expect(summary.indicators).toEqual([
        {
          code: FIXED,
          name: '固定资产利用率',
          meanDelta: new D(k).mul('-0.5').div(N).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4),
          totalDelta: new D(k).mul('-0.5').toFixed(2),
          moved: k,
          raised: 0,
          lowered: k,
        },
      ]);
      expect(summary.movers).toEqual(
        movers.slice(0, 10).map((d) => ({
          department: { code: d.code, name: d.name },
          before: d.before,
          after: d.after,
          delta: '-0.500',
        })),
      );

      const crossed = departments.filter((d) => d.before.grade === '优' && d.after.grade === '良');
      expect(crossed.every((d) => d.penalised && d.moves)).toBe(true);
      const count = (before: string, after: string): number =>
        departments.filter((d) => d.before.grade === before && d.after.grade === after).length;
      expect(summary.grades).toEqual({ before: ['优', '良', '中', '差'], after: ['优', '良', '中', '差'] });
      expect(summary.transitions).toEqual({
        优: { 优: count('优', '优'), 良: crossed.length, 中: 0, 差: 0 },
        良: { 优: 0, 良: count('良', '良'), 中: 0, 差: 0 },
        中: { 优: 0, 良: 0, 中: 0, 差: 0 },
        差: { 优: 0, 良: 0, 中: 0, 差: 0 },
      });
      const cells = Object.values(summary.transitions).flatMap((row) => Object.values(row));
      expect(cells.reduce((a, b) => a + b, 0)).toBe(N);
      expect(summary.gradeChanges).toEqual({ changed: crossed.length, up: 0, down: crossed.length });
      fullSummary = summary;
    },
  );

  maybe('Impact [POST /rule-sets/:ref/impact?rows=false] lets an evaluator run it, without the rows', async () => {
    const res = await impact(evaluatorKey, '?rows=false').expect(200);
    const lines = ndjson(res);
    expect(new Set(lines.map((l) => l.type))).toEqual(new Set(['progress', 'summary']));
    const summary = summaryOf(lines);
    expect(summary).toEqual(fullSummary);
    expect(summary.departments).toBe(N);
  });

  maybe('Impact [POST /rule-sets/:ref/impact] is forbidden to department keys (403)', async () => {
    const res = await impact(departmentKey).expect(403);
    expect(JSON.parse(res.body)).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
  });

  maybe('Impact [POST /rule-sets/:ref/impact] refuses bad requests before streaming anything', async () => {
    const refused = async (query: string, body: object, status: number): Promise<unknown> =>
      JSON.parse((await impact(t.adminKey, query, body).expect(status)).body);
    expect(await refused('', { against: 'guangzhou-department-overall:2021:9', year: YEAR }, 404)).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await refused('', { against: 'latest', year: YEAR }, 422)).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ pointer: '/against' }],
    });
    expect(await refused('', { against: PUBLISHED, year: YEAR - 1 }, 422)).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ pointer: '/ref' }, { pointer: '/against' }],
    });
    expect(await refused('?rows=maybe', { against: PUBLISHED, year: YEAR }, 422)).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ pointer: '/rows' }],
    });
  });
});
