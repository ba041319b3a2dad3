import ExcelJS from 'exceljs';
import type { RuleSet, Submission } from '@jiping/rules';
import { fillSubmissionWorkbook } from './template-fill';

/**
 * Test helper: fills a department template with a submission the way a person types it — a decimal that Excel keeps
 * exactly as a number ("1388.29"), one with trailing zeros ("18144.00") as text, 是/否 for booleans.
 */
export async function fillTemplate(ruleSet: RuleSet, template: Buffer, submission: Submission): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template as unknown as ArrayBuffer);
  fillSubmissionWorkbook(workbook, ruleSet, submission);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
