import { Body, Controller, Get, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ErrorBodyDto } from '../common/error-body.dto';
import { ParseDepartmentCodePipe, ParseFiscalYearPipe, ParseRevisionPipe } from '../departments/dto/path-params';
import { SubmissionDetailDto, SubmissionDto, SubmissionEstimateDto, SubmissionSummaryDto } from './dto/submission.dto';
import { SubmissionWorkbookInterceptor, WORKBOOK_UPLOAD } from './submission-workbook.interceptor';
import { SubmissionsService } from './submissions.service';
import { Expensive } from '../limits/expensive';

@ApiTags('submissions')
@ApiBearerAuth()
@ApiParam({ name: 'code', example: 'gz-kjj' })
@ApiParam({ name: 'year', example: 2021 })
@ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key, or an unknown key' })
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such department, or another department (department key)' })
@Controller('departments/:code/years/:year/submissions')
export class SubmissionsController {
  constructor(private readonly submissions: SubmissionsService) {}

  /**
   * Submits the year-end data: checked against the published rule set and the latest declared targets, then kept.
   * Also accepts the filled template (GET /rule-sets/{ref}/template.xlsx) as multipart field `file` (≤ 5 MB), read
   * into the same body; its problems name the sheet and cell.
   */
  @Post()
  @Expensive((request) => request.is('multipart/form-data') === 'multipart/form-data')
  @Roles('admin', 'department')
  @UseInterceptors(FileInterceptor('file', WORKBOOK_UPLOAD), SubmissionWorkbookInterceptor)
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiPayloadTooLargeResponse({ type: ErrorBodyDto, description: 'PAYLOAD_TOO_LARGE: an uploaded workbook over 5 MB' })
  @ApiCreatedResponse({ type: SubmissionSummaryDto, description: 'the new revision (n + 1; earlier ones are kept)' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'an evaluator key' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description:
      'INVALID_SUBMISSION with every problem and its pointer; VALIDATION_FAILED for the envelope, or for an ' +
      'uploaded workbook with every problem naming its cell (年终数据!C12: 应为不超过两位小数的金额) and pointer; ' +
      'PRECONDITION_MISSING when no rule set is published or no targets are declared yet; RULE_SET_AMBIGUOUS',
  })
  create(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Body() body: SubmissionDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubmissionSummaryDto> {
    return this.submissions.create(code, year, body, principal);
  }

  /**
   * 预估得分: checks the year-end data exactly as POST would (the published rule set, the binding declared targets)
   * and scores it, without keeping anything (no revision, no audit entry). Needs no earlier revision, so a fresh
   * year's unsaved form has its estimate too; any year status. The console's 年终填报 form calls it as the clerk types.
   */
  @Post('estimate')
  @HttpCode(200)
  @Roles('admin', 'department', 'evaluator')
  @ApiOkResponse({ type: SubmissionEstimateDto, description: 'the ScoreReport the data would get; nothing stored' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description:
      'as POST: INVALID_SUBMISSION with every problem and its pointer, VALIDATION_FAILED for the envelope, ' +
      'PRECONDITION_MISSING when no rule set is published or no targets are declared yet; RULE_SET_AMBIGUOUS',
  })
  estimate(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Body() body: SubmissionDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubmissionEstimateDto> {
    return this.submissions.estimate(code, year, body, principal);
  }

  /** Every revision, newest first, without the data. */
  @Get()
  @ApiOkResponse({ type: [SubmissionSummaryDto] })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'a malformed code or year' })
  list(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubmissionSummaryDto[]> {
    return this.submissions.list(code, year, principal);
  }

  /** One revision with the data as accepted. */
  @Get(':revision')
  @ApiParam({ name: 'revision', example: 1 })
  @ApiOkResponse({ type: SubmissionDetailDto })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'a malformed code, year or revision' })
  get(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Param('revision', ParseRevisionPipe) revision: number,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubmissionDetailDto> {
    return this.submissions.get(code, year, revision, principal);
  }
}
