import { localized } from '@jiping/rules';
import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
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
import { AdjustmentsService } from './adjustments.service';
import { AdjustEvaluationDto } from './dto/adjust-evaluation.dto';
import { EvaluationDto } from './dto/evaluation.dto';

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
@Controller('departments/:code/years/:year/evaluations')
export class AdjustmentsController {
  constructor(private readonly adjustments: AdjustmentsService) {}

  @Post(':id/adjustments')
  @Roles('evaluator', 'admin')
  @ApiOperation({
    summary: 'Adjust an evaluation (复核): override judgment-based values, each with a reason',
    description:
      'Re-scores the evaluation with checklist points, judgments, boolean inputs, qualitative targets’ tiers and ' +
      'scores or quantitative targets’ met/unmet rulings overridden, under the same rule-set version, submission ' +
      'revision and declared targets, and stores the result as a new evaluation (next sequence) with adjustedFrom ' +
      'set; the adjusted evaluation is never changed. Adjustments accumulate: those the adjusted evaluation was ' +
      'scored with apply first. Every touched leaf or target carries review { selfScore (自评分), reviewedScore ' +
      '(复核分), reason, changes }; the action is audited with its reasons. On the demo, marking ' +
      '/inputs/budgetPreparation/preAssessment met gives 部门预算编制情况 2.00 → 3.00 and the total 95.622.',
  })
  @ApiParam({ name: 'code', example: 'gz-kjj', description: 'department code' })
  @ApiParam({ name: 'year', example: 2021, description: 'fiscal year' })
  @ApiParam({ name: 'id', example: '5f0c2a8e-8d7b-4c1e-9a53-0d2f9b6e4c11', description: 'the evaluation to adjust' })
  @ApiCreatedResponse({ type: EvaluationDto, description: 'the new, adjusted evaluation' })
  @ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key or an unknown key' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'a department key (only evaluators and admins adjust)' })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'no such department, or no such evaluation of this department and year',
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description:
      'VALIDATION_FAILED (no adjustments, a missing value or reason: /adjustments/<i>/reason), INVALID_ADJUSTMENT ' +
      '(a value that is not judgment-based, e.g. /inputs/procurementActual: /adjustments/<i>/pointer) or ' +
      'INVALID_SUBMISSION (an adjusted value that does not fit, e.g. a score outside its tier, with the pointer into ' +
      'the submission); nothing is stored',
  })
  adjust(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Param('id', idPipe) id: string,
    @Body() dto: AdjustEvaluationDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EvaluationDto> {
    return this.adjustments.adjust(code, year, id, dto, principal);
  }
}
