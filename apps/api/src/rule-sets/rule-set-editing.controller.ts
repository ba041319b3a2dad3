import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type Lang, localized } from '@jiping/rules';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { attachment } from '../common/content-disposition';
import { ErrorBodyDto } from '../common/error-body.dto';
import { RequestLang } from '../common/request-lang';
import { Expensive } from '../limits/expensive';
import { WORKBOOK_UPLOAD } from '../submissions/submission-workbook.interceptor';
import {
  CreateDraftDto,
  DraftCreatedDto,
  RuleFileCheckDto,
  ValidateRuleFileQueryDto,
  WorkbookImportedDto,
  WorkbookImportQueryDto,
  WorkbookPreviewDto,
} from './dto/rule-set-editing.dto';
import { RuleSetEditingService } from './rule-set-editing.service';

const ERRORS = {
  401: 'no API key, or an unknown one',
  403: 'only admin keys edit rule sets',
  404: 'no such version',
  413: 'RULE_SET_TOO_LARGE (a rule file over 1 MiB) or PAYLOAD_TOO_LARGE (a workbook over 5 MB)',
  422:
    'RULE_SET_INVALID with every problem (its pointer, its Chinese path, for a workbook the cell: 指标体系!F12（管理效能 › 采购管理）), ' +
    'or VALIDATION_FAILED naming the bad reference, body field or query parameter',
} as const;
const Errors = (...statuses: Array<keyof typeof ERRORS>) =>
  applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, type: ErrorBodyDto, description: ERRORS[status] })),
  );
const RefParam = () =>
  ApiParam({
    name: 'ref',
    example: 'guangzhou-department-overall:2021:published',
    description: 'the base version: <rule-set id>:<fiscal year>:<version no>, or <rule-set id>:<fiscal year>:published',
  });

/**
 * What a rule editor (the console's, or a script) needs beside upload, replace and publish: a new draft copied from a
 * stored version, a check that stores nothing, and the editable 指标体系 workbook imported as a new draft. Admins.
 */
@ApiTags('rule-sets')
@ApiBearerAuth()
@Controller('rule-sets')
export class RuleSetEditingController {
  constructor(private readonly editing: RuleSetEditingService) {}

  @Post('validate')
  @HttpCode(200)
  @Expensive()
  @Roles('admin')
  @ApiOperation({
    summary: 'Check a rule file without storing it',
    description:
      'Every check of an upload (schema, meaning, embedded tests, column limits): `valid`, every problem with its JSON ' +
      'pointer and Chinese path (管理效能 › 资产管理 › 固定资产利用率), and the warnings (safety nets, a reused version). ' +
      'With `against`, the diff from that stored version (also while the file does not pass yet). With ' +
      "`updateTests=true`, the embedded tests' expected results are set to what the file's rules compute, each change " +
      'listed, and the updated file is returned in `file`. A problem is 200 with valid=false, not an error.',
  })
  @ApiBody({ schema: { type: 'object', description: 'a rule file (rules/schema.json)' } })
  @ApiOkResponse({ type: RuleFileCheckDto })
  @Errors(401, 403, 404, 413, 422)
  validate(
    @Body() file: Record<string, unknown>,
    @Query() query: ValidateRuleFileQueryDto,
    @CurrentPrincipal() principal: Principal,
    @RequestLang() lang: Lang,
  ): Promise<RuleFileCheckDto> {
    return this.editing.validate(file, query, principal, lang);
  }

  @Get(':ref/rule-file.json')
  @RefParam()
  @ApiProduces('application/json')
  @ApiOperation({
    summary: 'Download the rule file of a version (.json)',
    description:
      'The rule file exactly as stored, as a download (<id>-<year>-<version no>.json): for experts to read, keep or ' +
      'edit, and upload again (POST /rule-sets, PUT /rule-sets/{ref}). Department keys see published versions only.',
  })
  @ApiResponse({
    status: 200,
    description: 'the rule file',
    content: { 'application/json': { schema: { type: 'object' } } },
  })
  @Errors(401, 404, 422)
  async ruleFile(@Param('ref') ref: string, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    const { name, content } = await this.editing.ruleFile(ref, principal);
    const bytes = Buffer.from(content, 'utf8');
    return new StreamableFile(bytes, {
      type: 'application/json; charset=utf-8',
      disposition: attachment(`${name}.json`),
      length: bytes.length,
    });
  }

  @Post(':ref/drafts')
  @Expensive()
  @Roles('admin')
  @RefParam()
  @ApiOperation({
    summary: 'Start a new draft from a stored version (以2021年为基础)',
    description:
      'Copies the version as a person would: the next version (2021.1.0 → 2021.2.0, or 2022.1.0 for the next year, ' +
      'skipping versions already stored), and for another fiscal year the year in the title, effective date and ' +
      'embedded tests, and `continues` naming the base (so what-if and impact score the base year under the draft). ' +
      'Stored, checked like an upload, as the next version number of its (id, fiscal year); audited (rule-set.drafted). ' +
      'Edit it with PUT /rule-sets/{ref}.',
  })
  @ApiCreatedResponse({ type: DraftCreatedDto })
  @Errors(401, 403, 404, 422)
  createDraft(
    @Param('ref') ref: string,
    @Body() body: CreateDraftDto,
    @CurrentPrincipal() principal: Principal,
    @RequestLang() lang: Lang,
  ): Promise<DraftCreatedDto> {
    return this.editing.createDraft(ref, body, principal, lang);
  }

  @Post(':ref/workbook-import')
  @Expensive()
  @Roles('admin')
  @RefParam()
  @UseInterceptors(FileInterceptor('file', WORKBOOK_UPLOAD))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description: 'the edited workbook, exported from this version (GET /rule-sets/{ref}/workbook.xlsx)',
        },
      },
    },
  })
  @ApiOperation({
    summary: 'Import an edited 指标体系 workbook as a new draft (dryRun=true: preview only)',
    description:
      'Reads the workbook exported from `ref` (GET /rule-sets/{ref}/workbook.xlsx) and edited in Excel or WPS into a ' +
      'new rule file: every cell it cannot read is named (指标体系!F12: 应为不超过两位小数的分值（填了“两分”）) with the ' +
      'JSON pointer, and the draft goes through the checks of an upload. With dryRun=true: 200 with the draft, its diff ' +
      'against the base, the problems, notes and warnings; nothing stored. Without: 201, stored as the next version ' +
      'number of the draft’s (id, fiscal year) and audited (rule-set.imported), or 422 naming every problem.',
  })
  @ApiOkResponse({ type: WorkbookPreviewDto, description: 'dryRun=true: what would be stored' })
  @ApiCreatedResponse({ type: WorkbookImportedDto, description: 'the draft stored' })
  @Errors(401, 403, 404, 413, 422)
  async importWorkbook(
    @Param('ref') ref: string,
    @Query() query: WorkbookImportQueryDto,
    @UploadedFile() file: { buffer: Buffer } | undefined,
    @CurrentPrincipal() principal: Principal,
    @RequestLang() lang: Lang,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WorkbookPreviewDto | WorkbookImportedDto> {
    if (!file) {
      throw new ApiError(
        ApiErrorCode.VALIDATION_FAILED,
        localized(
          '请在 multipart 字段 file 中上传修改后的工作簿',
          'upload the edited workbook in the multipart field "file"',
        ),
        [
          {
            pointer: '/file',
            message: localized(
              '缺少工作簿（GET /rule-sets/{ref}/workbook.xlsx 导出、修改后上传）',
              'missing: the workbook (GET /rule-sets/{ref}/workbook.xlsx, edited)',
            ),
          },
        ],
      );
    }
    const updateTests = query.updateTests === true;
    if (query.dryRun) {
      response.status(200);
      return this.editing.previewWorkbook(ref, file.buffer, updateTests, lang);
    }
    return this.editing.importWorkbook(ref, file.buffer, updateTests, principal, lang);
  }
}
