import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { type RuleSet, type Submission, toRuleSet } from '@jiping/rules';
import { scoreSubmission } from '@jiping/scoring';
import { importSubmissionWorkbook } from './import-submission-workbook';
import { checkWorkbookZip, inspectWorkbookZip } from './import-zip-guard';
import { buildSubmissionTemplate } from './template';
import { fillTemplate } from './template-fill.testing';
import { TEMPLATE_SHEETS, templateLayout } from './template-layout';

const ROOT = join(__dirname, '..', '..', '..');
const ruleSet: RuleSet = toRuleSet(
  JSON.parse(readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8')),
);
const submission = JSON.parse(
  readFileSync(join(ROOT, 'test/fixtures/gz-kjj-2021/submission.json'), 'utf8'),
) as Submission;

const load = async (buffer: Buffer): Promise<ExcelJS.Workbook> => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
};
const rowOf = (inputId: string): number => templateLayout(ruleSet).data.find((r) => r.input.id === inputId)!.row;

describe('importSubmissionWorkbook', () => {
  let filled: Buffer;
  beforeAll(async () => {
    filled = await fillTemplate(ruleSet, await buildSubmissionTemplate(ruleSet), submission);
  });

  it('round trip: the filled template imports to the JSON submission, which scores exactly 94.622', async () => {
    const { body, problems } = await importSubmissionWorkbook(ruleSet, filled);
    expect(problems).toEqual([]);
    const { targets, unitCount, ...rest } = body!;
    expect(unitCount).toBe(submission.department.unitCount);
    expect(targets).toEqual(submission.targets);
    expect(rest).toEqual({
      overview: submission.overview,
      budget: submission.budget,
      inputs: submission.inputs,
      evidence: submission.evidence,
      targetResults: submission.targetResults,
    });
    const report = await scoreSubmission(ruleSet, {
      formatVersion: '1',
      department: { ...submission.department, unitCount },
      fiscalYear: 2021,
      ...rest,
      targets,
    });
    expect(report.total).toBe('94.622');
  });

  it('keeps a numeric money cell exactly as typed (1388.29 → "1388.29")', async () => {
    const workbook = await load(filled);
    const cell = workbook.getWorksheet('年终数据')!.getCell(`C${rowOf('procurementActual')}`);
    expect(cell.value).toBe(1388.29);
    const { body } = await importSubmissionWorkbook(ruleSet, filled);
    expect(body!.inputs.procurementActual).toBe('1388.29');
  });

  const edited = async (edit: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> => {
    const workbook = await load(filled);
    edit(workbook);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  };

  it('names the sheet and cell of text in a money cell and of three decimals, with the pointer', async () => {
    const r = rowOf('procurementActual');
    const s = rowOf('procurementPlanned');
    const buffer = await edited((wb) => {
      wb.getWorksheet('年终数据')!.getCell(`C${r}`).value = '一千多';
      wb.getWorksheet('年终数据')!.getCell(`C${s}`).value = 1643.425;
    });
    const { body, problems } = await importSubmissionWorkbook(ruleSet, buffer);
    expect(body).toBeUndefined();
    expect(problems).toEqual([
      {
        pointer: '/inputs/procurementActual',
        path: `年终数据!C${r}`,
        message: '应为不超过两位小数的金额（万元）',
      },
      {
        pointer: '/inputs/procurementPlanned',
        path: `年终数据!C${s}`,
        message: '应为不超过两位小数的金额（万元）（填了3位小数）',
      },
    ]);
  });

  it('refuses a workbook without the template sheets, naming what it found', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1').getCell('A1').value = 1;
    const { body, problems } = await importSubmissionWorkbook(ruleSet, Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(body).toBeUndefined();
    expect(problems.map((p) => p.message)).toContain(
      '缺少工作表“年终数据”（找到：Sheet1）：请使用 GET /rule-sets/{ref}/template.xlsx 下载的模板',
    );
  });

  it('refuses a moved row by its label cell', async () => {
    const r = rowOf('procurementActual');
    const buffer = await edited((wb) => {
      wb.getWorksheet('年终数据')!.getCell(`B${r}`).value = '别的';
    });
    const { problems } = await importSubmissionWorkbook(ruleSet, buffer);
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe(`年终数据!B${r}`);
    expect(problems[0].message).toMatch(/^应为“.+”，却是“别的”/);
  });

  it('refuses a file that is not a workbook, and one over 5 MB, before reading it', async () => {
    expect((await importSubmissionWorkbook(ruleSet, Buffer.from('a,b\n1,2\n'))).problems).toEqual([
      { pointer: '', message: '不是 Excel 工作簿（.xlsx）文件' },
    ]);
    const big = Buffer.concat([filled, Buffer.alloc(20 * 1024 * 1024)]);
    const { body, problems } = await importSubmissionWorkbook(ruleSet, big);
    expect(body).toBeUndefined();
    expect(problems[0].message).toBe(`文件为 ${big.length} 字节，超过上限 5242880 字节`);
  });

  it('refuses a zip bomb from its central directory, without expanding it', async () => {
    const bomb = zipOf('xl/worksheets/sheet9.xml', Buffer.alloc(60 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const { body, problems } = await importSubmissionWorkbook(ruleSet, bomb);
    expect(body).toBeUndefined();
    expect(problems).toEqual([{ pointer: '', message: expect.stringContaining('疑似 zip 炸弹') }]);
    const limits = { maxBytes: 1e9, maxUncompressedBytes: 1e9, maxEntries: 2000, maxRatio: 100 };
    expect(checkWorkbookZip(bomb, limits)).toMatch(/压缩比超过 100:1/);
    const zip = await JSZip.loadAsync(filled);
    expect(checkWorkbookZip(filled)).toBeUndefined();
    expect(Object.keys(zip.files).length).toBeGreaterThan(5);
  });

  it('refuses a zip that lies about its sizes, counting while it inflates and stopping at the declared size', async () => {
    // the audit's finding: a 233 kB workbook declaring 1,000 bytes for a 200 MB entry passed the directory check
    const lying = zipOf('xl/worksheets/sheet9.xml', Buffer.alloc(200 * 1024 * 1024, 0x20), { declare: 1000 });
    expect(lying.length).toBeLessThan(300 * 1024);
    expect(checkWorkbookZip(lying)).toBeUndefined(); // the directory alone believes it
    const inspected = await inspectWorkbookZip(lying);
    expect(inspected.problem).toMatch(/解压后超过其声明的 1000 字节/);
    expect(inspected.inflated).toBeLessThan(64 * 1024); // stopped within a chunk of the declared size
    const { body, problems } = await importSubmissionWorkbook(ruleSet, lying);
    expect(body).toBeUndefined();
    expect(problems).toEqual([{ pointer: '', message: inspected.problem }]);
  }, 60_000); // deflating the 200 MB takes seconds on a busy machine

  it('passes an honest zip having inflated all of it, and refuses one whose data does not inflate', async () => {
    const big = zipOf('xl/worksheets/sheet9.xml', Buffer.alloc(3 * 1024 * 1024, 0x20), { level: 1 });
    const limits = { maxBytes: 1e9, maxUncompressedBytes: 1024 * 1024, maxEntries: 2000, maxRatio: 1e9 };
    const honest = checkWorkbookZip(big, { ...limits, maxUncompressedBytes: 1e9 });
    expect(honest).toBeUndefined();
    const inspected = await inspectWorkbookZip(big, { ...limits, maxUncompressedBytes: 1e9 });
    expect(inspected).toEqual({ inflated: 3 * 1024 * 1024 });
    // declared sizes are checked first, inflating nothing
    expect(await inspectWorkbookZip(big, { ...limits, maxUncompressedBytes: 2 * 1024 * 1024 })).toEqual({
      problem: expect.stringMatching(/解压后超过 2097152 字节/),
      inflated: 0,
    });
    expect(await inspectWorkbookZip(filled)).toEqual({ inflated: expect.any(Number) });
    const corrupt = Buffer.from(big);
    corrupt.fill(0xff, 40, 200); // the deflate data no longer inflates
    expect((await inspectWorkbookZip(corrupt, { ...limits, maxUncompressedBytes: 1e9 })).problem).toMatch(/损坏/);
  });

  it('refuses a template of another rule set', async () => {
    const buffer = await edited((wb) => {
      wb.getWorksheet(TEMPLATE_SHEETS.mapping)!.getCell('B1').value = 'other-rules';
    });
    const { problems } = await importSubmissionWorkbook(ruleSet, buffer);
    expect(problems).toEqual([{ pointer: '', message: expect.stringContaining('模板属于规则集“other-rules”') }]);
  });
});

/**
 * A one-entry zip (deflated with zlib, CRC left 0: the guard does not check it), declaring the content's size or
 * `declare` bytes.
 */
function zipOf(name: string, content: Buffer, options: { declare?: number; level?: number } = {}): Buffer {
  const data = deflateRawSync(content, { level: options.level ?? 9 });
  const declared = options.declare ?? content.length;
  const file = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(file.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(file.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + file.length, 12);
  end.writeUInt32LE(30 + file.length + data.length, 16);
  return Buffer.concat([local, file, data, central, file, end]);
}

describe('importSubmissionWorkbook: 加减分 events and a judged 加减分', () => {
  const example = JSON.parse(
    readFileSync(join(ROOT, 'docs/examples/project-self-evaluation-bonus-on-top.json'), 'utf8'),
  ) as { tests: Array<{ submission: Submission }> };
  const bonusRuleSet = toRuleSet(example);

  it.each([0, 1, 2])(
    'round trip of the example’s test %s: events listed on their own sheet, a negative judged score',
    async (i) => {
      const source = example.tests[i].submission;
      const filled = await fillTemplate(bonusRuleSet, await buildSubmissionTemplate(bonusRuleSet), source);
      const workbook = await load(filled);
      expect(workbook.getWorksheet('加减分事项')!.getCell('A3').value).toBe(
        ['国家级表彰（+2分）', '国家级表彰（+2分）', '审计发现问题（-1分）'][i],
      );
      const { body, problems } = await importSubmissionWorkbook(bonusRuleSet, filled);
      expect(problems).toEqual([]);
      expect(body!.inputs).toEqual(source.inputs);
      const report = await scoreSubmission(bonusRuleSet, { ...source, inputs: body!.inputs });
      expect(report.total).toBe(['99.59', '104.09', '89.09'][i]);
    },
  );

  it('names the cell of an event whose kind is not in the list', async () => {
    const source = example.tests[0].submission;
    const workbook = await load(await fillTemplate(bonusRuleSet, await buildSubmissionTemplate(bonusRuleSet), source));
    workbook.getWorksheet('加减分事项')!.getCell('A4').value = '市级表彰';
    const { problems } = await importSubmissionWorkbook(bonusRuleSet, Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(problems).toEqual([
      {
        pointer: '/inputs/adjustmentEvents/1/kind',
        path: '加减分事项!A4',
        message: '应为事项类型之一：国家级表彰（+2分）、省级表彰（+1分）、通报批评（-2分）、审计发现问题（-1分）',
      },
    ]);
  });
});
