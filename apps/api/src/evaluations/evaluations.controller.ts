import { localized } from '@jiping/rules';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { ErrorBodyDto } from '../common/error-body.dto';
import { ParseDepartmentCodePipe, ParseFiscalYearPipe } from '../departments/dto/path-params';
import { EvaluationDto, EvaluationSummaryDto } from './dto/evaluation.dto';
import { ScoreEvaluationDto } from './dto/score-evaluation.dto';
import { EvaluationsService } from './evaluations.service';

const idPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new ApiError(
      ApiErrorCode.VALIDATION_FAILED,
      localized('路径中的评分记录 id 不是 UUID', 'the evaluation id in the path is not a UUID'),
      [{ pointer: 'id', message: localized('应为 UUID', 'a UUID') }],
    ),
});

@ApiTags('evaluations')
@ApiBearerAuth()
@ApiParam({ name: 'code', example: 'gz-kjj', description: 'department code' })
@ApiParam({ name: 'year', example: 2021, description: 'fiscal year' })
@ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key or an unknown key' })
@ApiUnprocessableEntityResponse({
  type: ErrorBodyDto,
  description: 'the department code, year or id in the path is malformed',
})
@Controller('departments/:code/years/:year/evaluations')
export class EvaluationsController {
  constructor(private readonly evaluations: EvaluationsService) {}

  @Post()
  @Roles('evaluator', 'admin')
  @ApiOperation({
    summary: 'Score a submission officially (正式评分)',
    description:
      'Scores the latest (or the named) submission revision under the published rule set in force for the year ' +
      '(or the named published or superseded version) and stores the evaluation, pinned to the rule-set checksum ' +
      'and the engine version. Re-scoring adds a new evaluation with the next sequence; none is ever edited.',
  })
  @ApiCreatedResponse({ type: EvaluationDto })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'a department key (only evaluators and admins score)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such department, submission revision or rule set' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description:
      'VALIDATION_FAILED (a malformed body, or ruleSetRef names a draft or another year), PRECONDITION_MISSING ' +
      '(no submission, or no published rule set), RULE_SET_AMBIGUOUS, INVALID_SUBMISSION or METRIC_UNDEFINED ' +
      '(the engine refused the data, with JSON pointers)',
  })
  score(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Body() dto: ScoreEvaluationDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EvaluationDto> {
    return this.evaluations.score(code, year, dto, principal);
  }

  @Get()
  @ApiOperation({ summary: 'List the evaluations of a department’s year, newest first (without reports)' })
  @ApiOkResponse({ type: [EvaluationSummaryDto] })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such department (or not yours)' })
  list(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EvaluationSummaryDto[]> {
    return this.evaluations.list(code, year, principal);
  }

  @Get('latest')
  @ApiOperation({ summary: 'The latest evaluation, with its report' })
  @ApiOkResponse({ type: EvaluationDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such department (or not yours), or no evaluation yet' })
  latest(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EvaluationDto> {
    return this.evaluations.latest(code, year, principal);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One evaluation, with its report' })
  @ApiParam({ name: 'id', example: '5f0c2a8e-8d7b-4c1e-9a53-0d2f9b6e4c11' })
  @ApiOkResponse({ type: EvaluationDto })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'no such department (or not yours), or no such evaluation of this department and year',
  })
  findOne(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Param('id', idPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EvaluationDto> {
    return this.evaluations.findOne(code, year, id, principal);
  }
}
