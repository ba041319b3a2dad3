import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
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
import { WORKFLOW } from '../years/year-workflow';
import {
  ApproveTargetsDto,
  DeclareTargetsDto,
  TargetDeclarationDto,
  TargetsOverviewDto,
} from './dto/declare-targets.dto';
import { ParseDepartmentCodePipe, ParseFiscalYearPipe, ParseRevisionPipe } from './dto/path-params';
import { TargetsService } from './targets.service';

@ApiTags('targets')
@ApiBearerAuth()
@ApiParam({ name: 'code', example: 'gz-kjj' })
@ApiParam({ name: 'year', example: 2021 })
@ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key, or an unknown key' })
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'no such department, or another department (department key)' })
@Controller('departments/:code/years/:year/targets')
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

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
