import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { DEPARTMENT_YEAR_STATUSES } from '@jiping/persistence';
import { Roles } from '../auth/auth.decorators';
import { ErrorBodyDto } from '../common/error-body.dto';
import { ParseFiscalYearPipe } from '../departments/dto/path-params';
import { CSV_TYPE, download, XLSX_TYPE } from '../common/download';
import { YearOverviewDto } from './dto/year-overview.dto';
import { OVERVIEW_DEFAULT_LIMIT, OVERVIEW_MAX_LIMIT, OVERVIEW_SORT_KEYS, parseOverviewQuery } from './year-overview';
import { YearOverviewService } from './year-overview.service';

const FILTERS = [
  ApiQuery({
    name: 'status',
    required: false,
    example: 'scored,reviewed',
    description: `statuses, comma-separated: ${DEPARTMENT_YEAR_STATUSES.join(', ')} or their labels (已评分…)`,
  }),
  ApiQuery({ name: 'grade', required: false, example: '优', description: 'grades (等次), comma-separated' }),
  ApiQuery({ name: 'region', required: false, example: '广州市', description: 'the departments of one region (地区)' }),
  ApiQuery({ name: 'late', required: false, enum: ['true', 'false'], description: 'submitted late, or not' }),
  ApiQuery({
    name: 'sort',
    required: false,
    example: 'rank',
    description:
      `one of ${OVERVIEW_SORT_KEYS.join(', ')}, prefixed with - for descending (default rank: the best first); ` +
      'departments without the value (not scored, not submitted) come last; ties by department code',
  }),
];

const PAGING = [
  ApiQuery({ name: 'offset', required: false, example: 0, description: 'the first item of the page (default 0)' }),
  ApiQuery({
    name: 'limit',
    required: false,
    example: OVERVIEW_DEFAULT_LIMIT,
    description: `items per page, 1 to ${OVERVIEW_MAX_LIMIT} (default ${OVERVIEW_DEFAULT_LIMIT})`,
  }),
];

const apply = (decorators: MethodDecorator[]): MethodDecorator => {
  return (target, key, descriptor) => {
    for (const decorator of decorators) decorator(target, key, descriptor);
  };
};

const BAD_QUERY =
  'a malformed year or query parameter: each bad (or unknown, or repeated) parameter is named in details[].pointer, ' +
  'with a Chinese message (English with Accept-Language: en)';

/** The bureau-wide view of a year: every department with its status and official score, and the 汇总表. */
@ApiTags('years')
@ApiBearerAuth()
@ApiParam({ name: 'year', example: 2021, description: 'fiscal year' })
@ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key, or an unknown key' })
@ApiForbiddenResponse({ type: ErrorBodyDto, description: 'a department key: the overview is the bureau’s' })
@ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: BAD_QUERY })
@Roles('evaluator', 'admin')
@Controller('years/:year')
export class YearOverviewController {
  constructor(private readonly overviews: YearOverviewService) {}

  @Get('overview')
  @apply([...FILTERS, ...PAGING])
  @ApiOperation({
    summary: 'Every department of the year: status, submission, official score, grade, rank (evaluators, admins)',
    description:
      'Each department (active ones, and retired ones that took part in the year) with its status, the revision it ' +
      'submitted and when (late flag), its official total — 自评分, and 复核分 where an evaluator adjusted it; the ' +
      'total in force is 复核分 when there is one — the grade (等次) and its rank among all scored departments of the ' +
      'year (by total; ties share a rank, the next skips: 1, 1, 3). Totals are the stored evaluation results, never ' +
      'recomputed. Filters (status, grade, region, late) narrow the list and the summary (counts per status and ' +
      'grade, mean and median as decimal strings), not the ranks. Paged: `{ items, total, next }`, next being the ' +
      'offset of the next page (null on the last).',
  })
  @ApiOkResponse({ type: YearOverviewDto })
  overview(
    @Param('year', ParseFiscalYearPipe) year: number,
    @Query() query: Record<string, unknown>,
  ): Promise<YearOverviewDto> {
    return this.overviews.overview(year, parseOverviewQuery(query));
  }

  @Get('overview.xlsx')
  @apply(FILTERS)
  @ApiOperation({
    summary: 'The 汇总表 of the year as an Excel workbook (.xlsx)',
    description:
      'Every department matching the filters, sorted as asked (no paging), in the bureau’s printable layout like ' +
      'the 自评表: the title (<year>年度部门整体支出绩效自评结果汇总表), when it was made and the filters, the ' +
      'columns 序号, 部门, 自评分, 复核分, 等次, 排名, 状态, 提交时间 (Beijing time, 逾期 marked), scores as numbers ' +
      'keeping their decimals, then the statistics; 宋体, A4 portrait fit to the page width, the header repeated ' +
      'on every page. Downloaded as `<year>-汇总表.xlsx` (ASCII fallback `<year>-huizongbiao.xlsx` for curl -OJ).',
  })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({
    description: 'the workbook',
    content: { [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  async xlsx(
    @Param('year', ParseFiscalYearPipe) year: number,
    @Query() query: Record<string, unknown>,
  ): Promise<StreamableFile> {
    return download(await this.overviews.xlsx(year, parseOverviewQuery(query, false)));
  }

  @Get('overview.csv')
  @apply(FILTERS)
  @ApiOperation({
    summary: 'The 汇总表 of the year as CSV (UTF-8 with BOM)',
    description:
      'The title line, the header (序号, 部门, 自评分, 复核分, 等次, 排名, 状态, 提交时间, then 部门代码, 地区, 是否逾期), ' +
      'one row per department (scores as the reports write them), then the statistics. Downloaded as ' +
      '`<year>-汇总表.csv` (ASCII fallback `<year>-huizongbiao.csv`).',
  })
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the CSV text', content: { [CSV_TYPE]: { schema: { type: 'string' } } } })
  async csv(
    @Param('year', ParseFiscalYearPipe) year: number,
    @Query() query: Record<string, unknown>,
  ): Promise<StreamableFile> {
    return download(await this.overviews.csv(year, parseOverviewQuery(query, false)));
  }
}
