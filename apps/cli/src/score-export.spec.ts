import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './cli';

const ROOT = join(__dirname, '..', '..', '..');
const GZ_2021 = join(ROOT, 'rules/guangzhou/department-overall/2021.json');
const SEED_SUBMISSION = join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json');

async function jiping(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s), debug: false });
  return { code, out: out.join(''), err: err.join('') };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jiping-cli-export-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jiping score --xlsx / --csv', () => {
  it('writes the 自评表 workbook and CSV beside the printed table', async () => {
    const xlsx = join(dir, 'out.xlsx');
    const csv = join(dir, 'out.csv');
    const result = await jiping('score', GZ_2021, SEED_SUBMISSION, '--xlsx', xlsx, '--csv', csv);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('94.622');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    const sheet = workbook.getWorksheet('自评表')!;
    const totals: unknown[] = [];
    sheet.eachRow((row) => {
      if (row.getCell(1).value === '总分') totals.push(row.getCell(9).value);
    });
    expect(totals).toEqual([94.622]);
    const text = readFileSync(csv, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain(',总分,,,,100,94.622');
  });

  it('fails with exit code 1 naming a path it cannot write', async () => {
    const path = join(dir, 'missing-folder', 'out.xlsx');
    const result = await jiping('score', GZ_2021, SEED_SUBMISSION, '--xlsx', path);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`无法写入 ${path}：`);
  });
});
