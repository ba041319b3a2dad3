import { Body, Controller, Get, HttpCode, Param, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
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
import { DeclareTargetsDto, TargetDeclarationDto, TargetsOverviewDto } from './dto/declare-targets.dto';
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

  /** Declares the year's targets (绩效目标申报) under the published rule set; each PUT keeps a new revision. */
  @Put()
  @HttpCode(200)
  @Roles('admin', 'department')
  @ApiOkResponse({ type: TargetDeclarationDto, description: 'the new revision' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'an evaluator key' })
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

  /** The current declaration (null before any) and every revision, newest first. */
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
