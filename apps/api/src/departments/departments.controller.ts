import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { buildDepartmentImportTemplate, DEFAULT_WORKBOOK_LIMITS } from '@jiping/reports';
import { localized } from '@jiping/rules';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { attachment } from '../common/content-disposition';
import { ErrorBodyDto } from '../common/error-body.dto';
import { DepartmentsService } from './departments.service';
import {
  CreateDepartmentDto,
  DepartmentDto,
  DepartmentImportResultDto,
  DepartmentStatusChangeDto,
  ImportDepartmentsQueryDto,
  ListDepartmentsQueryDto,
  UpdateDepartmentDto,
} from './dto/department.dto';
import { ParseDepartmentCodePipe } from './dto/path-params';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** multer options of the list upload: one file in field `file`, at most 5 MB, kept in memory. */
export const LIST_UPLOAD = { limits: { fileSize: DEFAULT_WORKBOOK_LIMITS.maxBytes, files: 1, fields: 2, parts: 3 } };

@ApiTags('departments')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key, or an unknown key' })
@Controller('departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a department (audited as department.created)' })
  @ApiCreatedResponse({ type: DepartmentDto })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'not an admin key' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'a department with this code exists' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED, every field named; a parent that does not exist or is retired',
  })
  create(@Body() dto: CreateDepartmentDto, @CurrentPrincipal() principal: Principal): Promise<DepartmentDto> {
    return this.departments.create(dto, principal);
  }

  /** Every department (retired ones marked); a department key gets a list with only its own. */
  @Get()
  @ApiOperation({
    summary: 'The departments, by code; filter by region, status (active | retired) or parent',
    description: 'Retired departments are listed with status retired (已撤销) unless `status=active`.',
  })
  @ApiOkResponse({ type: [DepartmentDto] })
  list(@Query() query: ListDepartmentsQueryDto, @CurrentPrincipal() principal: Principal): Promise<DepartmentDto[]> {
    return this.departments.list(principal, query);
  }

  @Get('import-template.xlsx')
  @Roles('admin')
  @ApiOperation({
    summary: 'The department list template (部门名单导入模板.xlsx)',
    description:
      'Sheet 部门 with the header row 部门代码*, 部门名称*, 地区*, 上级部门代码 and two example rows (marked 示例, skipped ' +
      'on import); sheet 说明 says what each column takes. Saved by curl -OJ as department-import-template.xlsx.',
  })
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: 'the workbook', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'not an admin key' })
  async template(): Promise<StreamableFile> {
    const body = await buildDepartmentImportTemplate();
    return new StreamableFile(body, {
      type: XLSX,
      disposition: attachment('部门名单导入模板.xlsx', 'department-import-template.xlsx'),
      length: body.length,
    });
  }

  @Post('import')
  @Roles('admin')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file', LIST_UPLOAD))
  @ApiOperation({
    summary: 'Import a department list (部门名单) from the xlsx template or a CSV',
    description:
      'Multipart field `file`: the template (GET /departments/import-template.xlsx) or a CSV with the same header ' +
      '(UTF-8, or GBK as Excel saves it), at most 10,000 rows and 5 MB. Every row is checked first — code, name, ' +
      'region, parent (stored or in the file, not retired, no cycle), duplicates — and any problem refuses the whole ' +
      'file: 422 VALIDATION_FAILED, one detail per problem with its row and column in Chinese (message 第12行“部门代码”：…, ' +
      'path 部门!A12 or 第12行第1列, pointer /rows/12/code). Otherwise new codes are created and existing ones renamed ' +
      'or moved where the file differs (a retired one cannot be changed), in one transaction, each change audited ' +
      '(department.created / department.updated). `?dryRun=true` checks and reports, storing nothing. The same ' +
      'import as a stored job (checked now, applied by a worker, progress at GET /jobs/{id}): POST ' +
      '/departments/import/jobs.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: '.xlsx or .csv' } },
    },
  })
  @ApiOkResponse({ type: DepartmentImportResultDto })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'not an admin key' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'a code was created by someone else during the import' })
  @ApiPayloadTooLargeResponse({ type: ErrorBodyDto, description: 'a file over 5 MB' })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'every problem of the file, by row and column' })
  import(
    @UploadedFile() file: { buffer: Buffer } | undefined,
    @Query() query: ImportDepartmentsQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DepartmentImportResultDto> {
    if (!file) throw missingListFile();
    return this.departments.import(file.buffer, { dryRun: query.dryRun === true }, principal);
  }

  @Get(':code')
  @ApiOkResponse({ type: DepartmentDto })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'no such department, or another department (department key)',
  })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'the code is not kebab-case' })
  get(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DepartmentDto> {
    return this.departments.get(code, principal);
  }

  @Patch(':code')
  @Roles('admin')
  @ApiOperation({
    summary: 'Rename a department (更名), or move it to another region or parent (audited as department.updated)',
    description: 'Only the fields given change; the audit entry lists each change with its old and new value.',
  })
  @ApiOkResponse({ type: DepartmentDto })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'not an admin key' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such department' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'the department is retired: reinstate it first' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description: 'a malformed field; a parent that does not exist, is retired, or lies below the department',
  })
  update(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Body() dto: UpdateDepartmentDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DepartmentDto> {
    return this.departments.update(code, dto, principal);
  }

  @Post(':code/retire')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retire a department (撤销), with a reason',
    description:
      'Kept for history and listed with status retired; it takes no new targets, year-end data or submissions ' +
      '(409), and no new users or keys. Audited as department.retired.',
  })
  @ApiOkResponse({ type: DepartmentDto })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'not an admin key' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such department' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'retired already' })
  retire(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Body() dto: DepartmentStatusChangeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DepartmentDto> {
    return this.departments.retire(code, dto.reason, principal);
  }

  @Post(':code/reinstate')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reinstate a retired department (恢复), with a reason (audited as department.reinstated)' })
  @ApiOkResponse({ type: DepartmentDto })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'not an admin key' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such department' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'the department is not retired' })
  reinstate(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Body() dto: DepartmentStatusChangeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DepartmentDto> {
    return this.departments.reinstate(code, dto.reason, principal);
  }
}

/** 422: no file in the multipart field `file` (the import and the import job). */
export function missingListFile(): ApiError {
  return new ApiError(
    ApiErrorCode.VALIDATION_FAILED,
    localized('请在 multipart 字段“file”中上传部门名单', 'upload the department list in the multipart field "file"'),
    [
      {
        pointer: '/file',
        message: localized(
          '缺少文件：部门名单模板（GET /departments/import-template.xlsx）或 CSV',
          'missing: the list template (GET /departments/import-template.xlsx) or a CSV',
        ),
      },
    ],
  );
}
