import ExcelJS from 'exceljs';
import type { RuleSet } from '@jiping/rules';
import {
  columnLetter,
  type Field,
  FIRST_DATA_ROW,
  type LayoutSheet,
  RULE_WORKBOOK_FORMAT,
  RULE_WORKBOOK_SHEETS,
  ruleWorkbookLayout,
  storableText,
} from './rule-workbook-layout';
import { displayValue } from './rule-workbook-values';

const solid = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
const HEADER_FILL = solid('FFD9E1F2');
const EDITABLE_FILL = solid('FFFFF2CC');
const GROUP_FILL = solid('FFF2F2F2');
const SPARE_FILL = solid('FFFFFBEA');
const BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  left: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  bottom: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  right: { style: 'thin', color: { argb: 'FFBFBFBF' } },
};
/** Labels locked, value cells editable; no password: protection guards against slips, not against the bureau. */
const PROTECTION: Partial<ExcelJS.WorksheetProtection> = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
  spinCount: 1,
};
const PAGE: Partial<ExcelJS.PageSetup> = {
  paperSize: 9,
  orientation: 'landscape',
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
};
const FOOTER = '&C第 &P 页，共 &N 页';

/**
 * The indicator system of a rule set as an EDITABLE workbook (.xlsx) a bureau changes in Excel or WPS and imports
 * back as a new draft (importRuleWorkbook): 说明, 基本信息, 等次, 指标体系 (levels, names, 分值, 指标解释), 计分参数
 * (formulas, deduction reference and rate, caps, 加减分 …), 分档 (one threshold and score per band), 核查要点, 评议档次
 * and 填报项, with the value cells unlocked and shaded and every label locked; printable on A4 landscape. A very hidden
 * sheet `_映射` names the base version (id, version, checksum) and what every row is.
 */
export async function renderEditableRuleWorkbook(ruleSet: RuleSet): Promise<Buffer> {
  const file = ruleSet.file;
  const layout = ruleWorkbookLayout(ruleSet);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'jiping';
  workbook.title = storableText(`${file.title}（可编辑）`);
  workbook.subject = storableText(`${ruleSet.id} ${ruleSet.version}`);

  await addGuide(workbook, ruleSet, layout.carried);
  for (const sheet of layout.sheets) await addSheet(workbook, sheet);

  const mapping = workbook.addWorksheet(RULE_WORKBOOK_SHEETS.mapping, { state: 'veryHidden' });
  mapping.addRow(['format', RULE_WORKBOOK_FORMAT, ruleSet.id, storableText(ruleSet.version), ruleSet.checksum]);
  for (const sheet of layout.sheets) {
    sheet.rows.forEach((row, i) => mapping.addRow([sheet.name, FIRST_DATA_ROW + i, row.key]));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function addGuide(workbook: ExcelJS.Workbook, ruleSet: RuleSet, carried: string[]): Promise<void> {
  const file = ruleSet.file;
  const sheet = workbook.addWorksheet(RULE_WORKBOOK_SHEETS.guide, {
    pageSetup: { ...PAGE, orientation: 'portrait' },
    headerFooter: { oddFooter: FOOTER },
  });
  sheet.columns = [{ width: 120 }];
  const S = RULE_WORKBOOK_SHEETS;
  const lines: Array<[string, 'title' | 'heading' | 'text']> = [
    [`${file.title} — 可编辑的指标体系工作簿`, 'title'],
    [
      `基础版本：${ruleSet.id} 版本 ${ruleSet.version}（${file.fiscalYear}年度，校验和 ${ruleSet.checksum.slice(0, 12)}）`,
      'text',
    ],
    ['怎样修改', 'heading'],
    [
      '1. 只修改浅黄色单元格；其余单元格（指标代码、计分方法、名称路径、说明等）已锁定。工作表已保护（无密码，仅防误改），' +
        '请勿增删行、列或工作表，也不要修改工作表名称。',
      'text',
    ],
    [
      `2. 「${S.basics}」：标题、年度、依据文件、总分、舍入方式；“新版本号”是导入后草稿的版本号。` +
        `「${S.grades}」：各等次名称和分数下限。`,
      'text',
    ],
    [
      `3. 「${S.indicators}」：各级指标名称、分值和指标解释。同一上级下的分值之和须等于上级分值，一级指标之和须等于总分；` +
        '“评分标准”列按导出时的规则生成，仅供对照，改它不生效。',
      'text',
    ],
    [
      `4. 「${S.parameters}」：计算公式、扣分法的基准值和每差1个百分点扣分、比率上限、加减分的每次分值和上限、得分小数位数、评分依据模板。` +
        '分值、得分最多两位小数；百分比类数值按百分点填写（90 表示 90%，也可输入 90%）。',
      'text',
    ],
    [
      `5. 「${S.bands}」：每档一行，“分界值”是本档与下一档的分界（从高到低排列时是本档下限，从低到高时是本档上限），` +
        '改一个分界值即同时改变相邻两档；“比较”选 ≥/＞（或 ≤/＜）表示分界值本身属于哪一档。' +
        '清空某档的分界值和得分即删除该档；每个分档指标最后一行“新增一档”可增加一档（导入时按分界值排入）。',
      'text',
    ],
    [
      `6. 「${S.points}」：核查要点的内容和分值（各要点之和须等于指标分值）。` +
        `「${S.events}」：逐项加减分的各类事项及每项分值（加分为正，扣分为负）。` +
        `「${S.tiers}」：评议档次的名称和占分值的百分比范围。「${S.inputs}」：填报项的名称、单位和说明。`,
      'text',
    ],
    ['怎样导入', 'heading'],
    [
      '7. 控制台「规则集」页面上传本工作簿；或 POST /rule-sets/{ref}/workbook-import（加 ?dryRun=true 先预览），' +
        '或命令行 jiping workbook import <基础规则文件> <本工作簿> --out 草稿.json。',
      'text',
    ],
    [
      '8. 导入先列出与基础版本的差异和无法读取的单元格（如 指标体系!F12：应为不超过两位小数的分值），再按与上传规则文件相同的检查逐项校验；' +
        '确认后保存为新的草稿版本，不会改动任何已发布版本。',
      'text',
    ],
    ['工作簿中不能修改、导入时原样保留的内容', 'heading'],
    ...(carried.length > 0 ? carried : ['（无）']).map((line): [string, 'text'] => [`· ${line}`, 'text']),
    [
      '· 新增或删除指标、填报项、核查要点、评议档次，或改变计分方法：请在控制台的规则编辑器中修改，或编辑规则文件（JSON，见 docs/rule-format.md）。',
      'text',
    ],
  ];
  lines.forEach(([text, style], i) => {
    const cell = sheet.getCell(`A${i + 1}`);
    cell.value = storableText(text);
    cell.alignment = { wrapText: true, vertical: 'top' };
    if (style === 'title') cell.font = { bold: true, size: 14 };
    if (style === 'heading') cell.font = { bold: true, size: 12 };
  });
  await sheet.protect('', PROTECTION);
}

async function addSheet(workbook: ExcelJS.Workbook, layout: LayoutSheet): Promise<void> {
  const sheet = workbook.addWorksheet(layout.name, {
    pageSetup: { ...PAGE, printTitlesRow: '2:2' },
    headerFooter: { oddFooter: FOOTER },
    views: [{ state: 'frozen', ySplit: 2 }],
  });
  sheet.columns = layout.columns.map((c) => ({ width: c.width }));
  sheet.mergeCells(1, 1, 1, layout.columns.length);
  const title = sheet.getCell('A1');
  title.value = storableText(layout.title);
  title.font = { bold: true, size: 13 };
  title.alignment = { wrapText: true, vertical: 'middle' };
  sheet.getRow(1).height = 30;
  const header = sheet.getRow(2);
  layout.columns.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.value = column.header;
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  });
  layout.rows.forEach((row, r) => {
    const excelRow = sheet.getRow(FIRST_DATA_ROW + r);
    for (let c = 0; c < layout.columns.length; c++) {
      const spec = row.cells[c];
      const cell = excelRow.getCell(c + 1);
      cell.border = BORDER;
      cell.alignment = { wrapText: true, vertical: 'top' };
      if (row.style === 'group') {
        cell.font = { bold: true };
        cell.fill = GROUP_FILL;
      }
      if (row.style === 'spare') cell.fill = SPARE_FILL;
      if (spec?.field) {
        editable(cell, spec.field, `${columnLetter(c)}${FIRST_DATA_ROW + r}`);
      } else if (spec?.text !== undefined) {
        cell.value = typeof spec.text === 'string' ? storableText(spec.text) : spec.text;
        if (row.style !== 'group') cell.font = { color: { argb: 'FF404040' } };
      }
    }
  });
  await sheet.protect('', PROTECTION);
}

/** An editable cell: its value, unlocked, shaded, with the data validation of its type. */
function editable(cell: ExcelJS.Cell, field: Field, address: string): void {
  const value = displayValue(field.type, field.shown !== undefined ? field.shown : field.base);
  cell.value = value;
  cell.protection = { locked: false };
  cell.fill = EDITABLE_FILL;
  const type = field.type;
  switch (type.kind) {
    case 'enum': {
      const labels = type.options.map((o) => o.label);
      cell.dataValidation = {
        type: 'list',
        allowBlank: type.optional === true,
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: '请从列表选择',
        error: `应为以下之一：${labels.join('、')}`,
        formulae: [`"${labels.join(',')}"`],
      };
      break;
    }
    case 'decimal': {
      const scaled = type.percentPoints ? `${address}*100` : address;
      cell.dataValidation = {
        type: 'custom',
        allowBlank: true,
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: '数值有误',
        error:
          type.places === 0
            ? '应为整数'
            : `应为不超过${type.places}位小数的数${type.percentPoints ? '（百分比类填百分点，如 90 或 90%）' : ''}`,
        // A percentage typed as 90% is stored as 0.9: its places are counted on the percentage points.
        formulae: [
          type.percentPoints
            ? `AND(ISNUMBER(${address}),OR(ROUND(${address},${type.places})=${address},ROUND(${scaled},${type.places})=${scaled}))`
            : `AND(ISNUMBER(${address}),ROUND(${address},${type.places})=${address})`,
        ],
      };
      break;
    }
    case 'integer':
      cell.dataValidation = {
        type: 'whole',
        operator: 'between',
        allowBlank: type.optional === true,
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: '数值有误',
        error: `应为 ${type.min} 到 ${type.max} 之间的整数`,
        formulae: [type.min, type.max],
      };
      break;
    case 'text':
    case 'list':
    case 'date':
      // kept as typed: a version 2021.2 or a date stays text
      cell.numFmt = '@';
      break;
  }
}
