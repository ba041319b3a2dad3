import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import Decimal from 'decimal.js';
import { DepartmentEntity, DepartmentYearEntity } from '@jiping/persistence';
import {
  renderSummaryTableCsv,
  renderSummaryTableXlsx,
  type SummaryTableOptions,
  type SummaryTableStatistics,
} from '@jiping/reports';
import { Repository } from 'typeorm';
import { CSV_TYPE, type ExportedFile, XLSX_TYPE } from '../common/download';
import { RuleSetLoader } from '../rule-sets/rule-set-loader';
import type { YearOverviewDto } from './dto/year-overview.dto';
import {
  filterOverview,
  type OverviewItem,
  type OverviewQuery,
  type OverviewSource,
  type OverviewSummary,
  rankOverview,
  sortOverview,
  summarise,
} from './year-overview';
import { STATUS_LABELS } from './year-workflow';

/**
 * The bureau-wide overview of a year (GET /years/{year}/overview and its 汇总表): two queries — the departments and
 * the year's rows, whose totals are copied from the stored evaluations when they are scored or adjusted — then
 * ranking, filters, statistics and sorting in memory (pure functions of ./year-overview; decimal.js, no arithmetic in
 * SQL). A province's few thousand departments are a few hundred kilobytes: see docs/performance.md.
 */
@Injectable()
export class YearOverviewService {
  constructor(
    @InjectRepository(DepartmentEntity) private readonly departments: Repository<DepartmentEntity>,
    @InjectRepository(DepartmentYearEntity) private readonly years: Repository<DepartmentYearEntity>,
    private readonly loader: RuleSetLoader,
  ) {}

  /** One page of the overview, with the total count, the next page's offset and the statistics. */
  async overview(fiscalYear: number, query: OverviewQuery): Promise<YearOverviewDto> {
    const { items, summary } = await this.matching(fiscalYear, query);
    const sorted = sortOverview(items, query.sort, query.descending);
    const end = query.offset + query.limit;
    return {
      fiscalYear,
      items: sorted.slice(query.offset, end),
      total: sorted.length,
      next: end < sorted.length ? end : null,
      summary,
    };
  }

  /** The 汇总表 (every matching department, sorted as asked) as .xlsx in the bureau's printable layout. */
  async xlsx(fiscalYear: number, query: OverviewQuery): Promise<ExportedFile> {
    const { rows, statistics, options } = await this.table(fiscalYear, query);
    return {
      body: await renderSummaryTableXlsx(rows, statistics, options),
      type: XLSX_TYPE,
      filename: `${fiscalYear}-汇总表.xlsx`,
      asciiFilename: `${fiscalYear}-huizongbiao.xlsx`,
    };
  }

  /** The 汇总表 as CSV (UTF-8 with a BOM). */
  async csv(fiscalYear: number, query: OverviewQuery): Promise<ExportedFile> {
    const { rows, statistics, options } = await this.table(fiscalYear, query);
    return {
      body: Buffer.from(renderSummaryTableCsv(rows, statistics, options), 'utf8'),
      type: CSV_TYPE,
      filename: `${fiscalYear}-汇总表.csv`,
      asciiFilename: `${fiscalYear}-huizongbiao.csv`,
    };
  }

  private async table(fiscalYear: number, query: OverviewQuery) {
    const { items, summary } = await this.matching(fiscalYear, query);
    const rows = sortOverview(items, query.sort, query.descending);
    const statistics: SummaryTableStatistics = {
      ...summary,
      byStatus: summary.byStatus.filter((s) => s.count > 0),
    };
    const options: SummaryTableOptions = { fiscalYear, filters: describeFilters(query) };
    return { rows, statistics, options };
  }

  /** The departments of the year ranked among all of them, then those matching the filters and their statistics. */
  private async matching(
    fiscalYear: number,
    query: OverviewQuery,
  ): Promise<{ items: OverviewItem[]; summary: OverviewSummary }> {
    const [departments, rows, grades] = await Promise.all([
      this.departments.find({ select: ['code', 'name', 'region', 'retiredAt'] }),
      this.years.findBy({ fiscalYear }),
      this.gradeOrder(fiscalYear),
    ]);
    const byCode = new Map(rows.map((row) => [row.departmentCode, row]));
    const sources: OverviewSource[] = [];
    for (const department of departments) {
      const row = byCode.get(department.code);
      const retired = department.retiredAt !== null;
      // A retired department is kept for history: listed in a year it took part in, not in later ones.
      if (retired && !row) continue;
      sources.push({
        code: department.code,
        name: department.name,
        region: department.region,
        retired,
        status: row?.status ?? 'not-started',
        submittedRevision: row?.submittedRevision ?? null,
        submittedAt: row?.submittedAt ?? null,
        late: row?.submittedLate ?? false,
        evaluationId: row?.evaluationId ?? null,
        selfTotal: row?.selfTotal ?? null,
        reviewedTotal: row?.reviewedTotal ?? null,
        grade: row?.grade ?? null,
      });
    }
    const items = filterOverview(rankOverview(sources), query);
    return { items, summary: summarise(items, grades) };
  }

  /** The grades of the year's published rule set(s), best first (the counts list each, even at 0). */
  private async gradeOrder(fiscalYear: number): Promise<string[]> {
    const published = await this.loader.findAllPublishedForYear(fiscalYear);
    const labels: string[] = [];
    for (const row of published) {
      const grades = [...this.loader.toRuleSet(row).file.grades].sort((a, b) => new Decimal(b.min).comparedTo(a.min));
      for (const grade of grades) if (!labels.includes(grade.label)) labels.push(grade.label);
    }
    return labels;
  }
}

/** The filters in words, for the 汇总表's subtitle (undefined: none). */
function describeFilters(query: OverviewQuery): string | undefined {
  const parts = [
    query.region !== undefined ? `地区：${query.region}` : '',
    query.status ? `状态：${query.status.map((s) => STATUS_LABELS[s]).join('、')}` : '',
    query.grade ? `等次：${query.grade.join('、')}` : '',
    query.late !== undefined ? (query.late ? '逾期提交' : '按时或未提交') : '',
  ].filter(Boolean);
  return parts.length ? parts.join('；') : undefined;
}
