import Decimal from 'decimal.js';
import { DEPARTMENT_YEAR_STATUSES, type DepartmentYearStatus } from '@jiping/persistence';
import { localized, type Localized } from '@jiping/rules';
import { ApiError, ApiErrorCode, type ErrorDetail } from '../common/api-error';
import { STATUS_LABELS } from './year-workflow';

/**
 * The bureau-wide overview of a year (汇总): pure functions over what the database holds — the departments and their
 * years' rows, whose totals are the stored evaluation results (自评分, 复核分) — ranking, filtering, sorting, paging
 * and the statistics. Nothing is scored here; totals are compared and averaged as decimals (decimal.js).
 */

/** A department and its year as read from the database (row null: nothing happened in the year, 未填报). */
export interface OverviewSource {
  code: string;
  name: string;
  region: string;
  retired: boolean;
  status: DepartmentYearStatus;
  submittedRevision: number | null;
  submittedAt: Date | null;
  late: boolean;
  evaluationId: string | null;
  selfTotal: string | null;
  reviewedTotal: string | null;
  grade: string | null;
}

/** One department of the overview. */
export interface OverviewItem {
  departmentCode: string;
  departmentName: string;
  region: string;
  retired: boolean;
  status: DepartmentYearStatus;
  statusLabel: string;
  submittedRevision: number | null;
  submittedAt: string | null;
  late: boolean;
  evaluationId: string | null;
  /** 自评分: the official scoring's total. */
  selfScore: string | null;
  /** 复核分: the adjusted total in force; null when nothing was adjusted. */
  reviewScore: string | null;
  /** The total in force: 复核分 when adjusted, else 自评分. */
  total: string | null;
  grade: string | null;
  /** Among the scored departments of the year, by total (ties share a rank: 1, 1, 3); null when not scored. */
  rank: number | null;
}

export const OVERVIEW_SORT_KEYS = ['rank', 'total', 'code', 'name', 'region', 'status', 'submittedAt'] as const;
export type OverviewSortKey = (typeof OVERVIEW_SORT_KEYS)[number];
export const OVERVIEW_DEFAULT_LIMIT = 50;
export const OVERVIEW_MAX_LIMIT = 500;

export interface OverviewQuery {
  status?: DepartmentYearStatus[];
  grade?: string[];
  region?: string;
  late?: boolean;
  sort: OverviewSortKey;
  descending: boolean;
  offset: number;
  limit: number;
}

export interface OverviewSummary {
  /** Departments matching the filters. */
  departments: number;
  /** Of which scored (a total in force). */
  scored: number;
  /** Of which submitted late. */
  late: number;
  /** Every status, in workflow order, with its label and count. */
  byStatus: Array<{ status: DepartmentYearStatus; label: string; count: number }>;
  /** Every grade of the year's rule set (then any other found), best first, with its count. */
  byGrade: Array<{ grade: string; count: number }>;
  /** Mean and median of the totals in force, with as many decimals as the totals have; null when none is scored. */
  mean: string | null;
  median: string | null;
  highest: string | null;
  lowest: string | null;
}

/** The departments of a year with their official totals in force and their ranks (before any filter). */
export function rankOverview(sources: OverviewSource[]): OverviewItem[] {
  const items = sources.map(toItem);
  const scored = items
    .filter((item) => item.total !== null)
    .map((item) => ({ item, total: new Decimal(item.total!) }))
    .sort((a, b) => b.total.comparedTo(a.total));
  scored.forEach((entry, i) => {
    const previous = scored[i - 1];
    entry.item.rank = previous && previous.total.equals(entry.total) ? previous.item.rank : i + 1;
  });
  return items;
}

function toItem(source: OverviewSource): OverviewItem {
  const scored = source.selfTotal !== null;
  return {
    departmentCode: source.code,
    departmentName: source.name,
    region: source.region,
    retired: source.retired,
    status: source.status,
    statusLabel: STATUS_LABELS[source.status],
    submittedRevision: source.submittedRevision,
    submittedAt: source.submittedAt ? new Date(source.submittedAt).toISOString() : null,
    late: source.late,
    evaluationId: scored ? source.evaluationId : null,
    selfScore: source.selfTotal,
    reviewScore: scored ? source.reviewedTotal : null,
    total: scored ? (source.reviewedTotal ?? source.selfTotal) : null,
    grade: scored ? source.grade : null,
    rank: null,
  };
}

/** The items the filters keep. */
export function filterOverview(
  items: OverviewItem[],
  query: Pick<OverviewQuery, 'status' | 'grade' | 'region' | 'late'>,
) {
  return items.filter(
    (item) =>
      (!query.status || query.status.includes(item.status)) &&
      (!query.grade || (item.grade !== null && query.grade.includes(item.grade))) &&
      (query.region === undefined || item.region === query.region) &&
      (query.late === undefined || item.late === query.late),
  );
}

const STATUS_ORDER = new Map(DEPARTMENT_YEAR_STATUSES.map((status, i) => [status, i]));

/**
 * Sorted by the key; a department without the value (not scored, not submitted) comes last either way; ties by
 * department code. `rank` ascending is the best first; `total` ascending the lowest first.
 */
export function sortOverview(items: OverviewItem[], sort: OverviewSortKey, descending: boolean): OverviewItem[] {
  const value = (item: OverviewItem): Decimal | number | string | null => {
    switch (sort) {
      case 'rank':
        return item.rank;
      case 'total':
        return item.total === null ? null : new Decimal(item.total);
      case 'code':
        return item.departmentCode;
      case 'name':
        return item.departmentName;
      case 'region':
        return item.region;
      case 'status':
        return STATUS_ORDER.get(item.status)!;
      case 'submittedAt':
        return item.submittedAt;
    }
  };
  const keyed = items.map((item) => ({ item, key: value(item) }));
  const compare = (a: Decimal | number | string, b: Decimal | number | string): number => {
    if (a instanceof Decimal) return a.comparedTo(b as Decimal);
    if (typeof a === 'number') return a - (b as number);
    return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  };
  keyed.sort((a, b) => {
    if (a.key === null || b.key === null) {
      if (a.key !== b.key) return a.key === null ? 1 : -1;
    } else {
      const order = compare(a.key, b.key);
      if (order !== 0) return descending ? -order : order;
    }
    return a.item.departmentCode < b.item.departmentCode ? -1 : a.item.departmentCode > b.item.departmentCode ? 1 : 0;
  });
  return keyed.map((k) => k.item);
}

/** Counts per status and grade, mean and median of the totals in force. */
export function summarise(items: OverviewItem[], gradeOrder: string[] = []): OverviewSummary {
  const byStatus = DEPARTMENT_YEAR_STATUSES.map((status) => ({
    status,
    label: STATUS_LABELS[status],
    count: items.filter((item) => item.status === status).length,
  }));
  const grades = new Map<string, number>(gradeOrder.map((grade) => [grade, 0]));
  for (const item of items) if (item.grade !== null) grades.set(item.grade, (grades.get(item.grade) ?? 0) + 1);
  const totals = items.filter((item) => item.total !== null).map((item) => new Decimal(item.total!));
  totals.sort((a, b) => a.comparedTo(b));
  const places = Math.max(0, ...totals.map((t) => t.decimalPlaces()));
  const fixed = (d: Decimal): string => d.toFixed(places, Decimal.ROUND_HALF_UP);
  let mean: string | null = null;
  let median: string | null = null;
  if (totals.length > 0) {
    mean = fixed(Decimal.sum(...totals).div(totals.length));
    const middle = Math.floor(totals.length / 2);
    median = fixed(totals.length % 2 === 1 ? totals[middle] : totals[middle - 1].plus(totals[middle]).div(2));
  }
  return {
    departments: items.length,
    scored: totals.length,
    late: items.filter((item) => item.late).length,
    byStatus,
    byGrade: [...grades].map(([grade, count]) => ({ grade, count })),
    mean,
    median,
    highest: totals.length ? fixed(totals[totals.length - 1]) : null,
    lowest: totals.length ? fixed(totals[0]) : null,
  };
}

const QUERY_KEYS = ['status', 'grade', 'region', 'late', 'sort', 'offset', 'limit'] as const;
const STATUS_BY_LABEL = new Map(Object.entries(STATUS_LABELS).map(([status, label]) => [label, status]));

/**
 * Reads the overview's query parameters; every bad one is named (422) in Chinese first: `status=已评分,reviewed`
 * (codes or 统一术语 labels, comma-separated), `grade=优,良`, `region=广州市`, `late=true`, `sort=-total`
 * (a key of OVERVIEW_SORT_KEYS, `-` for descending), `offset`, `limit` (1–500).
 */
export function parseOverviewQuery(raw: Record<string, unknown>, paged = true): OverviewQuery {
  const details: ErrorDetail[] = [];
  const bad = (name: string, message: Localized): void => {
    details.push({ pointer: name, message });
  };
  const text = (name: string): string | undefined => {
    const value = raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      bad(name, localized(`查询参数 ${name} 只能出现一次`, `the query parameter ${name} may appear only once`));
      return undefined;
    }
    return value.trim();
  };
  for (const name of Object.keys(raw)) {
    if (!(QUERY_KEYS as readonly string[]).includes(name)) {
      bad(
        name,
        localized(
          `不认识的查询参数 ${name}：可用的有 ${QUERY_KEYS.join('、')}`,
          `unknown query parameter ${name}: use ${QUERY_KEYS.join(', ')}`,
        ),
      );
    }
  }
  const query: OverviewQuery = { sort: 'rank', descending: false, offset: 0, limit: OVERVIEW_DEFAULT_LIMIT };

  const status = text('status');
  if (status !== undefined) {
    const parts = status.split(',').map((s) => s.trim());
    const unknown = parts.filter((p) => !STATUS_ORDER.has(p as DepartmentYearStatus) && !STATUS_BY_LABEL.has(p));
    if (unknown.length > 0 || parts.length === 0) {
      bad(
        'status',
        localized(
          `状态“${unknown.join('、')}”不存在：可用 ${DEPARTMENT_YEAR_STATUSES.map((s) => `${s}（${STATUS_LABELS[s]}）`).join('、')}，多个用逗号分隔`,
          `unknown status "${unknown.join(', ')}": use ${DEPARTMENT_YEAR_STATUSES.join(', ')} (or their Chinese labels), comma-separated`,
        ),
      );
    } else {
      query.status = parts.map((p) => (STATUS_BY_LABEL.get(p) ?? p) as DepartmentYearStatus);
    }
  }

  const grade = text('grade');
  if (grade !== undefined) {
    const parts = grade.split(',').map((g) => g.trim());
    if (parts.some((g) => g.length === 0 || g.length > 16)) {
      bad(
        'grade',
        localized(
          '等次应为等次名称（如 优、良、中、差），多个用逗号分隔，每个不超过16个字',
          'grade is a grade label (e.g. 优), comma-separated, at most 16 characters each',
        ),
      );
    } else query.grade = parts;
  }

  const region = text('region');
  if (region !== undefined) {
    if (region.length === 0 || region.length > 100) {
      bad('region', localized('地区应为1到100个字，如 广州市', 'region is 1 to 100 characters, e.g. 广州市'));
    } else query.region = region;
  }

  const late = text('late');
  if (late !== undefined) {
    if (late === 'true' || late === 'false') query.late = late === 'true';
    else bad('late', localized('是否逾期应为 true 或 false', 'late is true or false'));
  }

  const sort = text('sort');
  if (sort !== undefined) {
    const descending = sort.startsWith('-');
    const key = descending ? sort.slice(1) : sort;
    if ((OVERVIEW_SORT_KEYS as readonly string[]).includes(key)) {
      query.sort = key as OverviewSortKey;
      query.descending = descending;
    } else {
      bad(
        'sort',
        localized(
          `排序字段“${sort}”不存在：可用 ${OVERVIEW_SORT_KEYS.join('、')}，前加“-”为降序（如 -total）`,
          `unknown sort "${sort}": use one of ${OVERVIEW_SORT_KEYS.join(', ')}, prefixed with - for descending (e.g. -total)`,
        ),
      );
    }
  }

  if (paged) {
    const integer = (name: 'offset' | 'limit', min: number, max: number, message: Localized): void => {
      const value = text(name);
      if (value === undefined) return;
      const n = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
      if (!Number.isInteger(n) || n < min || n > max) bad(name, message);
      else query[name] = n;
    };
    integer(
      'offset',
      0,
      999_999_999,
      localized('起始位置（offset）应为不小于0的整数，如 0', 'offset is an integer ≥ 0, e.g. 0'),
    );
    integer(
      'limit',
      1,
      OVERVIEW_MAX_LIMIT,
      localized(
        `每页条数（limit）应为1到${OVERVIEW_MAX_LIMIT}的整数，如 ${OVERVIEW_DEFAULT_LIMIT}`,
        `limit is an integer from 1 to ${OVERVIEW_MAX_LIMIT}, e.g. ${OVERVIEW_DEFAULT_LIMIT}`,
      ),
    );
  }

  if (details.length > 0) {
    throw new ApiError(
      ApiErrorCode.VALIDATION_FAILED,
      localized(
        `查询参数有误：${details.map((d) => d.pointer).join('、')}`,
        `invalid query parameters: ${details.map((d) => d.pointer).join(', ')}`,
      ),
      details,
    );
  }
  return query;
}
