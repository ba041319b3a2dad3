import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
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
import { ErrorBodyDto } from '../common/error-body.dto';
import { ParseDepartmentCodePipe, ParseFiscalYearPipe, ParseRevisionPipe } from '../departments/dto/path-params';
import { SubmissionDetailDto, SubmissionDto, SubmissionSummaryDto } from './dto/submission.dto';
import { SubmissionsService } from './submissions.service';

@ApiTags('submissions')
@ApiBearerAuth()
@ApiParam({ name: 'code', example: 'gz-kjj' })
@ApiParam({ name: 'year', example: 2021 })
@ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key, or an unknown key' })
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such department, or another department (department key)' })
@Controller('departments/:code/years/:year/submissions')
export class SubmissionsController {
  constructor(private readonly submissions: SubmissionsService) {}

  /** Submits the year-end data: checked against the published rule set and the latest declared targets, then kept. */
  @Post()
  @Roles('admin', 'department')
  @ApiCreatedResponse({ type: SubmissionSummaryDto, description: 'the new revision (n + 1; earlier ones are kept)' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'an evaluator key' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description:
      'INVALID_SUBMISSION with every problem and its pointer; VALIDATION_FAILED for the envelope; ' +
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
