import fc from 'fast-check';
import Decimal from 'decimal.js';
import { ApiError } from '../common/api-error';
import {
  filterOverview,
  type OverviewSource,
  parseOverviewQuery,
  rankOverview,
  sortOverview,
  summarise,
} from './year-overview';

const source = (code: string, self: string | null, reviewed: string | null = null, grade = '优'): OverviewSource => ({
  code,
  name: `部门${code}`,
  region: '广州市',
  retired: false,
  status: self === null ? 'in-progress' : 'scored',
  submittedRevision: self === null ? null : 1,
  submittedAt: self === null ? null : new Date('2022-03-01T08:00:00Z'),
  late: false,
  evaluationId: self === null ? null : `e-${code}`,
  selfTotal: self,
  reviewedTotal: reviewed,
  grade: self === null ? null : grade,
});

describe('the year overview', () => {
  it('ranks by the total in force (复核分 over 自评分), ties sharing a rank and the next one skipping (1, 1, 3)', () => {
    const items = rankOverview([
      source('a', '94.622'),
      source('b', '90.000', '95.622'),
      source('c', '95.622'),
      source('d', '94.6'),
      source('e', null),
      source('f', '100'),
    ]);
    expect(items.map((i) => [i.departmentCode, i.total, i.rank])).toEqual([
      ['a', '94.622', 4],
      ['b', '95.622', 2],
      ['c', '95.622', 2],
      ['d', '94.6', 5],
      ['e', null, null],
      ['f', '100', 1],
    ]);
    expect(items[1]).toMatchObject({ selfScore: '90.000', reviewScore: '95.622', statusLabel: '已评分' });
  });

  it('compares totals as decimals, whatever their written places: a rank is 1 + the totals strictly above', () => {
    const total = fc
      .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 3 }))
      .map(([i, f, places]) => (places === 0 ? String(i) : `${i}.${String(f).padStart(3, '0').slice(0, places)}`));
    fc.assert(
      fc.property(fc.array(fc.option(total, { nil: null }), { maxLength: 60 }), (totals) => {
        const items = rankOverview(totals.map((t, i) => source(`d${i}`, t)));
        const expected = totals.map((mine) =>
          mine === null ? null : totals.filter((t) => t !== null && new Decimal(t).gt(mine)).length + 1,
        );
        expect(items.map((item) => item.rank)).toEqual(expected);
        const byRank = sortOverview(items, 'rank', false).filter((i) => i.rank !== null);
        for (let i = 1; i < byRank.length; i += 1) {
          expect(new Decimal(byRank[i - 1].total!).gte(byRank[i].total!)).toBe(true);
        }
      }),
    );
  });

  it('sorts missing values last in either direction, ties by code', () => {
    const items = rankOverview([source('b', '90'), source('a', null), source('c', '90'), source('d', '80')]);
    expect(sortOverview(items, 'total', true).map((i) => i.departmentCode)).toEqual(['b', 'c', 'd', 'a']);
    expect(sortOverview(items, 'total', false).map((i) => i.departmentCode)).toEqual(['d', 'b', 'c', 'a']);
    expect(sortOverview(items, 'rank', true).map((i) => i.departmentCode)).toEqual(['d', 'b', 'c', 'a']);
    expect(sortOverview(items, 'code', true).map((i) => i.departmentCode)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('counts per status and grade, mean and median as decimal strings with the totals’ places', () => {
    const items = rankOverview([
      source('a', '94.622'),
      source('b', '80.1', null, '良'),
      source('c', '90', null, '优'),
      source('d', '85.5', null, '良'),
      source('e', null),
    ]);
    const summary = summarise(items, ['优', '良', '中', '差']);
    expect(summary).toMatchObject({
      departments: 5,
      scored: 4,
      mean: '87.556', // 350.222 / 4 = 87.5555
      median: '87.750',
      highest: '94.622',
      lowest: '80.100',
      byGrade: [
        { grade: '优', count: 2 },
        { grade: '良', count: 2 },
        { grade: '中', count: 0 },
        { grade: '差', count: 0 },
      ],
    });
    expect(summary.byStatus.find((s) => s.status === 'scored')).toEqual({
      status: 'scored',
      label: '已评分',
      count: 4,
    });
    expect(summarise([], [])).toMatchObject({ departments: 0, scored: 0, mean: null, median: null });
  });

  it('filters by status (codes or labels), grade and region', () => {
    const items = rankOverview([source('a', '94.622'), source('b', null), source('c', '80', null, '良')]);
    const q = parseOverviewQuery({ status: '已评分', grade: '优,良' });
    expect(filterOverview(items, q).map((i) => i.departmentCode)).toEqual(['a', 'c']);
    expect(filterOverview(items, { region: '深圳市' })).toEqual([]);
  });

  it('reads the query, and names every bad parameter in Chinese (422)', () => {
    expect(parseOverviewQuery({})).toEqual({ sort: 'rank', descending: false, offset: 0, limit: 50 });
    expect(parseOverviewQuery({ sort: '-total', offset: '100', limit: '500', late: 'true' })).toMatchObject({
      sort: 'total',
      descending: true,
      offset: 100,
      limit: 500,
      late: true,
    });
    let error: ApiError | undefined;
    try {
      parseOverviewQuery({ status: 'done', sort: 'score', limit: '0', offset: '-1', page: '2', region: ['a', 'b'] });
    } catch (e) {
      error = e as ApiError;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect(error!.status).toBe(422);
    expect(error!.details.map((d) => d.pointer).sort()).toEqual([
      'limit',
      'offset',
      'page',
      'region',
      'sort',
      'status',
    ]);
    const zh = Object.fromEntries(error!.details.map((d) => [d.pointer, (d.message as { zh: string }).zh]));
    expect(zh.status).toMatch(/^状态“done”不存在：可用 not-started（未填报）/);
    expect(zh.limit).toBe('每页条数（limit）应为1到500的整数，如 50');
    expect(zh.page).toMatch(/^不认识的查询参数 page/);
    expect(zh.region).toBe('查询参数 region 只能出现一次');
  });
});
