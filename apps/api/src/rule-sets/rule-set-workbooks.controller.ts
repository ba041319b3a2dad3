import { applyDecorators, Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  buildSubmissionTemplate,
  renderEditableRuleWorkbook,
  renderRuleSetDiffWorkbook,
  renderRuleSetWorkbook,
} from '@jiping/reports';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { attachment } from '../common/content-disposition';
import { ErrorBodyDto } from '../common/error-body.dto';
import { RuleSetDiffQueryDto } from './dto/rule-set-diff.dto';
import { RuleSetLoader } from './rule-set-loader';
import { formatRuleSetRef } from './rule-set-ref';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const RefParam = () =>
  ApiParam({
    name: 'ref',
    example: 'guangzhou-department-overall:2021:1',
    description: '<rule-set id>:<fiscal year>:<version no>, or <rule-set id>:<fiscal year>:published',
  });
const Xlsx = (description: string) =>
  ApiResponse({ status: 200, description, content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } });
const Errors = () =>
  applyDecorators(
    ApiResponse({ status: 401, type: ErrorBodyDto, description: 'no API key, or an unknown one' }),
    ApiResponse({ status: 404, type: ErrorBodyDto, description: 'no such version (a department key sees no drafts)' }),
    ApiResponse({ status: 422, type: ErrorBodyDto, description: 'VALIDATION_FAILED naming the bad reference' }),
  );

/** A workbook download with its file name (RFC 6266: UTF-8 so Chinese survives, and a readable ASCII fallback). */
const download = (buffer: Buffer, name: string, asciiName?: string): StreamableFile =>
  new StreamableFile(buffer, { type: XLSX, disposition: attachment(name, asciiName), length: buffer.length });

/** Rule sets as workbooks: the department template, the indicator system for review, and a diff of two versions. */
@ApiTags('rule-sets')
@ApiBearerAuth()
@ApiProduces(XLSX)
@Controller('rule-sets')
export class RuleSetWorkbooksController {
  constructor(private readonly loader: RuleSetLoader) {}

  @Get(':ref/template.xlsx')
  @RefParam()
  @ApiOperation({
    summary: 'The department template of a version (.xlsx)',
    description:
      'One row per declared input and checklist point with label, unit and explanation, data validation, protected ' +
      'labels, a sheet for the declared targets. Fill it and POST it to /departments/{code}/years/{year}/submissions.',
  })
  @Xlsx('the template')
  @Errors()
  async template(@Param('ref') ref: string, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    const { ruleSet, name } = await this.load(ref, principal, '/ref');
    return download(await buildSubmissionTemplate(ruleSet), `${name}-填报模板.xlsx`, `${name}-tianbao-moban.xlsx`);
  }

  @Get(':ref/export.xlsx')
  @RefParam()
  @ApiOperation({
    summary: 'The indicator system of a version for review (.xlsx)',
    description: 'Levels, weights, 指标解释 and the scoring standard in words generated from the rules.',
  })
  @Xlsx('the indicator system')
  @Errors()
  async export(@Param('ref') ref: string, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    const { ruleSet, name } = await this.load(ref, principal, '/ref');
    return download(await renderRuleSetWorkbook(ruleSet), `${name}-指标体系.xlsx`, `${name}-zhibiao-tixi.xlsx`);
  }

  @Get(':ref/workbook.xlsx')
  @RefParam()
  @ApiOperation({
    summary: 'The indicator system of a version as an EDITABLE workbook (.xlsx)',
    description:
      'For a bureau to edit in Excel or WPS and import back as a new draft (POST /rule-sets/{ref}/workbook-import): ' +
      '基本信息, 等次, 指标体系 (levels, names, 分值, 指标解释), 计分参数, 分档 (one threshold and score per band), ' +
      '核查要点, 加减分事项, 评议档次, 填报项. Value cells unlocked and shaded, labels locked, printable; 说明 lists what the ' +
      'workbook cannot change (carried unchanged on import). A very hidden sheet maps the rows to the rule file.',
  })
  @Xlsx('the editable workbook')
  @Errors()
  async editable(@Param('ref') ref: string, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    const { ruleSet, name } = await this.load(ref, principal, '/ref');
    return download(
      await renderEditableRuleWorkbook(ruleSet),
      `${name}-指标体系-可编辑.xlsx`,
      `${name}-zhibiao-tixi-editable.xlsx`,
    );
  }

  @Get(':ref/diff.xlsx')
  @RefParam()
  @ApiOperation({
    summary: 'Two versions side by side with the changed cells highlighted (.xlsx)',
    description:
      'Sheet 变更 lists every change from `against` to `ref`; 新版 fills changed cells yellow, added rows green.',
  })
  @Xlsx('the diff workbook')
  @Errors()
  async diff(
    @Param('ref') ref: string,
    @Query() query: RuleSetDiffQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    const to = await this.load(ref, principal, '/ref');
    const from = await this.load(query.against, principal, '/against');
    return download(await renderRuleSetDiffWorkbook(from.ruleSet, to.ruleSet), `${from.name}-to-${to.name}.xlsx`);
  }

  private async load(ref: string, principal: Principal, pointer: string) {
    const row = await this.loader.findByRef(ref, { includeDrafts: principal.role !== 'department', pointer });
    return { ruleSet: this.loader.toRuleSet(row), name: formatRuleSetRef(row).replace(/:/g, '-') };
  }
}
