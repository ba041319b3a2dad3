import { localized } from '@jiping/rules';
import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { ErrorBodyDto } from '../common/error-body.dto';
import { ParseDepartmentCodePipe, ParseFiscalYearPipe } from '../departments/dto/path-params';
import { HeadroomDto } from './dto/headroom.dto';
import { HeadroomService } from './headroom.service';

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
export class HeadroomController {
  constructor(private readonly headroom: HeadroomService) {}

  /** Any key that may read the evaluation: evaluators, admins, and the department's own key. */
  @Get(':id/headroom')
  @ApiOperation({
    summary: 'Headroom (提分空间): the points an evaluation lost, ranked, and what it takes to reach the next grade',
    description:
      'Every leaf and declared target that lost points, the largest loss first, each with the smallest changes that ' +
      'gain points: for a leaf with a metric, per input its formula reads, the smallest change (at the input’s ' +
      'precision) that raises the score and the one that reaches the next band or full score, e.g. 政府采购执行率 ' +
      '84.48 % → 99.75 %: 实际采购金额合计数 1388.29 → 1639.23 gains 0.31 (99.75 % × 2 = 1.995 → 2.00); for ' +
      'judgment-based leaves (checklist points, judged scores, commendations) the gain of each judgment, marked ' +
      '`kind: judgment`. Then the next grade, the points it needs and the cheapest plan (fewest leaves, then the ' +
      'least overshoot) verified by the engine; at the top grade, the room to the maximum. Computed by the engine ' +
      'from the evaluation’s submission revision and its pinned rule-set version; every figure was scored. Nothing ' +
      'is stored.',
  })
  @ApiParam({ name: 'code', example: 'gz-kjj', description: 'department code' })
  @ApiParam({ name: 'year', example: 2021, description: 'fiscal year' })
  @ApiParam({ name: 'id', example: '5f0c2a8e-8d7b-4c1e-9a53-0d2f9b6e4c11', description: 'evaluation id' })
  @ApiOkResponse({ type: HeadroomDto })
  @ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key or an unknown key' })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'no such department (or not yours), or no such evaluation of this department and year',
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description: 'the department code, year or id in the path is malformed',
  })
  get(
    @Param('code', ParseDepartmentCodePipe) code: string,
    @Param('year', ParseFiscalYearPipe) year: number,
    @Param('id', idPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<HeadroomDto> {
    return this.headroom.headroom(code, year, id, principal);
  }
}
