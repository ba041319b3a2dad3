import { applyDecorators, Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Lang } from '@jiping/rules';
import guangzhou2021 from '../../../../rules/guangzhou/department-overall/2021.json';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ErrorBodyDto } from '../common/error-body.dto';
import { renderProblems } from '../common/render-problems';
import { RequestLang } from '../common/request-lang';
import { ListRuleSetsQueryDto } from './dto/list-rule-sets-query.dto';
import { RuleSetDiffDto, RuleSetDiffQueryDto } from './dto/rule-set-diff.dto';
import { RuleSetAcceptedDto, RuleSetDto, RuleSetWithContentDto } from './dto/rule-set.dto';
import { RuleSetsService } from './rule-sets.service';
import { Expensive } from '../limits/expensive';

const ERRORS = {
  401: 'no API key, or an unknown one',
  403: 'only admin keys manage rule sets',
  404: 'no such version (a department key sees no drafts)',
  409: 'the version is published or superseded: published rule sets are immutable; upload a new version',
  413: 'RULE_SET_TOO_LARGE: the rule file is over 1 MiB of JSON text',
  422: 'RULE_SET_INVALID with every problem of the file and its JSON pointer, or VALIDATION_FAILED naming the bad reference or query parameter',
} as const;

/** The error responses of a route, all with the one error body. */
const Errors = (...statuses: Array<keyof typeof ERRORS>) =>
  applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, type: ErrorBodyDto, description: ERRORS[status] })),
  );

const RefParam = () =>
  ApiParam({
    name: 'ref',
    example: 'guangzhou-department-overall:2021:1',
    description:
      '<rule-set id>:<fiscal year>:<version no>, or <rule-set id>:<fiscal year>:published for the version in force',
  });

const RuleFileBody = () =>
  ApiBody({
    schema: { type: 'object', description: 'a rule file (rules/schema.json)' },
    examples: {
      'guangzhou-2021': {
        summary: '广州市部门整体支出绩效自评 2021 (rules/guangzhou/department-overall/2021.json)',
        value: guangzhou2021,
      },
    },
  });

@ApiTags('rule-sets')
@ApiBearerAuth()
@Controller('rule-sets')
export class RuleSetsController {
  constructor(private readonly ruleSets: RuleSetsService) {}

  @Post()
  @Expensive()
  @Roles('admin')
  @ApiOperation({
    summary: 'Upload a rule file as a new draft version',
    description:
      'Checks the file fully (schema, meaning, embedded test cases) and stores it as the next version number of its ' +
      '(id, fiscalYear), as a draft. Nothing is stored when any problem is found.',
  })
  @RuleFileBody()
  @ApiCreatedResponse({ type: RuleSetAcceptedDto })
  @Errors(401, 403, 413, 422)
  async upload(
    @Body() file: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
    @RequestLang() lang: Lang,
  ): Promise<RuleSetAcceptedDto> {
    const { row, warnings } = await this.ruleSets.upload(file, principal);
    return { ...row, warnings: renderProblems(warnings, lang) };
  }

  @Get()
  @ApiOperation({
    summary: 'List stored versions',
    description: 'Ordered by rule-set id, fiscal year and version number. Department keys see no drafts.',
  })
  @ApiOkResponse({ type: [RuleSetDto] })
  @Errors(401, 422)
  list(@Query() query: ListRuleSetsQueryDto, @CurrentPrincipal() principal: Principal): Promise<RuleSetDto[]> {
    return this.ruleSets.list(query, principal);
  }

  @Get(':ref')
  @RefParam()
  @ApiOperation({ summary: 'One version with its rule file' })
  @ApiOkResponse({ type: RuleSetWithContentDto })
  @Errors(401, 404, 422)
  get(@Param('ref') ref: string, @CurrentPrincipal() principal: Principal): Promise<RuleSetWithContentDto> {
    return this.ruleSets.get(ref, principal);
  }

  @Put(':ref')
  @Expensive()
  @Roles('admin')
  @RefParam()
  @ApiOperation({
    summary: "Replace a draft's rule file",
    description:
      'Checked like an upload; the id and fiscalYear must stay the same. The version number stays; checksum, title ' +
      'and file version follow the new file. Published and superseded versions are immutable (409).',
  })
  @RuleFileBody()
  @ApiOkResponse({ type: RuleSetAcceptedDto })
  @Errors(401, 403, 404, 409, 413, 422)
  async replace(
    @Param('ref') ref: string,
    @Body() file: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
    @RequestLang() lang: Lang,
  ): Promise<RuleSetAcceptedDto> {
    const { row, warnings } = await this.ruleSets.replace(ref, file, principal);
    return { ...row, warnings: renderProblems(warnings, lang) };
  }

  @Post(':ref/publish')
  @HttpCode(200)
  @Roles('admin')
  @RefParam()
  @ApiOperation({
    summary: 'Publish a draft',
    description:
      'In one transaction: the draft becomes published and the version published before for the same (id, fiscal ' +
      'year), if any, becomes superseded (still readable).',
  })
  @ApiOkResponse({ type: RuleSetDto })
  @Errors(401, 403, 404, 409, 422)
  publish(@Param('ref') ref: string, @CurrentPrincipal() principal: Principal): Promise<RuleSetDto> {
    return this.ruleSets.publish(ref, principal);
  }

  @Delete(':ref')
  @HttpCode(204)
  @Roles('admin')
  @RefParam()
  @ApiOperation({ summary: 'Delete a draft', description: 'Published and superseded versions are kept (409).' })
  @ApiNoContentResponse({ description: 'deleted' })
  @Errors(401, 403, 404, 409, 422)
  remove(@Param('ref') ref: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    return this.ruleSets.remove(ref, principal);
  }

  @Get(':ref/diff')
  @RefParam()
  @ApiOperation({
    summary: 'What changed from another version to this one',
    description:
      'The semantic difference (indicators, weights, methods, bands, inputs, grades…) from `against` to `ref`.',
  })
  @ApiOkResponse({ type: RuleSetDiffDto })
  @Errors(401, 404, 422)
  diff(
    @Param('ref') ref: string,
    @Query() query: RuleSetDiffQueryDto,
    @CurrentPrincipal() principal: Principal,
    @RequestLang() lang: Lang,
  ): Promise<RuleSetDiffDto> {
    return this.ruleSets.diff(ref, query.against, principal, lang);
  }
}
