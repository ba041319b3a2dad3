import { Body, Controller, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Lang } from '@jiping/rules';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ErrorBodyDto } from '../common/error-body.dto';
import { RequestLang } from '../common/request-lang';
import { ParseDepartmentCodePipe, ParseFiscalYearPipe } from '../departments/dto/path-params';
import { download, XLSX_TYPE } from '../common/download';
import { DepartmentWorkbookService } from './department-workbook.service';
import { DepartmentYearsService } from './department-years.service';
import {
  DepartmentWorkbookQueryDto,
  DepartmentYearDto,
  NoteDto,
  ReasonDto,
  SubmitYearDto,
} from './dto/department-year.dto';
import { WORKFLOW } from './year-workflow';

const CONFLICT = 'the year’s status does not allow it (the wrong order): the message says why and what to do';

/**
 * A department's year as a workflow: 未填报 → 填报中 → 已提交 ⇄ 已退回 → 已评分 → 已复核 → 已定稿 (→ reopened by an
 * admin). Declaring targets or keeping year-end data starts it; POST …/evaluations scores it (已评分).
 */
@ApiTags('years')
@ApiBearerAuth()
@ApiParam({ name: 'code', example: 'gz-kjj', description: 'department code' })
@ApiParam({ name: 'year', example: 2021, description: 'fiscal year' })
@ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key, or an unknown key' })
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such department, or another department (department key)' })
@Controller('departments/:code/years/:year')
export class DepartmentYearsController {
  constructor(
    private readonly years: DepartmentYearsService,
    private readonly workbooks: DepartmentWorkbookService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The department’s year: status, submitted revision, deadlines, what is missing, official score',
    description:
      'What the department’s home page shows: the status (and its Chinese label), the declared and approved ' +
      '(批复) target revisions, the newest and the submitted year-end data revision (with late flag), the last 退回 ' +
      'and its reason, the official score once it exists (自评分, 复核分 when adjusted, the total in force and 等次), ' +
      'the year’s deadlines, what the department still has to do, and every workflow action with whether the ' +
      'caller may take it now (and why not). Texts follow Accept-Language.',
  })
  @ApiOkResponse({ type: DepartmentYearDto })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'a malformed code or year' })
  view(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @CurrentPrincipal() principal: Principal,
    @RequestLang() lang: Lang,
  ): Promise<DepartmentYearDto> {
    return this.years.view(code, year, principal, lang);
  }

  @Get('template.xlsx')
  @ApiOperation({
    summary: 'The department’s own workbook (填报表): its approved targets and latest figures, to fill and upload',
    description:
      'The template of the year’s published rule set (GET /rule-sets/{ref}/template.xlsx) made the department’s ' +
      'own: its 履职效能 sheet lists the declaration in force — the approved one (批复), else the latest awaiting ' +
      'approval — goal and indicator cells (代码, 名称, 分值, 类型, 比较, 年度指标值, 单位) read-only and grey, only the ' +
      'results editable (实际完成值 for a quantitative indicator, 达成等级 and 自评分 for a qualitative one, 完成情况 ' +
      'and 原因); every other sheet is filled from the latest revision of the year-end data. Sheets are protected ' +
      '(no password: it guards against slips). Upload it filled as multipart field `file` to POST …/submissions: ' +
      'a workbook whose targets differ from the declaration is refused (422) naming each differing cell ' +
      '(履职效能!I3) with its pointer. Downloaded as `<code>-<year>-填报表.xlsx` (ASCII fallback ' +
      '`<code>-<year>-tianbaobiao.xlsx` for curl -OJ).',
  })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({
    description: 'the workbook',
    content: { [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description:
      'a malformed code, year or ruleSetId; PRECONDITION_MISSING: no rule set published for the year, or no targets ' +
      'declared yet; RULE_SET_AMBIGUOUS: several published, name one with ruleSetId',
  })
  async template(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Query() query: DepartmentWorkbookQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    return download(await this.workbooks.workbook(code, year, principal, query.ruleSetId));
  }

  @Post('submit')
  @HttpCode(200)
  @Roles(...WORKFLOW.submit.roles)
  @ApiOperation({
    summary: 'Submit (提交) one revision of the year-end data for official scoring',
    description:
      '填报中 or 已退回 → 已提交. The revision (the latest unless named) must be kept under the approved targets ' +
      '(批复). After the year’s submission deadline it is flagged late, and refused only when the bureau blocks ' +
      'late submissions (a re-submission after a 退回 never is). Official scoring then scores this revision.',
  })
  @ApiOkResponse({ type: DepartmentYearDto, description: 'the year, now 已提交' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'an evaluator key' })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: `${CONFLICT}; also: no year-end data, targets not approved, data not under the approved targets, late`,
  })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'a malformed body' })
  submit(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Body() body: SubmitYearDto,
    @CurrentPrincipal() principal: Principal,
    @RequestLang() lang: Lang,
  ): Promise<DepartmentYearDto> {
    return this.years.submit(code, year, body.revision, principal, lang);
  }

  @Post('return')
  @HttpCode(200)
  @Roles(...WORKFLOW.return.roles)
  @ApiOperation({
    summary: 'Return (退回) the submission to the department, with a reason',
    description:
      '已提交, 已评分 or 已复核 → 已退回. The reason is shown on the department’s page (lastReturn) and kept in the ' +
      'audit log; an official score of the returned submission no longer stands. The department corrects its data ' +
      'and submits again.',
  })
  @ApiOkResponse({ type: DepartmentYearDto, description: 'the year, now 已退回' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'a department key' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: CONFLICT })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'no reason, or a blank one: /reason' })
  return(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Body() body: ReasonDto,
    @CurrentPrincipal() principal: Principal,
    @RequestLang() lang: Lang,
  ): Promise<DepartmentYearDto> {
    return this.years.return(code, year, body.reason, principal, lang);
  }

  @Post('review')
  @HttpCode(200)
  @Roles(...WORKFLOW.review.roles)
  @ApiOperation({
    summary: 'Mark the official score reviewed (复核完成), with or without adjustments',
    description: '已评分 → 已复核. Adjustments (POST …/evaluations/{id}/adjustments) stay possible until 定稿.',
  })
  @ApiOkResponse({ type: DepartmentYearDto, description: 'the year, now 已复核' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'a department key' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: CONFLICT })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'a malformed note' })
  review(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Body() body: NoteDto,
    @CurrentPrincipal() principal: Principal,
    @RequestLang() lang: Lang,
  ): Promise<DepartmentYearDto> {
    return this.years.review(code, year, body.note, principal, lang);
  }

  @Post('finalise')
  @HttpCode(200)
  @Roles(...WORKFLOW.finalise.roles)
  @ApiOperation({
    summary: 'Finalise (定稿) the year: locked from now on',
    description:
      '已复核 → 已定稿. No submission, target declaration or approval, adjustment or scoring changes a finalised ' +
      'year: each answers 409 with a Chinese message. Only an admin reopens it, with a reason.',
  })
  @ApiOkResponse({ type: DepartmentYearDto, description: 'the year, now 已定稿' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'a department key' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: CONFLICT })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'a malformed note' })
  finalise(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Body() body: NoteDto,
    @CurrentPrincipal() principal: Principal,
    @RequestLang() lang: Lang,
  ): Promise<DepartmentYearDto> {
    return this.years.finalise(code, year, body.note, principal, lang);
  }

  @Post('reopen')
  @HttpCode(200)
  @Roles(...WORKFLOW.reopen.roles)
  @ApiOperation({
    summary: 'Reopen (重新开启) a finalised year: admins only, with a reason (audited)',
    description: '已定稿 → 已复核: the evaluator may adjust, return or finalise it again.',
  })
  @ApiOkResponse({ type: DepartmentYearDto, description: 'the year, now 已复核' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'not an admin key' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: CONFLICT })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'no reason, or a blank one: /reason' })
  reopen(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Body() body: ReasonDto,
    @CurrentPrincipal() principal: Principal,
    @RequestLang() lang: Lang,
  ): Promise<DepartmentYearDto> {
    return this.years.reopen(code, year, body.reason, principal, lang);
  }
}
