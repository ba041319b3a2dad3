import { localized } from '@jiping/rules';
import { Controller, Get, Param, ParseUUIDPipe, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { ErrorBodyDto } from '../common/error-body.dto';
import { ParseDepartmentCodePipe, ParseFiscalYearPipe } from '../departments/dto/path-params';
import { CSV_TYPE, download, ReportsService, XLSX_TYPE } from './reports.service';

const idPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new ApiError(
      ApiErrorCode.VALIDATION_FAILED,
      localized('路径中的评分记录 id 不是 UUID', 'the evaluation id in the path is not a UUID'),
      [{ pointer: 'id', message: localized('应为 UUID', 'a UUID') }],
    ),
});

const NOT_FOUND = 'no such department (or not yours), or no such evaluation of this department and year';

/** Downloads of a stored evaluation's 自评表. Thin: ReportsService loads and renders. */
@ApiTags('evaluations')
@ApiBearerAuth()
@ApiParam({ name: 'code', example: 'gz-kjj', description: 'department code' })
@ApiParam({ name: 'year', example: 2021, description: 'fiscal year' })
@ApiParam({ name: 'id', example: '5f0c2a8e-8d7b-4c1e-9a53-0d2f9b6e4c11', description: 'evaluation id' })
@ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key or an unknown key' })
@ApiNotFoundResponse({ type: ErrorBodyDto, description: NOT_FOUND })
@ApiUnprocessableEntityResponse({
  type: ErrorBodyDto,
  description: 'the department code, year or id in the path is malformed',
})
@Controller('departments/:code/years/:year/evaluations/:id')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('export.xlsx')
  @ApiOperation({
    summary: 'The 自评表 as an Excel workbook (.xlsx)',
    description:
      'The stored report in the bureau’s layout (sheet 自评表): 单位基本情况 with the budget table, the 管理效能 and ' +
      '履职效能 tables with merged level cells, 加减分, 总分, 等次 and the note; scores as numbers with their ' +
      'decimals, amounts with thousands separators; A4 landscape, fit to width, header row repeated. An adjusted ' +
      'evaluation shows 自评分, 复核分 and 复核理由. Downloaded as `<code>-<year>-自评表.xlsx` (RFC 6266: `filename*` in UTF-8, and `<code>-<year>-zipingbiao.xlsx` as the ASCII `filename` that `curl -OJ` saves).',
  })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({
    description: 'the workbook',
    content: { [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  async xlsx(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Param('id', idPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    return download(await this.reports.scoreTableXlsx(code, year, id, principal));
  }

  @Get('export.csv')
  @ApiOperation({
    summary: 'The 自评表 as CSV (UTF-8 with BOM)',
    description:
      'One row per indicator node (code, level names, level, 分值, 得分/自评分, 复核分, 复核理由, 指标解释 or 年度指标值, ' +
      '实际完成指标值, 评分依据), after the unit and year lines and a header row, then 总分 and 等次. UTF-8 with a ' +
      'byte-order mark so Excel opens the Chinese text; CRLF line ends. Downloaded as `<code>-<year>-自评表.csv` (ASCII fallback `<code>-<year>-zipingbiao.csv`).',
  })
  @ApiProduces(CSV_TYPE)
  @ApiOkResponse({ description: 'the CSV text', content: { [CSV_TYPE]: { schema: { type: 'string' } } } })
  async csv(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Param('id', idPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    return download(await this.reports.scoreTableCsv(code, year, id, principal));
  }
}
