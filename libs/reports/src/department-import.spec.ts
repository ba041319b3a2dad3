import ExcelJS from 'exceljs';
import {
  buildDepartmentImportTemplate,
  decodeText,
  departmentImportFormat,
  readDepartmentImport,
} from './department-import';

/** The template with rows written from row 2 on (the example rows overwritten or kept). */
async function filledTemplate(rows: string[][], keepExamples = false): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await buildDepartmentImportTemplate()) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('部门')!;
  const first = keepExamples ? 4 : 2;
  if (!keepExamples) sheet.spliceRows(2, 2);
  rows.forEach((values, i) => {
    values.forEach((value, c) => {
      sheet.getCell(first + i, c + 1).value = value;
    });
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const csv = (lines: string[]): Buffer => Buffer.from('\uFEFF' + lines.join('\r\n') + '\r\n', 'utf8');

describe('the department list template', () => {
  it('has the Chinese header, two example rows and the notes', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buildDepartmentImportTemplate()) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('部门')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '部门代码*', '部门名称*', '地区*', '上级部门代码']);
    expect(sheet.getCell('A2').value).toBe('示例gz-kjj');
    expect(sheet.getCell('D3').value).toBe('gz-kjj');
    expect(workbook.getWorksheet('说明')!.getCell('A1').value).toBe('部门代码*');
  });

  it('reads back as nothing to import while it holds only the examples', async () => {
    const read = await readDepartmentImport(await buildDepartmentImportTemplate());
    expect(read.rows).toEqual([]);
    expect(read.skipped).toBe(2);
    expect(read.problems.map((p) => p.message.zh)).toEqual(['文件中没有部门：请从第2行起每行填写一个部门']);
  });

  it('reads the rows filled below the examples, numbered as Excel shows them', async () => {
    const buffer = await filledTemplate(
      [
        ['gz-czj', '广州市财政局', '广州市', ''],
        ['gz-czj-gkzx', ' 广州市财政国库支付中心 ', '广州市', 'gz-czj'],
      ],
      true,
    );
    expect(departmentImportFormat(buffer)).toBe('xlsx');
    expect(await readDepartmentImport(buffer)).toEqual({
      rows: [
        { row: 4, code: 'gz-czj', name: '广州市财政局', region: '广州市', parentCode: null },
        { row: 5, code: 'gz-czj-gkzx', name: '广州市财政国库支付中心', region: '广州市', parentCode: 'gz-czj' },
      ],
      problems: [],
      skipped: 2,
    });
  });
});

describe(readDepartmentImport.name, () => {
  it('names every problem by row, column and cell, in Chinese and English', async () => {
    const read = await readDepartmentImport(
      await filledTemplate([
        ['gz-czj', '广州市财政局', '广州市', ''],
        ['GZ CZJ', '', '广州市', ''],
        ['gz-czj', '重复', '广州市', 'gz-czj'],
        ['gz-a', 'x'.repeat(201), '', 'Not A Code'],
      ]),
    );
    expect(read.problems.map((p) => [p.cell, p.pointer, p.message.zh])).toEqual([
      [
        '部门!A3',
        '/rows/3/code',
        '第3行“部门代码”：“GZ CZJ”不是有效的部门代码：应为小写字母、数字和连字符（-），不超过64个字符，如 gz-kjj',
      ],
      ['部门!B3', '/rows/3/name', '第3行“部门名称”：不能为空'],
      ['部门!A4', '/rows/4/code', '第4行“部门代码”：部门代码“gz-czj”与第2行重复'],
      ['部门!D4', '/rows/4/parentCode', '第4行“上级部门代码”：上级部门不能是部门自身'],
      ['部门!B5', '/rows/5/name', '第5行“部门名称”：不能超过200个字符（现为201个）'],
      ['部门!C5', '/rows/5/region', '第5行“地区”：不能为空'],
      [
        '部门!D5',
        '/rows/5/parentCode',
        '第5行“上级部门代码”：“Not A Code”不是有效的部门代码：请填写上级部门的部门代码（如 gz-kjj），没有上级部门则留空',
      ],
    ]);
    expect(read.problems[0].message.en).toBe(
      'row 3, 部门代码 (code): "GZ CZJ" is not a department code: lower-case letters, digits and hyphens, at most 64 characters, e.g. gz-kjj',
    );
  });

  it('reads a CSV in any column order, with English headers, UTF-8 with a BOM', async () => {
    const read = await readDepartmentImport(
      csv(['name,code,region', '广州市财政局,gz-czj,广州市', ',,', '"广州市""审计""局",gz-sjj,广州市']),
    );
    expect(read).toEqual({
      rows: [
        { row: 2, code: 'gz-czj', name: '广州市财政局', region: '广州市', parentCode: null },
        { row: 4, code: 'gz-sjj', name: '广州市"审计"局', region: '广州市', parentCode: null },
      ],
      problems: [],
      skipped: 1,
    });
  });

  it('reads a CSV as Excel saves it on a Chinese Windows (GBK), and names CSV cells by row and column', async () => {
    const gbk = Buffer.from(
      'b2bfc3c5b4fac2eb2cb2bfc3c5c3fbb3c62cb5d8c7f82cc9cfbcb6b2bfc3c5b4fac2eb0d0a677a2d637a6a2cb9e3d6ddcad0b2c6d5febed62cb9e3d6ddcad02c0d0a',
      'hex',
    );
    expect(decodeText(gbk).startsWith('部门代码,部门名称,地区,上级部门代码')).toBe(true);
    expect((await readDepartmentImport(gbk)).rows).toEqual([
      { row: 2, code: 'gz-czj', name: '广州市财政局', region: '广州市', parentCode: null },
    ]);
    const bad = await readDepartmentImport(csv(['部门代码,部门名称,地区', 'gz-czj,广州市财政局,']));
    expect(bad.problems.map((p) => [p.cell, p.message.zh])).toEqual([['第2行第3列', '第2行“地区”：不能为空']]);
  });

  it('refuses a header without a required column, and a file that is not a list', async () => {
    const read = await readDepartmentImport(csv(['部门代码,名字', 'gz-czj,广州市财政局']));
    expect(read.problems.map((p) => p.message.zh)).toEqual([
      '第1行（表头）缺少“部门名称”列：表头应为 部门代码、部门名称、地区、上级部门代码',
      '第1行（表头）缺少“地区”列：表头应为 部门代码、部门名称、地区、上级部门代码',
    ]);
    const broken = await readDepartmentImport(Buffer.from('PK\u0003\u0004not a zip at all', 'latin1'));
    expect(broken.problems[0]).toMatchObject({ pointer: '/file', row: 0 });
    const unclosed = await readDepartmentImport(csv(['部门代码,部门名称,地区', '"gz-czj,广州市财政局,广州市']));
    expect(unclosed.problems[0].message.zh).toMatch(/^无法读取 CSV 文件/);
  });

  it('refuses a file of more than 10,000 rows before checking them', async () => {
    const lines = ['部门代码,部门名称,地区', ...Array.from({ length: 10_001 }, (_, i) => `d-${i},部门${i},广州市`)];
    const read = await readDepartmentImport(csv(lines));
    expect(read.problems.map((p) => p.message.zh)).toEqual([
      '文件有 10001 行，超过每次导入的上限 10000 行：请分成几个文件导入',
    ]);
  });
});
