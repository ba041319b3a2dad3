import { Injectable } from '@nestjs/common';
import { renderScoreTableCsv, renderScoreTableXlsx } from '@jiping/reports';
import type { Principal } from '../auth/principal';
import { CSV_TYPE, type ExportedFile, XLSX_TYPE } from '../common/download';
import { EvaluationsService } from '../evaluations/evaluations.service';

export { CSV_TYPE, download, type ExportedFile, XLSX_TYPE } from '../common/download';

/**
 * Exports of stored evaluations: the stored report (as scored, never re-scored) rendered by @jiping/reports. Access
 * is that of reading the evaluation (EvaluationsService.findOne): evaluators and admins, or the department's own key.
 */
@Injectable()
export class ReportsService {
  constructor(private readonly evaluations: EvaluationsService) {}

  /** The 自评表 as .xlsx in the bureau's layout. */
  async scoreTableXlsx(code: string, year: number, id: string, principal: Principal): Promise<ExportedFile> {
    const evaluation = await this.evaluations.findOne(code, year, id, principal);
    const self = await this.evaluations.selfReportOf(evaluation);
    return {
      body: await renderScoreTableXlsx(evaluation.report, { self }),
      type: XLSX_TYPE,
      filename: `${code}-${year}-自评表.xlsx`,
      asciiFilename: `${code}-${year}-zipingbiao.xlsx`,
    };
  }

  /** The 自评表 as CSV, UTF-8 with a BOM. */
  async scoreTableCsv(code: string, year: number, id: string, principal: Principal): Promise<ExportedFile> {
    const evaluation = await this.evaluations.findOne(code, year, id, principal);
    const self = await this.evaluations.selfReportOf(evaluation);
    return {
      body: Buffer.from(renderScoreTableCsv(evaluation.report, { self }), 'utf8'),
      type: CSV_TYPE,
      filename: `${code}-${year}-自评表.csv`,
      asciiFilename: `${code}-${year}-zipingbiao.csv`,
    };
  }
}
