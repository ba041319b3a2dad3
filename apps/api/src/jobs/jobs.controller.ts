import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
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
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { langFromAcceptLanguage } from '@jiping/rules';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ErrorBodyDto } from '../common/error-body.dto';
import { LIST_UPLOAD, missingListFile } from '../departments/departments.controller';
import { ParseFiscalYearPipe } from '../departments/dto/path-params';
import { ImpactRequestDto } from '../impact/dto/impact-request.dto';
import { Expensive } from '../limits/expensive';
import { download, XLSX_TYPE } from '../common/download';
import { ImpactRowPageDto, ImpactRowsQueryDto } from './dto/impact-rows.dto';
import { JobDto, ListJobsQueryDto, toJobDto } from './dto/job.dto';
import { RescoreRequestDto } from './dto/rescore-request.dto';
import { JobsService } from './jobs.service';

const ID_PARAM = { name: 'id', example: '0b9f6c1e-3f9a-4c55-9d7e-3c2f2d0c8a11', description: 'the job’s id' };

/**
 * Long jobs: a rule-change impact over every department, a year re-scored after a rule fix, a department list
 * imported — each a stored job (202 and where to look), its progress and result, cancel. Admins and evaluators (the
 * department import: admins, as the import itself).
 */
@ApiTags('jobs')
@ApiBearerAuth()
@Roles('admin', 'evaluator')
@Controller()
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Post('rule-sets/:ref/impact/jobs')
  @Expensive()
  @HttpCode(202)
  @ApiParam({
    name: 'ref',
    example: 'guangzhou-department-overall:2021:2',
    description:
      'the candidate version, "after" (a draft is fine): <rule-set id>:<fiscal year>:<version no | published>',
  })
  @ApiOperation({
    summary: 'Rule-change impact as a job: 202 now, progress and the summary later at GET /jobs/{id}',
    description:
      'The same analysis as POST /rule-sets/{ref}/impact (every department’s latest submission of `year` re-scored ' +
      'under `against` and the version in the path), run by a worker of any instance — on BullMQ over Redis when ' +
      'REDIS_URL is set, in this process otherwise. The request is checked now (404, 422 as the streaming impact); ' +
      'the answer is 202 with `Location: /jobs/{id}` and the job (status 排队中). Its progress is at GET /jobs/{id}; ' +
      'once 已完成 its `result` holds the summary, the first 100 error lines and how many there were, and every ' +
      'department’s row is at GET /jobs/{id}/result/departments (paged) and in GET /jobs/{id}/result.xlsx. A job whose ' +
      'instance stops is run again by another. Audited (job.created).',
  })
  @ApiAcceptedResponse({ type: JobDto, description: 'queued; Location names the job' })
  @ApiResponse({ status: 401, type: ErrorBodyDto, description: 'no API key, or an unknown one' })
  @ApiResponse({ status: 403, type: ErrorBodyDto, description: 'a department key' })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'no such rule-set version' })
  @ApiResponse({ status: 422, type: ErrorBodyDto, description: 'VALIDATION_FAILED: as POST /rule-sets/{ref}/impact' })
  @ApiResponse({ status: 503, type: ErrorBodyDto, description: 'the job queue (Redis) does not answer' })
  async createImpact(
    @Param('ref') ref: string,
    @Body() body: ImpactRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<JobDto> {
    const lang = langFromAcceptLanguage(acceptLanguage);
    const job = await this.jobs.createImpact(ref, body, lang, principal);
    response.setHeader('Location', `/jobs/${job.id}`);
    return toJobDto(job, lang);
  }

  @Post('years/:year/rescore/jobs')
  @Expensive()
  @HttpCode(202)
  @ApiParam({ name: 'year', example: 2021, description: 'the fiscal year to score again' })
  @ApiOperation({
    summary: 'Re-score a year after a rule fix, as a job: 202 now, the old and new totals later at GET /jobs/{id}',
    description:
      'Every department of the year whose status allows an official scoring (已提交, 已评分, 已复核) gets a new ' +
      'evaluation of the revision it submitted — with its audit row (evaluation.created, with the job and the ' +
      'reason) — and its year goes back to 已评分. A 复核 is carried over: each adjusting evaluation in force is made ' +
      'again on the new scoring (same values and reasons, in the name of the evaluator who made it, audited ' +
      'evaluation.adjusted with carriedOver), and a 已复核 year whose 复核分 and 等次 come out unchanged stays 已复核 ' +
      '(one whose result changed is 已评分 again, for the evaluator to confirm). When an adjustment no longer fits ' +
      'the new rules (its value is gone, or its score no longer fits the indicator’s tiers) the department is left ' +
      'as it was and listed in `skipped` with the reason (cause adjustments). Departments 已定稿 are never ' +
      'touched: they are skipped and counted with the reason, as are those not submitted (填报中, 已退回). Which ' +
      'rule set: `ruleSetRef`, a published version of the year (the fix), for the departments whose submission was ' +
      'validated with that rule set; or, without it, the version in force of each rule set of the year, pinned when ' +
      'the job is created. Checked now (404, 422). Run by a worker of any instance; a job whose instance dies is ' +
      'run again by another, and a department scored already is not scored twice (each scoring records the job’s ' +
      'step in its own transaction): the result is the same. Cancel stops before the next department (the result ' +
      'then lists those already scored, complete false). Audited: job.created (with the reason), job.started, ' +
      'job.finished.',
  })
  @ApiAcceptedResponse({ type: JobDto, description: 'queued; Location names the job' })
  @ApiResponse({ status: 401, type: ErrorBodyDto, description: 'no API key, or an unknown one' })
  @ApiResponse({ status: 403, type: ErrorBodyDto, description: 'a department key' })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'no such rule-set version' })
  @ApiResponse({
    status: 422,
    type: ErrorBodyDto,
    description:
      'VALIDATION_FAILED: a malformed year, no reason, a draft or another year’s rule set, or nothing published ' +
      'for the year',
  })
  @ApiResponse({ status: 503, type: ErrorBodyDto, description: 'the job queue (Redis) does not answer' })
  async createRescore(
    @Param('year', ParseFiscalYearPipe) year: number,
    @Body() body: RescoreRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<JobDto> {
    const lang = langFromAcceptLanguage(acceptLanguage);
    const job = await this.jobs.createRescore(year, body, lang, principal);
    response.setHeader('Location', `/jobs/${job.id}`);
    return toJobDto(job, lang);
  }

  @Post('departments/import/jobs')
  @Roles('admin')
  @HttpCode(202)
  @UseInterceptors(FileInterceptor('file', LIST_UPLOAD))
  @ApiOperation({
    summary: 'Import a department list (部门名单) as a job: checked now, applied by a worker',
    description:
      'The file of POST /departments/import (multipart field `file`: the xlsx template or a CSV, at most 10,000 ' +
      'rows and 5 MB). Every row is checked now, as the synchronous import checks it: any problem refuses the ' +
      'whole file with 422 and every problem by row and column in Chinese, and no job is made. A clean file is ' +
      'stored with the job (params: what the check found it would do) and applied by a worker of any instance: ' +
      'checked again against the departments stored then (a problem found then fails the job, with the same ' +
      'details by row), and imported in one transaction, each change audited (department.created / ' +
      'department.updated), the job’s result the synchronous import’s answer. A job whose instance dies is run ' +
      'again elsewhere and does not import twice. Audited: job.created, job.started, job.finished.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: '.xlsx or .csv' } },
    },
  })
  @ApiAcceptedResponse({ type: JobDto, description: 'queued; Location names the job' })
  @ApiResponse({ status: 403, type: ErrorBodyDto, description: 'not an admin key' })
  @ApiResponse({ status: 413, type: ErrorBodyDto, description: 'a file over 5 MB' })
  @ApiResponse({ status: 422, type: ErrorBodyDto, description: 'every problem of the file, by row and column' })
  @ApiResponse({ status: 503, type: ErrorBodyDto, description: 'the job queue (Redis) does not answer' })
  async createDepartmentImport(
    @UploadedFile() file: { buffer: Buffer; originalname?: string } | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<JobDto> {
    if (!file) throw missingListFile();
    const lang = langFromAcceptLanguage(acceptLanguage);
    const job = await this.jobs.createDepartmentImport(file.buffer, fileNameOf(file.originalname), lang, principal);
    response.setHeader('Location', `/jobs/${job.id}`);
    return toJobDto(job, lang);
  }

  @Get('jobs')
  @ApiOperation({
    summary: 'Jobs, newest first',
    description:
      'Every job of every instance, with its status and progress; filter by status and kind. Results without ' +
      'their per-row lists (an import’s rows): GET /jobs/{id} has them; a re-scoring’s and an impact’s departments ' +
      'are at GET /jobs/{id}/result/departments.',
  })
  @ApiOkResponse({ type: [JobDto] })
  @ApiResponse({ status: 403, type: ErrorBodyDto, description: 'a department key' })
  @ApiResponse({ status: 422, type: ErrorBodyDto, description: 'VALIDATION_FAILED: an unknown status or kind' })
  async list(@Query() query: ListJobsQueryDto, @Headers('accept-language') acceptLanguage?: string): Promise<JobDto[]> {
    const lang = langFromAcceptLanguage(acceptLanguage);
    return (await this.jobs.list(query)).map((job) => toJobDto(job, lang, true));
  }

  @Get('jobs/:id')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary: 'A job: status, progress, and its result or error once finished',
    description:
      'Any instance answers (the job is a database row). status: queued (排队中), running (运行中), succeeded ' +
      '(已完成, with `result`), failed (失败, with `error`), cancelled (已取消). progress: done of total.',
  })
  @ApiOkResponse({ type: JobDto })
  @ApiResponse({ status: 403, type: ErrorBodyDto, description: 'a department key' })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'no such job' })
  async get(@Param('id') id: string, @Headers('accept-language') acceptLanguage?: string): Promise<JobDto> {
    return toJobDto(await this.jobs.get(id), langFromAcceptLanguage(acceptLanguage));
  }

  @Get('jobs/:id/result/departments')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary: 'A job’s departments, a page at a time: an impact’s rows, a re-scoring’s outcomes',
    description:
      'A re-scoring (kind rescore), once it has ended with a result (a cancelled one: the departments it did): ' +
      'every department of the year in code order, `outcome` rescored (status before and after, old and new total ' +
      'and grade, changed, and carriedOver: what became of its 复核, with a note) or skipped (status, reason, cause ' +
      'adjustments when its 复核 no longer fits the new rules); filtered by `outcome`, `move`, `before`, `after`; ' +
      'paged with `offset` and `limit` — { items, total, offset, limit, next }. An impact: once the job has ' +
      'succeeded, every department it scored as a row line of the streaming impact ' +
      '(department, before, after, delta, and in a simulation `assumed`: the keys of the assumed values it used). ' +
      'Sorted by the change (`sort=-delta`: the biggest rise first, `delta`: the biggest fall first) or by code; ' +
      'filtered by direction (`move`) or by a cell of the transition matrix (`before`, `after` grades); paged with ' +
      '`offset` and `limit` (at most 500), so a run over 10,000 departments is read a page at a time.',
  })
  @ApiOkResponse({ type: ImpactRowPageDto })
  @ApiResponse({ status: 403, type: ErrorBodyDto, description: 'a department key' })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'no such job' })
  @ApiResponse({
    status: 409,
    type: ErrorBodyDto,
    description: 'CONFLICT: the job has not succeeded (queued, running, failed or cancelled)',
  })
  @ApiResponse({ status: 422, type: ErrorBodyDto, description: 'VALIDATION_FAILED: a bad sort, move, offset or limit' })
  async departments(@Param('id') id: string, @Query() query: ImpactRowsQueryDto): Promise<object> {
    return this.jobs.departmentPage(id, query);
  }

  @Get('jobs/:id/result.xlsx')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary: 'An impact job’s result as an Excel workbook (.xlsx)',
    description:
      'Once the job has succeeded: 概要 (the two versions, what was simulated, the counts, mean and median change), ' +
      '等次变动 (the transition matrix: before in rows, after in columns), 部门明细 (every department by code: 原总分, ' +
      '原等次, 新总分, 新等次, 变动 as numbers keeping their decimals, and the assumed values it used), 指标变动 (the ' +
      'mean change per indicator by its Chinese path) and, in a simulation, 模拟假设. 宋体, A4, the header repeated. ' +
      'Downloaded as `<year>-影响分析-<ref>.xlsx` (ASCII fallback `<year>-impact-<ref>.xlsx`).',
  })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({
    description: 'the workbook',
    content: { [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiResponse({ status: 403, type: ErrorBodyDto, description: 'a department key' })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'no such job' })
  @ApiResponse({ status: 409, type: ErrorBodyDto, description: 'CONFLICT: the job has not succeeded' })
  async impactWorkbook(@Param('id') id: string): Promise<StreamableFile> {
    return download(await this.jobs.impactWorkbook(id));
  }

  @Post('jobs/:id/cancel')
  @HttpCode(202)
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary: 'Cancel a job',
    description:
      'A queued job is 已取消 at once; a running one is marked (cancelRequested) and stops at its next progress ' +
      'step, then 已取消. A finished job cannot be cancelled (409). Audited (job.cancelled).',
  })
  @ApiAcceptedResponse({ type: JobDto })
  @ApiResponse({ status: 403, type: ErrorBodyDto, description: 'a department key' })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'no such job' })
  @ApiResponse({ status: 409, type: ErrorBodyDto, description: 'CONFLICT: the job has already ended' })
  async cancel(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<JobDto> {
    return toJobDto(await this.jobs.cancel(id, principal), langFromAcceptLanguage(acceptLanguage));
  }

  @Delete('jobs/:id')
  @HttpCode(202)
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'Cancel a job (the same as POST /jobs/{id}/cancel); the job stays listed' })
  @ApiAcceptedResponse({ type: JobDto })
  @ApiResponse({ status: 403, type: ErrorBodyDto, description: 'a department key' })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'no such job' })
  @ApiResponse({ status: 409, type: ErrorBodyDto, description: 'CONFLICT: the job has already ended' })
  async remove(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<JobDto> {
    return this.cancel(id, principal, acceptLanguage);
  }
}

/**
 * The uploaded file's name as the browser sent it: multer reads it as latin1, so a Chinese name (部门名单.xlsx) is
 * read back as UTF-8; at most 200 characters.
 */
function fileNameOf(name: string | undefined): string | null {
  if (!name) return null;
  const utf8 = Buffer.from(name, 'latin1').toString('utf8');
  return (utf8.includes('\uFFFD') ? name : utf8).slice(0, 200);
}
