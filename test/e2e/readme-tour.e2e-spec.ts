import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { createTestApp, sqliteDatabase, type TestApp, type TestDatabase } from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- the checks read JSON answers */

/**
 * The README's tour, run as a reader runs it: every command of its shell blocks (but the install commands and the
 * MySQL set-up), in order, with bash and curl, against a service started on a fresh SQLite file with the demo. Each
 * command's answer is checked by the one check below whose pattern it matches; a command no check matches fails the
 * test, so a command added to the README needs its check here, and a changed answer or a missing file fails.
 */

jest.setTimeout(240_000);

const ROOT = join(__dirname, '..', '..');

/** The commands of the README's shell blocks, continuation lines joined, comments and blank lines dropped. */
export function tourCommands(readme: string): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  const commands: string[] = [];
  for (const block of blocks) {
    if (/npm ci|mariadb|DB_TYPE=mysql|docker /.test(block)) continue; // install commands, MySQL and Docker set-up
    let pending = '';
    for (const raw of block.split('\n')) {
      const line = raw.trimEnd();
      if (pending === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue;
      if (line.endsWith('\\')) {
        pending += line.slice(0, -1).trim() + ' ';
        continue;
      }
      commands.push((pending + line.trim()).trim());
      pending = '';
    }
  }
  return commands;
}

interface Ran {
  command: string;
  status: number;
  out: string;
  err: string;
}

const json = (ran: Ran): any => JSON.parse(ran.out);
const ndjson = (ran: Ran): any[] =>
  ran.out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

/** What each command of the tour must answer. */
const CHECKS: Array<{ matches: RegExp; check: (ran: Ran, dir: string) => void | Promise<void> }> = [
  { matches: /^(API|ADMIN|EVAL|DEPT)=/, check: (ran) => expect(ran.out).toBe('') },
  {
    matches: /-H "\$DEPT" \$API\/departments\/gz-kjj\/years\/2021\/evaluations\/latest$/,
    check: (ran) => {
      const body = json(ran);
      expect([body.total, body.grade, body.report.sections.length]).toEqual(['94.622', '优', 3]);
      expect(body.report.sections[0].children[0].children[0].basis).toEqual(expect.any(String));
    },
  },
  {
    matches: /"\$API\/rule-sets\?year=2021"$/,
    check: (ran) => expect(json(ran).map((r: any) => r.ref)).toContain('guangzhou-department-overall:2021:1'),
  },
  {
    matches: /--data @rules\/guangzhou\/department-overall\/2021\.json \$API\/rule-sets$/,
    check: (ran) => expect(json(ran)).toMatchObject({ ref: 'guangzhou-department-overall:2021:2', status: 'draft' }),
  },
  {
    matches: /\/diff\?against=guangzhou-department-overall:2021:1"$/,
    check: (ran) => expect(json(ran)).toMatchObject({ changes: [] }),
  },
  {
    matches: /-X POST \$API\/rule-sets\/guangzhou-department-overall:2021:2\/publish$/,
    check: (ran) =>
      expect(json(ran)).toMatchObject({ ref: 'guangzhou-department-overall:2021:2', status: 'published' }),
  },
  {
    matches: /"code":"gz-czj".* \$API\/departments$/,
    check: (ran) => expect(json(ran)).toMatchObject({ code: 'gz-czj', name: '广州市财政局', region: '广州市' }),
  },
  { matches: /^CLERK=\$\(curl .* \$API\/users \| sed /, check: (ran) => expect(ran.out).toBe('') },
  {
    matches: /\$API\/users\/\$CLERK\/api-keys$/,
    check: (ran) =>
      expect(json(ran)).toMatchObject({
        name: '财政局填报',
        userName: '黄芳',
        role: 'department',
        departmentCode: 'gz-czj',
        expiresAt: '2027-12-31T16:00:00.000Z',
        status: 'active',
        key: expect.stringMatching(/^jp_/),
      }),
  },
  {
    matches: /-H "\$DEPT" \$API\/session$/,
    check: (ran) =>
      expect(json(ran)).toMatchObject({
        role: 'department',
        departmentCode: 'gz-kjj',
        user: { name: '刘洋' },
        via: 'key',
        keyName: '演示填报员密钥（广州市科学技术局）',
        expiresAt: null,
      }),
  },
  {
    matches: /-H "\$ADMIN" \$API\/api-keys$/,
    check: (ran) =>
      expect(json(ran).map((k: any) => [k.userName, k.status])).toEqual(
        expect.arrayContaining([
          ['陈静', 'active'],
          ['黄芳', 'active'],
        ]),
      ),
  },
  {
    matches: /-d @docs\/tour\/targets\.json \$API\/departments\/gz-czj\/years\/2021\/targets$/,
    check: (ran) =>
      expect(json(ran)).toMatchObject({
        revision: 1,
        departmentCode: 'gz-czj',
        ruleSet: 'guangzhou-department-overall:2021:2',
      }),
  },
  {
    matches: /\$API\/departments\/gz-czj\/years\/2021\/targets\/1\/approve$/,
    check: (ran) => expect(json(ran)).toMatchObject({ revision: 1, approval: 'approved' }),
  },
  {
    matches: /\$API\/departments\/gz-czj\/years\/2021\/submit$/,
    check: (ran) =>
      expect(json(ran)).toMatchObject({ departmentCode: 'gz-czj', status: 'submitted', statusLabel: '已提交' }),
  },
  {
    matches: /-d @docs\/tour\/submission\.json \$API\/departments\/gz-czj\/years\/2021\/submissions$/,
    check: (ran) => expect(json(ran)).toMatchObject({ revision: 1, departmentCode: 'gz-czj' }),
  },
  {
    matches: /-X POST -H "\$EVAL" .* \$API\/departments\/gz-czj\/years\/2021\/evaluations$/,
    check: (ran) => expect(json(ran)).toMatchObject({ total: '92.830', grade: '优', sequence: 1 }),
  },
  {
    matches: /-H "\$EVAL" \$API\/departments\/gz-czj\/years\/2021\/evaluations\/latest$/,
    check: (ran) => expect(json(ran)).toMatchObject({ total: '92.830', grade: '优' }),
  },
  {
    matches: /^curl -s -o departments\.xlsx .*\/departments\/import-template\.xlsx$/,
    check: (_ran, dir) => expect(readFileSync(join(dir, 'departments.xlsx')).subarray(0, 2).toString()).toBe('PK'),
  },
  {
    matches: /-F file=@docs\/tour\/departments\.csv "\$API\/departments\/import\?dryRun=true"$/,
    check: (ran) => expect(json(ran)).toMatchObject({ dryRun: true, created: 5, updated: 0 }),
  },
  {
    matches: /-F file=@docs\/tour\/departments\.csv \$API\/departments\/import$/,
    check: (ran) => expect(json(ran)).toMatchObject({ dryRun: false, created: 5, updated: 0, unchanged: 0 }),
  },
  {
    matches: /-X PATCH .* \$API\/departments\/gz-th-wjj$/,
    check: (ran) => expect(json(ran)).toMatchObject({ code: 'gz-th-wjj', name: '广州市天河区卫生健康局（区疾控局）' }),
  },
  {
    matches: /\$API\/departments\/gz-yx-jyj-syxx\/retire$/,
    check: (ran) => expect(json(ran)).toMatchObject({ status: 'retired', statusLabel: '已撤销' }),
  },
  {
    matches: /--data-urlencode region=越秀区 -d status=active \$API\/departments$/,
    check: (ran) => expect(json(ran).map((d: any) => d.code)).toEqual(['gz-yx-czj', 'gz-yx-jyj']),
  },
  { matches: /^ID=\$\(curl /, check: (ran) => expect(ran.out).toBe('') },
  {
    matches: /\/evaluations\/\$ID\/adjustments$/,
    check: (ran) => expect(json(ran)).toMatchObject({ total: '95.622', grade: '优', adjustedFrom: expect.any(String) }),
  },
  {
    matches: /"\$API\/audit\?action=evaluation\.adjusted&from=2022-01-01T00:00:00Z"$/,
    check: (ran) => {
      const entries = json(ran);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ action: 'evaluation.adjusted', details: { total: '95.622' } });
    },
  },
  {
    matches: /"\$API\/years\/2021\/overview\?limit=20"$/,
    check: (ran) => {
      const body = json(ran);
      expect(body.items.slice(0, 2)).toEqual([
        expect.objectContaining({
          departmentCode: 'gz-kjj',
          selfScore: '94.622',
          reviewScore: '95.622',
          total: '95.622',
          grade: '优',
          rank: 1,
        }),
        expect.objectContaining({ departmentCode: 'gz-czj', selfScore: '92.830', grade: '优', rank: 2 }),
      ]);
      expect(body.items.slice(2).every((i: any) => i.status === 'not-started' && i.rank === null)).toBe(true);
      expect(body).toMatchObject({ total: body.items.length, next: null, summary: { scored: 2, median: '94.226' } });
    },
  },
  {
    matches: /--data-urlencode region=广州市 --data-urlencode grade=优 -d sort=-total \$API\/years\/2021\/overview$/,
    check: (ran) =>
      expect(json(ran).items.map((i: any) => [i.departmentCode, i.total])).toEqual([
        ['gz-kjj', '95.622'],
        ['gz-czj', '92.830'],
      ]),
  },
  {
    matches: /"\$API\/years\/2021\/overview\?status=done"$/,
    check: (ran) =>
      expect(json(ran)).toMatchObject({
        statusCode: 422,
        message: '查询参数有误：status',
        details: [{ pointer: 'status', message: expect.stringMatching(/^状态“done”不存在/) }],
      }),
  },
  {
    matches: /-sOJ .*\/overview\.xlsx$/,
    check: async (_ran, dir) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(join(dir, '2021-huizongbiao.xlsx'));
      const row = workbook.getWorksheet('汇总表')!.getRow(4);
      expect([2, 3, 4, 5, 6].map((c) => row.getCell(c).value)).toEqual(['广州市科学技术局', 94.622, 95.622, '优', 1]);
    },
  },
  {
    matches: /-sOJ .*\/overview\.csv$/,
    check: (_ran, dir) =>
      expect(readFileSync(join(dir, '2021-huizongbiao.csv'), 'utf8')).toMatch(
        /\r\n1,广州市科学技术局,94\.622,95\.622,优,1,已评分,/,
      ),
  },
  {
    matches: /-H "\$DEPT" \$API\/departments\/gz-kjj\/years\/2021$/,
    check: (ran) =>
      expect(json(ran)).toMatchObject({
        status: 'scored',
        statusLabel: '已评分',
        score: { selfScore: '94.622', reviewScore: '95.622', grade: '优' },
      }),
  },
  {
    matches: /\$API\/departments\/gz-kjj\/years\/2021\/review$/,
    check: (ran) => expect(json(ran)).toMatchObject({ status: 'reviewed', statusLabel: '已复核' }),
  },
  {
    matches: /\$API\/departments\/gz-kjj\/years\/2021\/finalise$/,
    check: (ran) => expect(json(ran)).toMatchObject({ status: 'finalised', statusLabel: '已定稿' }),
  },
  {
    matches: /-H "\$DEPT" .* \$API\/departments\/gz-kjj\/years\/2021\/submissions$/,
    check: (ran) => expect(json(ran)).toMatchObject({ statusCode: 409, message: expect.stringContaining('已定稿') }),
  },
  {
    matches: /\$API\/departments\/gz-kjj\/years\/2021\/reopen$/,
    check: (ran) => expect(json(ran)).toMatchObject({ status: 'reviewed' }),
  },
  {
    matches: /\$API\/departments\/gz-kjj\/years\/2021\/return$/,
    check: (ran) => expect(json(ran)).toMatchObject({ status: 'returned', statusLabel: '已退回' }),
  },
  {
    matches: /"changes":.*\$API\/what-if$/,
    check: (ran) => {
      const body = json(ran);
      expect(body.report.total).toBe('94.932');
      expect(body.comparison.total).toEqual({ before: '94.622', after: '94.932', delta: '0.310' });
    },
  },
  {
    matches: /\/evaluations\/\$ID\/headroom$/,
    check: (ran) => {
      const body = json(ran);
      // The README names the six leaves and what each lost.
      expect(body.lost.map((l: any) => [l.name, l.lost])).toEqual([
        ['工作受表彰或批评', '2.5'],
        ['部门预算编制情况', '1.00'],
        ['财政拨款收入预决算差异率', '1.00'],
        ['固定资产利用率', '0.50'],
        ['政府采购执行率', '0.31'],
        ['预算完成率', '0.0680'],
      ]);
    },
  },
  {
    matches: /2021:2\/impact\?rows=false"$/,
    check: (ran) => {
      const lines = ndjson(ran);
      expect(lines.at(-1)).toMatchObject({ type: 'summary' });
    },
  },
  // the yearly revision, step by step
  { matches: /^cp \S+ gz-2022\.json$/, check: (ran) => expect(ran.out).toBe('') },
  {
    matches: /^npx jiping validate gz-2022\.json$/,
    check: (ran) => expect(ran.out).toMatch(/^✓ guangzhou-department-overall@2022\.0\.1（[0-9a-f]{12}）有效：/),
  },
  {
    matches: /^npx jiping diff \S+ gz-2022\.json$/,
    check: (ran) => {
      expect(ran.out).toContain(
        '管理效能 › 采购管理 › 政府采购执行率：计分方法 按比例计分（proportional） 改为 扣分法（deduction）：',
      );
      expect(ran.out).toContain('管理效能 › 资产管理 › 固定资产利用率：85%（含）-95% 得分值的75%（1.5分）');
      expect(ran.out).toContain('新增指标 管理效能 › 资产管理 › 数据安全管理（data-security）');
      expect(ran.out).toContain('删除指标 管理效能 › 资产管理 › 资产管理制度健全性（asset-systems）');
      expect(ran.out).toContain('等次「优」（excellent）：分数下限 90 改为 92');
    },
  },
  {
    matches: /^npx jiping what-if gz-2022\.json .* --base /,
    check: (ran) => {
      expect(ran.out).toContain('模拟  2021年数据按2022年规则模拟');
      expect(ran.out).toContain('总分  94.622 → 90.882（-3.740）');
      expect(ran.out).toContain('等次  优 → 良');
      expect(ran.out).toMatch(/数据安全管理（含假定值） +— +1\.00/);
    },
  },
  { matches: /^mkdir -p submissions-2021 && cp /, check: (ran) => expect(ran.out).toBe('') },
  {
    matches: /^npx jiping impact \S+ gz-2022\.json submissions-2021 /,
    check: (ran) => {
      expect(ran.out).toContain('2021年数据按2022年规则模拟');
      expect(ran.out).toMatch(/^gz-kjj 广州市科学技术局 +94\.622 优 +90\.882 良 +-3\.740$/m);
      expect(ran.out).toMatch(/^数据安全管理 › 已制定数据安全管理制度 +满足 +1 /m);
    },
  },
  {
    matches: /\$\(cat gz-2022\.json\).*\$API\/what-if$/,
    check: (ran) => {
      const body = json(ran);
      expect([body.report.total, body.report.grade]).toEqual(['90.882', '良']);
      expect(body.ruleSet.ref).toBe('inline');
      expect(body.simulation.description).toBe('2021年数据按2022年规则模拟');
      expect(body.simulation.assumptions.map((a: any) => a.key)).toEqual([
        'dataSecurity/dataRules',
        'dataSecurity/riskAssessment',
      ]);
    },
  },
  {
    matches: /--data @gz-2022\.json \$API\/rule-sets$/,
    check: (ran) => expect(json(ran)).toMatchObject({ ref: 'guangzhou-department-overall:2022:2', status: 'draft' }),
  },
  {
    matches: /2022:2\/diff\?against=guangzhou-department-overall:2021:published"$/,
    check: (ran) => {
      const body = json(ran);
      expect(body.changes.find((c: any) => c.code === 'procurement-execution-rate')).toMatchObject({
        kind: 'method-changed',
        path: '管理效能 › 采购管理 › 政府采购执行率',
      });
    },
  },
  {
    matches: /2022:2\/impact\?rows=false"$/,
    check: (ran) => {
      const summary = ndjson(ran).at(-1);
      expect(summary).toMatchObject({ type: 'summary' });
      expect(summary.simulation.description).toBe('2021年数据按2022年规则模拟');
      expect(summary.transitions['优']['良']).toBeGreaterThanOrEqual(1);
      expect(summary.assumptions.map((a: any) => a.key)).toEqual([
        'dataSecurity/dataRules',
        'dataSecurity/riskAssessment',
      ]);
    },
  },
  {
    matches: /\$API\/rule-sets\/guangzhou-department-overall:2022:2\/publish$/,
    check: (ran) =>
      expect(json(ran)).toMatchObject({ ref: 'guangzhou-department-overall:2022:2', status: 'published' }),
  },
  {
    matches: /^JOB=\$\(curl .*\/impact\/jobs \|/,
    check: (ran) => expect(ran.out).toBe(''),
  },
  {
    matches: /-H "\$EVAL" \$API\/jobs\/\$JOB$/,
    check: (ran) => {
      const job = json(ran);
      expect(job).toMatchObject({ kind: 'impact', kindLabel: '规则变更影响分析', createdBy: '王立新' });
      expect(['排队中', '运行中', '已完成']).toContain(job.statusLabel);
    },
  },
  {
    matches: /-H "\$EVAL" \$API\/jobs$/,
    check: (ran) => expect(json(ran)).toEqual([expect.objectContaining({ kind: 'impact' })]),
  },
  {
    matches: /-sOJ .*\/export\.xlsx/,
    check: async (ran, dir) => {
      expect(ran.out).toBe('');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(join(dir, 'gz-kjj-2021-zipingbiao.xlsx'));
      expect(workbook.getWorksheet('自评表')).toBeDefined();
    },
  },
  {
    matches: /-sOJ .*\/export\.csv/,
    check: (_ran, dir) => expect(readFileSync(join(dir, 'gz-kjj-2021-zipingbiao.csv'), 'utf8')).toContain(',总分,'),
  },
  {
    matches: /^npx jiping score .* --xlsx out\.xlsx --csv out\.csv$/,
    check: (_ran, dir) => {
      expect(existsSync(join(dir, 'out.xlsx'))).toBe(true);
      expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toContain(',总分,,,,100,94.622');
    },
  },
  {
    matches: /^npx jiping score rules\/guangzhou\S+ test\/fixtures\/gz-kjj-2021\/submission\.json$/,
    check: (ran) => expect(ran.out).toMatch(/总分\s+94\.622/),
  },
  {
    matches: /^npx jiping score rules\/langfang\/project-self-evaluation\/2019\.json /,
    check: (ran) => expect(ran.out).toMatch(/总分\s+98 \/ 100/),
  },
  {
    matches: /^npx jiping score .* --json$/,
    check: (ran) => expect(json(ran)).toMatchObject({ total: expect.any(String), grade: expect.any(String) }),
  },
  {
    matches: /^curl -s -o template\.xlsx /,
    check: (_ran, dir) => expect(readFileSync(join(dir, 'template.xlsx')).subarray(0, 2).toString()).toBe('PK'),
  },
  {
    matches: /-F file=@template\.xlsx /,
    // The template as downloaded, not filled in: refused, every empty cell named, nothing stored.
    check: (ran) => {
      const body = json(ran);
      expect(body).toMatchObject({ statusCode: 422 });
      expect(body.details.length).toBeGreaterThan(0);
      expect(body.details[0].path ?? body.details[0].message).toMatch(/!/);
    },
  },
  {
    matches: /^curl -sOJ .*\/departments\/gz-kjj\/years\/2021\/template\.xlsx$/,
    check: async (_ran, dir) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(join(dir, 'gz-kjj-2021-tianbaobiao.xlsx'));
      const sheet = workbook.getWorksheet('履职效能')!;
      expect([sheet.getCell('D3').value, sheet.getCell('I3').value, sheet.getCell('L3').value]).toEqual([
        'rd-1',
        20,
        21,
      ]);
    },
  },
  {
    matches: /-F file=@gz-kjj-2021-tianbaobiao\.xlsx /,
    check: (ran) => expect(json(ran)).toMatchObject({ revision: 2, departmentCode: 'gz-kjj', fiscalYear: 2021 }),
  },
  {
    matches: /^curl -sOJ .*\/targets\/template\.xlsx$/,
    check: async (_ran, dir) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(join(dir, 'gz-kjj-2021-mubiao-shenbao.xlsx'));
      expect(workbook.getWorksheet('履职效能')!.getCell('D3').value).toBe('rd-1');
    },
  },
  {
    matches: /-F file=@gz-kjj-2021-mubiao-shenbao\.xlsx "[^"]*\/targets\/workbook-import\?dryRun=true"$/,
    check: (ran) =>
      expect(json(ran)).toMatchObject({
        valid: true,
        problems: [],
        summary: [{ section: 'performance', indicators: 21 }],
      }),
  },
  {
    matches: /-F file=@gz-kjj-2021-mubiao-shenbao\.xlsx \S*\/targets\/workbook-import$/,
    check: (ran) => expect(json(ran)).toMatchObject({ revision: 2, approval: 'pending', departmentCode: 'gz-kjj' }),
  },
  {
    matches: /^curl -s -o review\.xlsx /,
    check: (_ran, dir) => expect(readFileSync(join(dir, 'review.xlsx')).subarray(0, 2).toString()).toBe('PK'),
  },
  {
    matches: /\/rule-sets\/guangzhou-department-overall:2021:published\/drafts$/,
    check: (ran) =>
      expect(json(ran)).toMatchObject({
        ref: 'guangzhou-department-overall:2022:1',
        status: 'draft',
        fileVersion: '2022.1.0',
        content: { continues: { version: '2021.1.0', fiscalYear: 2021 } },
      }),
  },
  {
    matches: /\/rule-sets\/validate\?against=/,
    check: (ran) => {
      const body = json(ran);
      expect(body).toMatchObject({ valid: true, problems: [] });
      expect(body.diff.changes.map((c: { code?: string }) => c.code)).toEqual(
        expect.arrayContaining(['fixed-asset-utilization', 'procurement-execution-rate', 'data-security']),
      );
    },
  },
  {
    matches: /^curl -sOJ .*\/rule-file\.json$/,
    check: (_ran, dir) =>
      expect(JSON.parse(readFileSync(join(dir, 'guangzhou-department-overall-2022-1.json'), 'utf8'))).toMatchObject({
        fiscalYear: 2022,
        version: '2022.1.0',
      }),
  },
  {
    matches: /^curl -s -o rules\.xlsx /,
    check: (_ran, dir) => expect(readFileSync(join(dir, 'rules.xlsx')).subarray(0, 2).toString()).toBe('PK'),
  },
  {
    matches: /-F file=@rules\.xlsx .*workbook-import\?dryRun=true"$/,
    check: (ran) =>
      expect(json(ran)).toMatchObject({
        valid: true,
        problems: [],
        diff: { changes: [] },
        draft: { version: '2021.2.0' },
      }),
  },
  {
    matches: /^npx jiping workbook export /,
    check: (ran) =>
      expect(ran.out).toMatch(/^✓ guangzhou-department-overall@2021\.1\.0：可编辑的指标体系工作簿已写入 rules\.xlsx/),
  },
  {
    matches: /^npx jiping workbook import /,
    check: (ran, dir) => {
      expect(ran.out).toContain('没有实质修订');
      expect(JSON.parse(readFileSync(join(dir, 'draft.json'), 'utf8')).version).toBe('2021.2.0');
    },
  },
];

describe('the README tour', () => {
  let database: TestDatabase;
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    database = sqliteDatabase();
    t = await createTestApp(database, { JIPING_DEMO: 'true' });
    dir = mkdtempSync(join(tmpdir(), 'jiping-tour-'));
    // The tour runs from the repository root: its data files are there.
    for (const name of ['rules', 'docs', 'test']) symlinkSync(join(ROOT, name), join(dir, name));
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the tour’s commands, each with exactly one check', () => {
    const commands = tourCommands(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(commands.length).toBeGreaterThan(20);
    for (const command of commands) {
      expect({ command, checks: CHECKS.filter((c) => c.matches.test(command)).length }).toEqual({ command, checks: 1 });
    }
  });

  it('runs every command against a started server and gets the answers the README promises', async () => {
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const commands = tourCommands(readFileSync(join(ROOT, 'README.md'), 'utf8')).map((command) =>
      command
        .replace(/http:\/\/localhost:3000/g, `http://127.0.0.1:${port}`)
        .replace(/\blocalhost:3000/g, `127.0.0.1:${port}`),
    );
    mkdirSync(join(dir, '.tour'));
    // `npx jiping` is the repository's bin/jiping.js (the temporary folder has no package.json for npx to read).
    const script = [
      `npx() { if [ "$1" = jiping ]; then shift; node ${JSON.stringify(join(ROOT, 'bin', 'jiping.js'))} "$@"; else command npx "$@"; fi; }`,
      ...commands.map(
        (command, i) => `{\n${command}\n} > .tour/${i}.out 2> .tour/${i}.err; echo $? > .tour/${i}.status`,
      ),
    ].join('\n');
    writeFileSync(join(dir, '.tour', 'tour.sh'), script);
    // Asynchronously: the server answers from this process.
    await promisify(execFile)('bash', ['.tour/tour.sh'], { cwd: dir, maxBuffer: 1 << 26 });
    for (const [i, command] of commands.entries()) {
      const ran: Ran = {
        command,
        status: Number(readFileSync(join(dir, '.tour', `${i}.status`), 'utf8')),
        out: readFileSync(join(dir, '.tour', `${i}.out`), 'utf8'),
        err: readFileSync(join(dir, '.tour', `${i}.err`), 'utf8'),
      };
      const check = CHECKS.find((c) => c.matches.test(command))!;
      expect({ command, status: ran.status, err: ran.err }).toEqual({ command, status: 0, err: '' });
      try {
        await check.check(ran, dir);
      } catch (error) {
        throw new Error(`README command ${i + 1}: ${command}\nanswered: ${ran.out.slice(0, 2000)}\n${String(error)}`);
      }
    }
  });
});
