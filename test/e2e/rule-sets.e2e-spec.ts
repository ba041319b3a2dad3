import { getRepositoryToken } from '@nestjs/typeorm';
import { DepartmentEntity } from '@jiping/persistence';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Repository } from 'typeorm';
import {
  bearer,
  createTestApp,
  mysqlDatabase,
  sqliteDatabase,
  type TestApp,
  type TestDatabase,
  problem,
} from './support/test-app';

jest.setTimeout(60_000); // app start-up and database creation take several seconds under load

/* eslint-disable @typescript-eslint/no-explicit-any -- the specs edit parsed rule files */

const ROOT = join(__dirname, '..', '..');
const GZ_PATH = 'rules/guangzhou/department-overall/2021.json';
const NATIONAL_PATH = 'rules/national/project-self-evaluation/2020.json';
const LOCK: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'rules/rules.lock.json'), 'utf8'));
const GZ_TEXT = readFileSync(join(ROOT, GZ_PATH), 'utf8');
const NATIONAL_TEXT = readFileSync(join(ROOT, NATIONAL_PATH), 'utf8');
/** A fresh copy of the 广州 2021 rule file, to edit. */
const gz = (): any => JSON.parse(GZ_TEXT);
const national = (): any => JSON.parse(NATIONAL_TEXT);

const GZ = 'guangzhou-department-overall';
const NATIONAL = 'national-project-self-evaluation';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** 资产管理 → 固定资产利用率 in the 广州 2021 file. */
const FIXED_ASSETS = '/indicators/0/children/3/children/2';
const fixedAssets = (file: any): any => file.indicators[0].children[3].children[2];

/** The 广州 2021 file with the top band of 固定资产利用率 starting at 95 % instead of 90 % (still contiguous). */
function gzWithBand95(): any {
  const file = gz();
  const bands = fixedAssets(file).method.bands;
  bands[0].when.all[0].value = '95';
  bands[1].when.all[1].value = '95';
  // The embedded case "各项满分" has 90.00 % in use; keep it at full marks under the new bands.
  file.tests[1].submission.inputs.fixedAssetsInUse = file.tests[1].submission.inputs.fixedAssetsTotal;
  return file;
}

describe.each([
  ['sqlite', async () => sqliteDatabase()],
  ['mysql', mysqlDatabase],
] as Array<[string, () => Promise<TestDatabase | undefined>]>)('rule sets on %s', (_kind, makeDatabase) => {
  let database: TestDatabase | undefined;
  let t: TestApp;
  let admin: Record<string, string>;
  let evaluator: Record<string, string>;
  let department: Record<string, string>;

  beforeAll(async () => {
    database = await makeDatabase();
    if (!database) return;
    t = await createTestApp(database);
    admin = bearer(t.adminKey);
    const evaluatorKey = await t
      .http()
      .post('/api-keys')
      .set(admin)
      .send({ name: '评审专家', role: 'evaluator' })
      .expect(201);
    evaluator = bearer(evaluatorKey.body.key);
    // The departments API is written elsewhere: insert the department directly.
    const departments = t.app.get<Repository<DepartmentEntity>>(getRepositoryToken(DepartmentEntity));
    await departments.insert({ code: 'gz-kjj', name: '广州市科学技术局', region: '广州市', createdAt: new Date() });
    const departmentKey = await t
      .http()
      .post('/api-keys')
      .set(admin)
      .send({ name: '科技局填报账号', role: 'department', departmentCode: 'gz-kjj' })
      .expect(201);
    department = bearer(departmentKey.body.key);
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => (database ? fn() : undefined));

  const upload = (file: unknown, as = admin) =>
    t
      .http()
      .post('/rule-sets')
      .set(as)
      .send(file as object);
  const listRefs = async (query = '', as = admin): Promise<string[]> =>
    (await t.http().get(`/rule-sets${query}`).set(as).expect(200)).body.map((r: { ref: string }) => r.ref);

  maybe('refuses a request without a key (401)', async () => {
    expect(problem((await t.http().get('/rule-sets').expect(401)).body)).toEqual({
      statusCode: 401,
      code: 'UNAUTHORIZED',
      message: '请先登录：请求头应带 Authorization: Bearer <API 密钥或单点登录令牌>',
      details: [],
    });
    await t.http().post('/rule-sets').send(gz()).expect(401);
  });

  maybe('Upload [POST /rule-sets] stores the 广州 2021 file as draft version 1, then version 2', async () => {
    const first = await upload(gz()).expect(201);
    expect(first.body).toEqual({
      ref: `${GZ}:2021:1`,
      rowId: expect.stringMatching(UUID),
      ruleSetId: GZ,
      fiscalYear: 2021,
      versionNo: 1,
      fileVersion: '2021.1.0',
      title: '广州市部门整体支出绩效自评指标体系（2021年度）',
      status: 'draft',
      checksum: LOCK[GZ_PATH],
      createdBy: 'bootstrap admin',
      createdAt: expect.stringMatching(ISO),
      publishedBy: null,
      publishedAt: null,
      warnings: [],
    });
    // The same file again is stored (a draft to work on), with a warning that it is identical to version 1.
    const second = await upload(gz()).expect(201);
    expect(second.body).toMatchObject({ ref: `${GZ}:2021:2`, versionNo: 2, status: 'draft', checksum: LOCK[GZ_PATH] });
    expect(second.body.rowId).not.toBe(first.body.rowId);
    expect(second.body.warnings).toEqual([
      {
        kind: 'identical-upload',
        pointer: '',
        message: `与已保存的第 1 版（${GZ}:2021:1）内容完全相同：无需再次上传，可直接使用该版本`,
      },
    ]);
  });

  maybe('an evaluator may not upload (403)', async () => {
    expect(problem((await upload(gz(), evaluator).expect(403)).body)).toEqual({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: '此操作仅限管理员；您的角色是评价人员',
      details: [],
    });
    expect(await listRefs()).toEqual([`${GZ}:2021:1`, `${GZ}:2021:2`]);
  });

  maybe('List [GET /rule-sets] orders by id, year and version and filters by id, year and status', async () => {
    await upload(national()).expect(201);
    const all = await t.http().get('/rule-sets').set(evaluator).expect(200);
    expect(all.body.map((r: { ref: string }) => r.ref)).toEqual([`${GZ}:2021:1`, `${GZ}:2021:2`, `${NATIONAL}:2020:1`]);
    expect(all.body[2]).toMatchObject({ ruleSetId: NATIONAL, fiscalYear: 2020, checksum: LOCK[NATIONAL_PATH] });
    expect(all.body[0].content).toBeUndefined();
    expect(await listRefs(`?id=${NATIONAL}`)).toEqual([`${NATIONAL}:2020:1`]);
    expect(await listRefs('?year=2021')).toEqual([`${GZ}:2021:1`, `${GZ}:2021:2`]);
    expect(await listRefs(`?id=${GZ}&year=2020`)).toEqual([]);
    expect(await listRefs('?status=draft')).toHaveLength(3);
    expect(await listRefs('?status=published')).toEqual([]);
  });

  maybe('refuses invalid list filters (422), naming each', async () => {
    const res = await t.http().get('/rule-sets?year=21&status=final&id=Not_Kebab').set(admin).expect(422);
    expect(problem(res.body)).toEqual({
      statusCode: 422,
      code: 'VALIDATION_FAILED',
      message: '请求有误：请按 details 修改所列字段',
      details: [
        { pointer: '/id', message: 'id 应为规则集标识（小写字母、数字和连字符，如 guangzhou-department-overall）' },
        { pointer: '/year', message: 'year 不能小于 2000' },
        { pointer: '/status', message: 'status 应为以下值之一：draft, published, superseded' },
      ],
    });
  });

  maybe('Get [GET /rule-sets/:ref] returns the version with its rule file', async () => {
    const res = await t.http().get(`/rule-sets/${GZ}:2021:1`).set(evaluator).expect(200);
    expect(res.body).toMatchObject({ ref: `${GZ}:2021:1`, versionNo: 1, status: 'draft', checksum: LOCK[GZ_PATH] });
    expect(res.body.content).toEqual(gz());
    await t.http().get(`/rule-sets/${GZ}:2021:9`).set(admin).expect(404);
  });

  maybe('a department key sees no drafts (404, absent from the list)', async () => {
    expect(problem((await t.http().get(`/rule-sets/${GZ}:2021:1`).set(department).expect(404)).body)).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: `未找到规则集“${GZ}:2021:1”`,
      details: [],
    });
    expect(await listRefs('', department)).toEqual([]);
    expect(await listRefs('?status=draft', department)).toEqual([]);
  });

  maybe(
    'refuses a file breaking a weight sum and leaving a band gap (422), listing both, storing nothing',
    async () => {
      const before = await listRefs();
      const file = gz();
      fixedAssets(file).weight = '3'; // 资产管理 weighs 4: its children now sum to 5
      fixedAssets(file).method.bands[1].when.all[0].value = '82'; // 80 %–82 % is scored by no band
      expect(problem((await upload(file).expect(422)).body)).toEqual({
        statusCode: 422,
        code: 'RULE_SET_INVALID',
        message: '规则文件有 2 处问题，未保存',
        details: [
          {
            pointer: '/indicators/0/children/3/weight',
            message: '“资产管理”分值为 4，但下级指标分值之和为 5',
            path: '管理效能 › 资产管理',
          },
          {
            pointer: `${FIXED_ASSETS}/method/bands/1/when`,
            message: '指标值为 80%（含）-82%（区间 [80, 82)）时没有对应的档次：档次之间有空缺',
            path: '管理效能 › 资产管理 › 固定资产利用率',
          },
        ],
      });
      // English on request: the same problems, the same pointers and paths.
      expect(problem((await upload(file).set('Accept-Language', 'en').expect(422)).body)).toEqual({
        statusCode: 422,
        code: 'RULE_SET_INVALID',
        message: 'the rule file has 2 problem(s); nothing was stored',
        details: [
          {
            pointer: '/indicators/0/children/3/weight',
            message: '"资产管理" weighs 4 but its children sum to 5',
            path: '管理效能 › 资产管理',
          },
          {
            pointer: `${FIXED_ASSETS}/method/bands/1/when`,
            message: 'values in [80, 82) are covered by no band',
            path: '管理效能 › 资产管理 › 固定资产利用率',
          },
        ],
      });
      expect(await listRefs()).toEqual(before);
    },
  );

  maybe('refuses unknown keys (422), each with its pointer, storing nothing', async () => {
    const before = await listRefs();
    const file = gz();
    file.owner = '财政局';
    fixedAssets(file).threshold = '90';
    expect(problem((await upload(file).expect(422)).body)).toEqual({
      statusCode: 422,
      code: 'RULE_SET_INVALID',
      message: '规则文件有 2 处问题，未保存',
      details: [
        { pointer: '/owner', message: '未知的键“owner”' },
        {
          pointer: `${FIXED_ASSETS}/threshold`,
          message: '未知的键“threshold”',
          path: '管理效能 › 资产管理 › 固定资产利用率',
        },
      ],
    });
    expect(await listRefs()).toEqual(before);
  });

  maybe('refuses a file whose embedded test cases fail (422)', async () => {
    const file = gzWithBand95();
    file.tests[1].submission.inputs.fixedAssetsInUse = '10925.15'; // 90.00 %: now 1.5 points, not 2
    const res = await upload(file).expect(422);
    expect(res.body.code).toBe('RULE_SET_INVALID');
    expect(res.body.details).toEqual([
      {
        pointer: '/tests/1/expected/total',
        message: '总分算得 99.500，预期写的是 100.000',
        path: '内嵌测试「各项满分：采购按计划执行、两次表扬」',
      },
      {
        pointer: '/tests/1/expected/scores/management',
        message: '得分算得 44.50，预期写的是 45.00',
        path: '内嵌测试「各项满分：采购按计划执行、两次表扬」 › 管理效能',
      },
    ]);
  });

  maybe('refuses a file over 1 MiB of JSON text (413 RULE_SET_TOO_LARGE)', async () => {
    const before = await listRefs();
    const file = gz();
    file.source = '依'.repeat(350_000); // 3 bytes each in UTF-8
    const bytes = Buffer.byteLength(JSON.stringify(file));
    expect(bytes).toBeGreaterThan(1024 * 1024);
    expect(problem((await upload(file).expect(413)).body)).toEqual({
      statusCode: 413,
      code: 'RULE_SET_TOO_LARGE',
      message: `规则文件有 ${bytes} 字节，超过上限 1048576 字节`,
      details: [{ pointer: '', message: '超过 1048576 字节' }],
    });
    expect(await listRefs()).toEqual(before);
  });

  maybe('Replace [PUT /rule-sets/:ref] changes a draft’s file, title and checksum, keeping its number', async () => {
    const file = gz();
    file.title = '广州市部门整体支出绩效自评指标体系（2021年度，修订）';
    file.version = '2021.1.1';
    const res = await t.http().put(`/rule-sets/${GZ}:2021:2`).set(admin).send(file).expect(200);
    expect(res.body).toMatchObject({
      ref: `${GZ}:2021:2`,
      versionNo: 2,
      status: 'draft',
      title: file.title,
      fileVersion: '2021.1.1',
    });
    expect(res.body.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.checksum).not.toBe(LOCK[GZ_PATH]);
    const stored = await t.http().get(`/rule-sets/${GZ}:2021:2`).set(admin).expect(200);
    expect(stored.body.content).toEqual(file);
    expect(stored.body.checksum).toBe(res.body.checksum);
  });

  maybe('refuses a replacement with another id or fiscal year, or an invalid one (422), changing nothing', async () => {
    const before = (await t.http().get(`/rule-sets/${GZ}:2021:2`).set(admin).expect(200)).body;
    const renamed = gz();
    renamed.id = 'guangzhou-department-overall-v2';
    expect(problem((await t.http().put(`/rule-sets/${GZ}:2021:2`).set(admin).send(renamed).expect(422)).body)).toEqual({
      statusCode: 422,
      code: 'RULE_SET_INVALID',
      message: '规则文件有 1 处问题，未保存',
      details: [
        {
          pointer: '/id',
          message: `替换草稿时规则集 id 必须仍为“${GZ}”；要另起一个规则集，请用 POST /rule-sets 上传`,
        },
      ],
    });
    const otherYear = gz();
    otherYear.fiscalYear = 2022;
    const year = await t.http().put(`/rule-sets/${GZ}:2021:2`).set(admin).send(otherYear).expect(422);
    expect(year.body.details[0]).toEqual({
      pointer: '/fiscalYear',
      message: '替换草稿时年度必须仍为 2021；要另起一个年度，请用 POST /rule-sets 上传',
    });
    const broken = gz();
    fixedAssets(broken).weight = '3';
    const invalid = await t.http().put(`/rule-sets/${GZ}:2021:2`).set(admin).send(broken).expect(422);
    expect(invalid.body.details).toEqual([
      {
        pointer: '/indicators/0/children/3/weight',
        message: '“资产管理”分值为 4，但下级指标分值之和为 5',
        path: '管理效能 › 资产管理',
      },
    ]);
    await t.http().put(`/rule-sets/${GZ}:2021:2`).set(evaluator).send(gz()).expect(403);
    expect((await t.http().get(`/rule-sets/${GZ}:2021:2`).set(admin).expect(200)).body).toEqual(before);
  });

  maybe('Publish [POST /rule-sets/:ref/publish] makes a draft the version in force', async () => {
    await t.http().post(`/rule-sets/${GZ}:2021:1/publish`).set(evaluator).expect(403);
    const res = await t.http().post(`/rule-sets/${GZ}:2021:1/publish`).set(admin).expect(200);
    expect(res.body).toMatchObject({
      ref: `${GZ}:2021:1`,
      status: 'published',
      publishedBy: 'bootstrap admin',
      publishedAt: expect.stringMatching(ISO),
    });
    // Now a department key sees it, by number and as the version in force.
    const seen = await t.http().get(`/rule-sets/${GZ}:2021:published`).set(department).expect(200);
    expect(seen.body).toMatchObject({ ref: `${GZ}:2021:1`, status: 'published' });
    expect(seen.body.content).toEqual(gz());
    expect(await listRefs('', department)).toEqual([`${GZ}:2021:1`]);
    expect(await listRefs('?status=published')).toEqual([`${GZ}:2021:1`]);
  });

  maybe('a published version is immutable: PUT, DELETE and publishing again answer 409', async () => {
    const put = await t.http().put(`/rule-sets/${GZ}:2021:1`).set(admin).send(gz()).expect(409);
    expect(problem(put.body)).toEqual({
      statusCode: 409,
      code: 'CONFLICT',
      message: `规则集“${GZ}:2021:1”已发布，不能修改：已发布的规则集不可更改，请上传新版本`,
      details: [],
    });
    const del = await t.http().delete(`/rule-sets/${GZ}:2021:1`).set(admin).expect(409);
    expect(del.body.message).toBe(`规则集“${GZ}:2021:1”已发布，不能删除：已发布的规则集不可更改，请上传新版本`);
    const again = await t.http().post(`/rule-sets/${GZ}:2021:published/publish`).set(admin).expect(409);
    expect(problem(again.body)).toEqual({
      statusCode: 409,
      code: 'CONFLICT',
      message: `规则集“${GZ}:2021:1”已发布，不是草稿：只有草稿可以发布`,
      details: [],
    });
    const stored = await t.http().get(`/rule-sets/${GZ}:2021:1`).set(admin).expect(200);
    expect(stored.body).toMatchObject({ status: 'published', checksum: LOCK[GZ_PATH] });
  });

  maybe('publishing version 2 supersedes version 1, which stays readable', async () => {
    await t.http().post(`/rule-sets/${GZ}:2021:2/publish`).set(admin).expect(200);
    const inForce = await t.http().get(`/rule-sets/${GZ}:2021:published`).set(department).expect(200);
    expect(inForce.body).toMatchObject({ ref: `${GZ}:2021:2`, versionNo: 2, status: 'published' });
    const old = await t.http().get(`/rule-sets/${GZ}:2021:1`).set(department).expect(200);
    expect(old.body).toMatchObject({ status: 'superseded', publishedBy: 'bootstrap admin' });
    expect(old.body.content).toEqual(gz());
    expect(await listRefs(`?id=${GZ}`, department)).toEqual([`${GZ}:2021:1`, `${GZ}:2021:2`]);
    expect(await listRefs('?status=superseded')).toEqual([`${GZ}:2021:1`]);
    expect(await listRefs('?status=published')).toEqual([`${GZ}:2021:2`]);
    // Superseded is history: no change, no deletion, no re-publishing.
    await t.http().put(`/rule-sets/${GZ}:2021:1`).set(admin).send(gz()).expect(409);
    await t.http().delete(`/rule-sets/${GZ}:2021:1`).set(admin).expect(409);
    await t.http().post(`/rule-sets/${GZ}:2021:1/publish`).set(admin).expect(409);
  });

  maybe('publishing two drafts at once leaves exactly one version in force', async () => {
    await upload(national()).expect(201); // national …:2020:2 beside the draft :1
    const results = await Promise.all(
      [1, 2].map((n) => t.http().post(`/rule-sets/${NATIONAL}:2020:${n}/publish`).set(admin)),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const rows = (await t.http().get(`/rule-sets?id=${NATIONAL}`).set(admin).expect(200)).body;
    expect(rows.map((r: { status: string }) => r.status).sort()).toEqual(['published', 'superseded']);
  });

  maybe('Delete [DELETE /rule-sets/:ref] removes a draft (204), then it is gone (404)', async () => {
    const draft = await upload(gz()).expect(201);
    expect(draft.body.ref).toBe(`${GZ}:2021:3`);
    await t.http().delete(`/rule-sets/${GZ}:2021:3`).set(evaluator).expect(403);
    const res = await t.http().delete(`/rule-sets/${GZ}:2021:3`).set(admin).expect(204);
    expect(res.body).toEqual({});
    await t.http().get(`/rule-sets/${GZ}:2021:3`).set(admin).expect(404);
    await t.http().delete(`/rule-sets/${GZ}:2021:3`).set(admin).expect(404);
    expect(await listRefs(`?id=${GZ}`)).toEqual([`${GZ}:2021:1`, `${GZ}:2021:2`]);
  });

  maybe('Diff [GET /rule-sets/:ref/diff] shows the 固定资产利用率 band moved from 90 % to 95 %', async () => {
    const changed = await upload(gzWithBand95()).expect(201);
    const ref = changed.body.ref as string;
    const res = await t.http().get(`/rule-sets/${ref}/diff?against=${GZ}:2021:1`).set(evaluator).expect(200);
    expect(res.body).toEqual({
      fromRef: `${GZ}:2021:1`,
      toRef: ref,
      from: { id: GZ, version: '2021.1.0', checksum: LOCK[GZ_PATH] },
      to: { id: GZ, version: '2021.1.0', checksum: changed.body.checksum },
      changes: [
        {
          kind: 'band-changed',
          code: 'fixed-asset-utilization',
          pointer: `${FIXED_ASSETS}/method/bands/0`,
          path: '管理效能 › 资产管理 › 固定资产利用率',
          before: '≥90% 得2分',
          after: '≥95% 得2分',
          message: '管理效能 › 资产管理 › 固定资产利用率：≥95% 得2分（原 ≥90% 得2分，此区间得分不变）',
        },
        {
          kind: 'band-changed',
          code: 'fixed-asset-utilization',
          pointer: `${FIXED_ASSETS}/method/bands/1`,
          path: '管理效能 › 资产管理 › 固定资产利用率',
          // bands compared by interval: what 80–95 % scored before
          before: '90%（含）-95% 得2分；80%（含）-90% 得1.5分',
          after: '80%（含）-95% 得1.5分',
          message:
            '管理效能 › 资产管理 › 固定资产利用率：80%（含）-95% 得1.5分（原 90%（含）-95% 得2分；80%（含）-90% 得1.5分）',
        },
      ],
      summary: { 'band-changed': 2 },
    });
    // The other way round, the same two bands change back.
    const back = await t.http().get(`/rule-sets/${GZ}:2021:1/diff?against=${ref}`).set(admin).expect(200);
    expect(back.body).toMatchObject({ fromRef: ref, toRef: `${GZ}:2021:1`, summary: { 'band-changed': 2 } });
    expect(back.body.changes[0].after).toBe('≥90% 得2分');
    // English on request, the bureau's names kept
    const en = await t
      .http()
      .get(`/rule-sets/${ref}/diff?against=${GZ}:2021:1`)
      .set(evaluator)
      .set('Accept-Language', 'en')
      .expect(200);
    expect(en.body.changes[1].message).toBe(
      '管理效能 › 资产管理 › 固定资产利用率: [80%, 95%) scores 1.5 (was [90%, 95%) scores 2; [80%, 90%) scores 1.5)',
    );
    // A department key may not compare against a draft.
    await t.http().get(`/rule-sets/${GZ}:2021:1/diff?against=${ref}`).set(department).expect(404);
    const same = await t.http().get(`/rule-sets/${GZ}:2021:1/diff?against=${GZ}:2021:1`).set(department).expect(200);
    expect(same.body).toMatchObject({ changes: [], summary: {} });
  });

  maybe('refuses a diff without `against` (422), naming it', async () => {
    expect(problem((await t.http().get(`/rule-sets/${GZ}:2021:1/diff`).set(admin).expect(422)).body)).toEqual({
      statusCode: 422,
      code: 'VALIDATION_FAILED',
      message: '请求有误：请按 details 修改所列字段',
      details: [
        { pointer: '/against', message: 'against 不能为空' },
        { pointer: '/against', message: 'against 应为文本' },
      ],
    });
  });

  maybe('answers a reference that is not one with 422 naming it', async () => {
    const help = '应写成 <规则集标识>:<年度>:<版本号或 published>，如 guangzhou-department-overall:2021:1';
    const get = await t.http().get('/rule-sets/guangzhou-2021').set(admin).expect(422);
    expect(problem(get.body)).toEqual({
      statusCode: 422,
      code: 'VALIDATION_FAILED',
      message: '“guangzhou-2021”不是规则集引用',
      details: [{ pointer: '/ref', message: help }],
    });
    await t.http().put(`/rule-sets/${GZ}:21:1`).set(admin).send(gz()).expect(422);
    await t.http().post(`/rule-sets/${GZ}:2021:latest/publish`).set(admin).expect(422);
    await t.http().delete(`/rule-sets/${GZ.toUpperCase()}:2021:1`).set(admin).expect(422);
    const diff = await t.http().get('/rule-sets/nope/diff?against=also-nope').set(admin).expect(422);
    expect(problem(diff.body)).toEqual({
      statusCode: 422,
      code: 'VALIDATION_FAILED',
      message: '请用规则集引用写明两个版本',
      details: [
        { pointer: '/ref', message: help },
        { pointer: '/against', message: help },
      ],
    });
  });

  maybe('safety nets: a file needs one embedded test to be valid, and three to be published (in Chinese)', async () => {
    const noTests = { ...gz(), id: 'safety-nets', tests: [] };
    const refused = await upload(noTests).expect(422);
    expect(refused.body.details).toContainEqual({
      pointer: '/tests',
      path: '内嵌测试',
      message: '至少要有一个内嵌测试：写一份填报数据和它应得的总分、等次（发布前至少三个），规则改动时才能发现算错',
    });
    const oneTest = { ...gz(), id: 'safety-nets', tests: gz().tests.slice(0, 1) };
    const stored = await upload(oneTest).expect(201);
    const ref = stored.body.ref as string;
    const publish = await t.http().post(`/rule-sets/${ref}/publish`).set(admin).expect(422);
    expect(problem(publish.body)).toEqual({
      statusCode: 422,
      code: 'PRECONDITION_MISSING',
      message: `规则集“${ref}”只有 1 个内嵌测试，发布前至少需要 3 个：请补充测试（填报数据和应得的总分、等次）后上传新版本再发布`,
      details: [{ pointer: '/tests', path: '内嵌测试', message: '至少需要 3 个内嵌测试，现有 1 个' }],
    });
    const en = await t.http().post(`/rule-sets/${ref}/publish`).set(admin).set('Accept-Language', 'en').expect(422);
    expect(en.body.details[0].message).toBe('at least 3 embedded tests are needed; there are 1');
    expect((await t.http().get(`/rule-sets/${ref}`).set(admin).expect(200)).body.status).toBe('draft');
    // the same file again: a warning that it is stored already; the same version with other content: a warning too
    const again = await upload(oneTest).expect(201);
    expect(again.body.warnings).toContainEqual(expect.objectContaining({ kind: 'identical-upload', pointer: '' }));
    const other = { ...oneTest, title: `${oneTest.title}（修订）` };
    const reused = await upload(other).expect(201);
    expect(reused.body.warnings).toContainEqual(
      expect.objectContaining({
        kind: 'version-reused',
        pointer: '/version',
        message: expect.stringMatching(/版本号/),
      }),
    );
  });

  maybe('documents every rule-set route in OpenAPI with its error responses and the 广州 2021 example', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const responses = (path: string, method: string): string[] => Object.keys(doc.paths[path][method].responses);
    expect(responses('/rule-sets', 'post')).toEqual(['201', '401', '403', '413', '422']);
    expect(responses('/rule-sets', 'get')).toEqual(['200', '401', '422']);
    expect(responses('/rule-sets/{ref}', 'get')).toEqual(['200', '401', '404', '422']);
    expect(responses('/rule-sets/{ref}', 'put')).toEqual(['200', '401', '403', '404', '409', '413', '422']);
    expect(responses('/rule-sets/{ref}', 'delete')).toEqual(['204', '401', '403', '404', '409', '422']);
    expect(responses('/rule-sets/{ref}/publish', 'post')).toEqual(['200', '401', '403', '404', '409', '422']);
    expect(responses('/rule-sets/{ref}/diff', 'get')).toEqual(['200', '401', '404', '422']);
    const body = doc.paths['/rule-sets'].post.requestBody.content['application/json'];
    expect(body.examples['guangzhou-2021'].value).toEqual(gz());
    expect(doc.paths['/rule-sets/{ref}'].put.requestBody.content['application/json'].examples).toBeDefined();
    expect(doc.paths['/rule-sets/{ref}'].get.responses['404'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ErrorBodyDto',
    });
  });
});
