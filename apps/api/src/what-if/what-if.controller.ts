import { Body, Controller, Headers, HttpCode, Injectable, type PipeTransform, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { langFromAcceptLanguage, localized } from '@jiping/rules';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { ErrorBodyDto } from '../common/error-body.dto';
import { createValidationPipe, REQUEST_INVALID } from '../common/validation';
import { WhatIfChangeDto, type WhatIfRequest, WhatIfScenarioDto, WhatIfScenariosDto } from './dto/what-if-request.dto';
import { WhatIfResultDto, WhatIfResultsDto } from './dto/what-if-result.dto';
import { WhatIfService } from './what-if.service';
import { Expensive } from '../limits/expensive';
import { inlineRuleFileBytes } from './inline-rule-file-body';
import type { Request } from 'express';

/**
 * The body is one scenario or { scenarios: [...] }: the presence of "scenarios" decides which, and the body is then
 * validated like any other (unknown fields are errors, every error has its pointer).
 */
@Injectable()
export class ParseWhatIfRequestPipe implements PipeTransform<unknown, Promise<WhatIfRequest>> {
  private readonly validation = createValidationPipe();

  async transform(value: unknown): Promise<WhatIfRequest> {
    if (Array.isArray(value)) {
      throw new ApiError(ApiErrorCode.VALIDATION_FAILED, REQUEST_INVALID, [
        {
          pointer: '',
          message: localized(
            '一个情景写成一个对象，多个情景写成 { "scenarios": [ … ] }',
            'send one scenario as an object, or several as { "scenarios": [ … ] }',
          ),
        },
      ]);
    }
    const list = value !== null && typeof value === 'object' && Object.hasOwn(value, 'scenarios');
    return (await this.validation.transform(value, {
      type: 'body',
      metatype: list ? WhatIfScenariosDto : WhatIfScenarioDto,
    })) as WhatIfRequest;
  }
}

/** Whether a what-if body sends a rule file inline (in one scenario or in any of a list). */
function sendsInlineRules(request: Request): boolean {
  const body = request.body as { ruleSet?: unknown; scenarios?: unknown } | undefined;
  const inline = (scenario: unknown) =>
    typeof (scenario as { ruleSet?: unknown } | null)?.ruleSet === 'object' &&
    (scenario as { ruleSet?: unknown }).ruleSet !== null;
  return inline(body) || (Array.isArray(body?.scenarios) && body.scenarios.some(inline));
}

const PROCUREMENT_AT_PLAN = {
  department: 'gz-kjj',
  year: 2021,
  base: 'latest',
  changes: [{ pointer: '/inputs/procurementActual', value: '1643.42' }],
};

@ApiTags('what-if')
@ApiBearerAuth()
@ApiExtraModels(WhatIfScenarioDto, WhatIfScenariosDto, WhatIfChangeDto, WhatIfResultDto, WhatIfResultsDto)
@Controller('what-if')
export class WhatIfController {
  constructor(private readonly whatIf: WhatIfService) {}

  @Post()
  @Expensive(sendsInlineRules)
  @HttpCode(200)
  @Roles('evaluator', 'admin', 'department')
  @ApiOperation({
    summary: 'What if: score a department’s data with changes, or under other rules, and compare (nothing is stored)',
    description:
      'Takes the latest (or the named) submission revision of a department’s year with its declared targets, applies ' +
      'the changes in memory (JSON pointers into /inputs, /targetResults, /budget, /evidence or /overview; amounts ' +
      'as decimal strings), and scores it: "before" is the stored submission under the rule-set version it was ' +
      'validated with, "after" the changed submission under the chosen rule set (the published version in force by ' +
      'default, a stored version by reference, or an inline draft rule file). Returns the after ScoreReport and the ' +
      'comparison: every node, every section, the total and the grade before and after, and the nodes that moved. ' +
      'Send one scenario, or several as { "scenarios": [ … ] } (answered as { "scenarios": [ … ] } in the same ' +
      'order). Evaluators and admins may ask about any department; a department key only about its own. Nothing ' +
      'is stored: no evaluation, no audit entry.\n\n' +
      'Next year’s draft on this year’s data: a rule set (inline or stored) whose rule file continues the version the ' +
      'base was made under (`continues`: e.g. a 2022 draft on 2021 data) is a simulation, with no flag to set: the ' +
      'data is mapped onto it (same-id inputs carried over, renamed and new ones as the file declares), the result ' +
      'has `simulation` (2021年数据按2022年规则模拟, the values assumed, what was left out), every leaf that read an ' +
      'assumed value has `assumed` in the report (and the comparison), and its 评分依据 says so. A rule set of another ' +
      'year that does not continue the base’s version is refused (422), saying what to declare.',
  })
  @ApiBody({
    schema: { oneOf: [{ $ref: getSchemaPath(WhatIfScenarioDto) }, { $ref: getSchemaPath(WhatIfScenariosDto) }] },
    examples: {
      'procurement-at-plan': {
        summary: '实际采购金额 equal to the plan: 政府采购执行率 1.69 → 2.00, total 94.622 → 94.932',
        value: PROCUREMENT_AT_PLAN,
      },
      'several-scenarios': {
        summary: 'two scenarios in one request',
        value: {
          scenarios: [
            PROCUREMENT_AT_PLAN,
            {
              department: 'gz-kjj',
              year: 2021,
              changes: [{ pointer: '/inputs/budgetPreparation/preAssessment/met', value: true }],
            },
          ],
        },
      },
      'draft-rules': {
        summary: 'the seed under a stored draft version',
        value: { department: 'gz-kjj', year: 2021, ruleSet: 'guangzhou-department-overall:2021:2' },
      },
      'next-year-draft': {
        summary:
          '2021年数据按2022年规则模拟: a stored 2022 draft that continues 2021 (e.g. docs/examples/…-2022-draft.json)',
        value: { department: 'gz-kjj', year: 2021, ruleSet: 'guangzhou-department-overall:2022:1' },
      },
      'inline-rules': {
        summary: 'the seed under an inline draft rule file (a whole rule file, never stored)',
        value: { department: 'gz-kjj', year: 2021, ruleSet: { formatVersion: '1', id: '…', '…': '…' } },
      },
    },
  })
  @ApiOkResponse({
    description: 'one result for one scenario; { scenarios: [results] } for several',
    schema: { oneOf: [{ $ref: getSchemaPath(WhatIfResultDto) }, { $ref: getSchemaPath(WhatIfResultsDto) }] },
  })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'MALFORMED_JSON' })
  @ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'no key or an unknown key' })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description:
      'no such department (or, for a department key, not its own), submission revision or rule-set version ' +
      '(department keys see no drafts)',
  })
  @ApiPayloadTooLargeResponse({ type: ErrorBodyDto, description: 'RULE_SET_TOO_LARGE: an inline rule file over 1 MiB' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description:
      'VALIDATION_FAILED (a malformed body or reference, a rule set for another year that does not continue the ' +
      'base’s version), CANNOT_SIMULATE (a rule set that continues it lacks a value for a new input), INVALID_SUBMISSION (a change ' +
      'that cannot be applied, at /changes/<i>/pointer, or a changed submission the engine refuses, at its ' +
      'submission pointer, e.g. /inputs/procurementActual, naming the change), METRIC_UNDEFINED, RULE_SET_INVALID ' +
      '(an inline rule file, pointers under /ruleSet), PRECONDITION_MISSING (no submission yet, no published rule set)',
  })
  ask(
    @Body(ParseWhatIfRequestPipe) request: WhatIfRequest,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<WhatIfResultDto | WhatIfResultsDto> {
    return this.whatIf.ask(request, principal, langFromAcceptLanguage(acceptLanguage), (ruleSet) =>
      inlineRuleFileBytes(req, ruleSet),
    );
  }
}
