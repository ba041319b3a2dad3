import Decimal from 'decimal.js';
import { DepartmentEntity, DepartmentYearEntity, type DepartmentYearStatus } from '@jiping/persistence';
import type { DataSource } from 'typeorm';

/**
 * Departments and their years written straight into the database, for the overview's e2e test and bench: `count`
 * departments gen-0000… in 深圳市 and 佛山市, their years scored (totals from 60.0 to 99.9: 400 values over 1,000
 * departments, so many ties), every tenth only submitted, every fiftieth adjusted (复核分 2 points above its 自评分)
 * and every seventh late. Totals are as stored evaluations would write them; no evaluation rows behind them.
 */
/** A generated department's year: totals with many ties (400 values over 1,000), every tenth not scored yet. */
export function generatedYear(
  i: number,
  fiscalYear: number,
): { department: Partial<DepartmentEntity>; year: Partial<DepartmentYearEntity> } {
  const code = `gen-${String(i).padStart(4, '0')}`;
  const scored = i % 10 !== 9;
  const total = new Decimal(60).plus(new Decimal((i * 7) % 400).div(10)).toFixed(1);
  const reviewed = scored && i % 50 === 0;
  const status: DepartmentYearStatus = !scored ? 'submitted' : reviewed ? 'reviewed' : 'scored';
  return {
    department: {
      code,
      name: `生成部门${i}`,
      region: i % 2 === 0 ? '深圳市' : '佛山市',
      parentCode: null,
      createdAt: new Date('2021-01-01T00:00:00Z'),
      updatedAt: null,
      retiredAt: null,
      retiredReason: null,
    },
    year: {
      departmentCode: code,
      fiscalYear,
      status,
      approvedTargetRevision: 1,
      submittedRevision: 1,
      submittedAt: new Date(Date.UTC(2022, 2, 1, 0, i % 60)),
      submittedBy: '生成',
      submittedLate: i % 7 === 0,
      evaluationId: scored ? `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` : null,
      scoredEvaluationId: scored ? `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` : null,
      // an adjusted one: 自评分 2 points lower, 复核分 the total in force
      selfTotal: scored ? (reviewed ? new Decimal(total).minus(2).toFixed(1) : total) : null,
      reviewedTotal: reviewed ? total : null,
      grade: scored ? (new Decimal(total).gte(90) ? '优' : new Decimal(total).gte(80) ? '良' : '中') : null,
      scoredAt: scored ? new Date('2022-04-01T00:00:00Z') : null,
      updatedAt: new Date('2022-04-01T00:00:00Z'),
    },
  };
}

/** Rows in chunks of one multi-row INSERT each. */
async function insertAll<T extends object>(dataSource: DataSource, entity: new () => T, rows: Partial<T>[]) {
  for (let i = 0; i < rows.length; i += 100) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- partial rows of either entity
    await dataSource.getRepository(entity).insert(rows.slice(i, i + 100) as any);
  }
}

/** Inserts `count` generated departments and their years (multi-row INSERTs of 100). */
export async function insertGeneratedYears(dataSource: DataSource, count: number, fiscalYear: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => generatedYear(i, fiscalYear));
  await insertAll(
    dataSource,
    DepartmentEntity,
    rows.map((r) => r.department),
  );
  await insertAll(
    dataSource,
    DepartmentYearEntity,
    rows.map((r) => r.year),
  );
}
