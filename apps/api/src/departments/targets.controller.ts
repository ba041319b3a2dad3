import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { localized, type Lang } from '@jiping/rules';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { ErrorBodyDto } from '../common/error-body.dto';
import { RequestLang } from '../common/request-lang';
import { WORKBOOK_UPLOAD } from '../submissions/submission-workbook.interceptor';
import { WORKFLOW } from '../years/year-workflow';
import {
  ApproveTargetsDto,
  DeclareTargetsDto,
  TargetDeclarationDto,
  TargetsOverviewDto,
  TargetsWorkbookImportQueryDto,
  TargetsWorkbookPreviewDto,
  TargetsWorkbookQueryDto,
} from './dto/declare-targets.dto';
import { ParseDepartmentCodePipe, ParseFiscalYearPipe, ParseRevisionPipe } from './dto/path-params';
import { download, XLSX_TYPE } from '../common/download';
import { TargetsService } from './targets.service';
import { TargetsWorkbookService } from './targets-workbook.service';

@ApiTags('targets')
@ApiBearerAuth()
@ApiParam({ name: 'code', example: 'gz-kjj' })
@ApiParam({ name: 'year', example: 2021 })
@ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key, or an unknown key' })
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such department, or another department (department key)' })
@Controller('departments/:code/years/:year/targets')
export class TargetsController {
  constructor(
    private readonly targets: TargetsService,
    private readonly workbooks: TargetsWorkbookService,
  ) {}

  @Get('template.xlsx')
  @ApiOperation({
    summary: 'The 绩效目标申报表: the year’s targets as a workbook, prefilled with the latest declaration',
    description:
      'One sheet per declared section of the published rule set (广州 2021: 履职效能) with the columns of the ' +
      'department template — 目标代码, 绩效目标, 目标分值, 指标代码, 关键指标, 指标分值, 类型, 比较, 年度指标值, 区间上限, ' +
      '单位 — filled with the latest declaration (blank before any), blank rows to add more, lists and checks on the ' +
      'cells, and 说明. Fill it in Excel or WPS and import it (POST …/targets/workbook-import). Downloaded as ' +
      '`<code>-<year>-绩效目标申报表.xlsx` (ASCII fallback `<code>-<year>-mubiao-shenbao.xlsx` for curl -OJ).',
  })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({
    description: 'the workbook',
    content: { [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description:
      'a malformed code, year or ruleSetId; PRECONDITION_MISSING when no rule set is published for the year or it ' +
      'declares nothing; RULE_SET_AMBIGUOUS',
  })
  async template(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Query() query: TargetsWorkbookQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    return download(await this.workbooks.template(code, year, principal, query.ruleSetId));
  }

  @Post('workbook-import')
  @HttpCode(201)
  @Roles(...WORKFLOW.edit.roles)
  @UseInterceptors(FileInterceptor('file', WORKBOOK_UPLOAD))
  @ApiOperation({
    summary: 'Declare the targets from a 绩效目标申报表 (preview with ?dryRun=true)',
    description:
      'Multipart field `file` (≤ 5 MB): the filled 绩效目标申报表 (GET …/targets/template.xlsx). Every cell is read ' +
      'and the declaration checked against the rule set as PUT …/targets checks it; each problem names its cell ' +
      '(履职效能!H3：应为比较方式之一：≥、≤、=、区间) and its pointer. With `?dryRun=true`: 200 with { valid, ruleSet, ' +
      'targets, summary, problems }, nothing stored. Without: 201 and the new revision of the declaration (audited ' +
      'targets.declared), awaiting approval (批复) like any declaration; or 422 naming every problem, nothing stored.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: 'the filled 绩效目标申报表 (.xlsx)' } },
    },
  })
  @ApiOkResponse({ type: TargetsWorkbookPreviewDto, description: 'dryRun=true: what would be declared' })
  @ApiCreatedResponse({ type: TargetDeclarationDto, description: 'the new revision (awaiting approval)' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'an evaluator key' })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'the year is submitted, under review or finalised: the message says why',
  })
  @ApiPayloadTooLargeResponse({ type: ErrorBodyDto, description: 'a file over 5 MB' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description:
      'VALIDATION_FAILED naming every problem with its cell (path) and pointer; no file; not a workbook; ' +
      'PRECONDITION_MISSING; RULE_SET_AMBIGUOUS',
  })
  async importWorkbook(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @UploadedFile() file: { buffer: Buffer } | undefined,
    @Query() query: TargetsWorkbookImportQueryDto,
    @CurrentPrincipal() principal: Principal,
    @RequestLang() lang: Lang,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TargetsWorkbookPreviewDto | TargetDeclarationDto> {
    if (!file) {
      throw new ApiError(
        ApiErrorCode.VALIDATION_FAILED,
        localized(
          '请在 multipart 字段“file”中上传绩效目标申报表',
          'upload the target declaration workbook in the multipart field "file"',
        ),
        [
          {
            pointer: '/file',
            message: localized(
              '缺少文件：填好的绩效目标申报表（GET …/targets/template.xlsx 下载）',
              'missing: the filled workbook (GET …/targets/template.xlsx)',
            ),
          },
        ],
      );
    }
    const dryRun = query.dryRun === true;
    if (dryRun) response.status(200);
    return this.workbooks.import(code, year, file.buffer, { dryRun, ruleSetId: query.ruleSetId }, principal, lang);
  }

  /**
   * Declares the year's targets (绩效目标申报) under the published rule set; each PUT keeps a new revision. Once a
   * revision is approved (批复) it is binding, and a new declaration awaits approval. Refused (409) while the year is
   * submitted, under review or finalised.
   */
  @Put()
  @HttpCode(200)
  @Roles(...WORKFLOW.edit.roles)
  @ApiOkResponse({ type: TargetDeclarationDto, description: 'the new revision' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'an evaluator key' })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description:
      'the year is submitted, under review (已提交/已评分/已复核) or finalised (已定稿): the message says why',
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description:
      'VALIDATION_FAILED with every problem of the declaration (pointers /targets/<section>/…); PRECONDITION_MISSING ' +
      'when no rule set is published for the year; RULE_SET_AMBIGUOUS when several are and ruleSetId is not given',
  })
  declare(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Body() body: DeclareTargetsDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TargetDeclarationDto> {
    return this.targets.declare(code, year, body, principal);
  }

  /**
   * Approves (批复) a revision: from now on it is binding — year-end data is kept and submitted under it, and
   * official scoring uses it. A later declaration by the department awaits approval in turn.
   */
  @Post(':revision/approve')
  @HttpCode(200)
  @Roles(...WORKFLOW['approve-targets'].roles)
  @ApiParam({ name: 'revision', example: 1 })
  @ApiOkResponse({ type: TargetDeclarationDto, description: 'the approved revision (approval: approved)' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'a department key (evaluators and admins approve)' })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'the revision or a newer one is approved already, or the year is submitted, under review or finalised',
  })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'a malformed code, year, revision or note' })
  approve(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Param('revision', ParseRevisionPipe) revision: number,
    @Body() body: ApproveTargetsDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TargetDeclarationDto> {
    return this.targets.approve(code, year, revision, body.note, principal);
  }

  /** The current declaration (null before any), the binding (approved) one, and every revision, newest first. */
  @Get()
  @ApiOkResponse({ type: TargetsOverviewDto })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'a malformed code or year' })
  overview(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TargetsOverviewDto> {
    return this.targets.overview(code, year, principal);
  }

  /** One kept revision of the declaration. */
  @Get(':revision')
  @ApiParam({ name: 'revision', example: 1 })
  @ApiOkResponse({ type: TargetDeclarationDto })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'a malformed code, year or revision' })
  get(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Param('revision', ParseRevisionPipe) revision: number,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TargetDeclarationDto> {
    return this.targets.get(code, year, revision, principal);
  }
}
