import { Readable } from 'node:stream';
import {
  applyDecorators,
  Body,
  Controller,
  Header,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { langFromAcceptLanguage } from '@jiping/rules';
import { Roles } from '../auth/auth.decorators';
import { ErrorBodyDto } from '../common/error-body.dto';
import { IMPACT_LINE_MODELS } from './dto/impact-lines.dto';
import { ImpactQueryDto, ImpactRequestDto } from './dto/impact-request.dto';
import { ImpactService } from './impact.service';
import { Expensive } from '../limits/expensive';

export const NDJSON = 'application/x-ndjson';

const ERRORS = {
  401: 'no API key, or an unknown one',
  403: 'a department key: only admins and evaluators run an impact analysis',
  404: 'no such rule-set version',
  422: 'VALIDATION_FAILED: a malformed reference (pointer /ref or /against), a bad body or ?rows, or a rule set for another year than `year` (the candidate may be of a later year when it continues `against`)',
} as const;

const Errors = (...statuses: Array<keyof typeof ERRORS>) =>
  applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, type: ErrorBodyDto, description: ERRORS[status] })),
  );

/** What a stream looks like: one JSON object per line (shortened: a real run has a row per department). */
const EXAMPLE = [
  { type: 'progress', done: 0, total: 1200 },
  {
    type: 'row',
    department: { code: 'impact-0003', name: '第3部门' },
    before: { total: '95.122', grade: '优' },
    after: { total: '94.622', grade: '优' },
    delta: '-0.500',
  },
  {
    type: 'row',
    department: { code: 'impact-0005', name: '第5部门' },
    before: { total: '90.122', grade: '优' },
    after: { total: '89.622', grade: '良' },
    delta: '-0.500',
  },
  { type: 'progress', done: 60, total: 1200 },
  {
    type: 'error',
    department: { code: 'impact-0007', name: '第7部门' },
    ruleSet: 'guangzhou-department-overall:2021:2',
    code: 'INVALID_SUBMISSION',
    message: 'the submission does not fit rule set guangzhou-department-overall@2021.2.0: 1 problem(s)',
    details: [{ pointer: '/inputs/fixedAssetsTotal', message: 'is missing' }],
  },
  { type: 'progress', done: 1200, total: 1200 },
  {
    type: 'summary',
    year: 2021,
    ruleSet: { ref: 'guangzhou-department-overall:2021:2', status: 'draft', checksum: 'f0c06277…' },
    against: { ref: 'guangzhou-department-overall:2021:1', status: 'published', checksum: '097ff09e…' },
    departments: 1199,
    failed: 1,
    changed: 306,
    raised: 0,
    lowered: 306,
    delta: {
      mean: '-0.1276',
      median: '0.000',
      min: { delta: '-0.500', department: { code: 'impact-0003', name: '第3部门' } },
      max: { delta: '0.000', department: { code: 'impact-0001', name: '第1部门' } },
    },
    grades: { before: ['优', '良', '中', '差'], after: ['优', '良', '中', '差'] },
    transitions: {
      优: { 优: 1003, 良: 61, 中: 0, 差: 0 },
      良: { 优: 0, 良: 135, 中: 0, 差: 0 },
      中: { 优: 0, 良: 0, 中: 0, 差: 0 },
      差: { 优: 0, 良: 0, 中: 0, 差: 0 },
    },
    gradeChanges: { changed: 61, up: 0, down: 61 },
    movers: [
      {
        department: { code: 'impact-0003', name: '第3部门' },
        before: { total: '95.122', grade: '优' },
        after: { total: '94.622', grade: '优' },
        delta: '-0.500',
      },
    ],
    indicators: [
      {
        code: 'fixed-asset-utilization',
        name: '固定资产利用率',
        meanDelta: '-0.1276',
        totalDelta: '-153.00',
        moved: 306,
        raised: 0,
        lowered: 306,
      },
    ],
  },
]
  .map((value) => JSON.stringify(value))
  .join('\n');

@ApiTags('rule-sets')
@ApiBearerAuth()
@ApiExtraModels(...IMPACT_LINE_MODELS)
@Controller('rule-sets')
export class ImpactController {
  constructor(private readonly impact: ImpactService) {}

  @Post(':ref/impact')
  @Expensive()
  @HttpCode(200)
  @Roles('admin', 'evaluator')
  @Header('Cache-Control', 'no-store')
  @ApiParam({
    name: 'ref',
    example: 'guangzhou-department-overall:2021:2',
    description:
      'the candidate version, "after" (a draft is fine): <rule-set id>:<fiscal year>:<version no | published>',
  })
  @ApiOperation({
    summary: 'Rule-change impact: re-score every department under two rule-set versions',
    description:
      "Re-scores every department's latest submission for `year` (with the targets it declared) under `against` " +
      '(before) and the version in the path (after, e.g. a draft), on worker threads, and streams the result as ' +
      'application/x-ndjson — one JSON object per line, told apart by `type`:\n\n' +
      '- `progress` `{ done, total }`: first with done 0, then every 5 % of the departments (at most every 500), ' +
      'and once more at the end;\n' +
      '- `row` `{ department, before: { total, grade }, after: { total, grade }, delta }` per department (omitted ' +
      'with `?rows=false`), in the order the workers finish them;\n' +
      '- `error` `{ department, ruleSet, code, message, details }` per department a rule set could not score (it ' +
      'is counted in `failed`, nowhere else);\n' +
      '- `summary`, last: departments, failed, changed/raised/lowered, the mean, median and extreme deltas, the ' +
      'grade transition matrix (before → after; its cells sum to `departments`), the 10 biggest movers, and per ' +
      'indicator (leaves, and the declared-target section as a whole) the mean delta over every department and ' +
      'how many departments it moved.\n\n' +
      'A candidate whose rule file continues `against`’s version (`continues`, e.g. a 2022 draft on 2021 data) is a ' +
      'simulation: each submission is mapped onto it (inputs carried over, renamed or assumed as the file declares), ' +
      'the rows carry `assumed` (the keys of the assumed values used) and the summary `simulation` (what was ' +
      'simulated, in the caller’s language), `assumptions` (each declared assumption and how many departments used ' +
      'it) and `departmentsWithAssumptions`.\n\n' +
      'Refusals (404, 422, 403) come as ordinary error bodies before the stream starts. A stream that ends with an ' +
      '`error` line without a department and no `summary` failed midway. Nothing is stored.',
  })
  @ApiProduces(NDJSON)
  @ApiOkResponse({
    description: 'NDJSON: progress, row and error lines, then the summary line',
    content: {
      [NDJSON]: {
        schema: { oneOf: IMPACT_LINE_MODELS.map((model) => ({ $ref: getSchemaPath(model) })) },
        example: EXAMPLE,
      },
    },
  })
  @Errors(401, 403, 404, 422)
  async run(
    @Param('ref') ref: string,
    @Body() body: ImpactRequestDto,
    @Query() query: ImpactQueryDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<StreamableFile> {
    const lines = await this.impact.start(ref, body, {
      rows: query.rows ?? true,
      lang: langFromAcceptLanguage(acceptLanguage),
    });
    const stream = Readable.from(lines);
    // A client that goes away stops the run: the workers' chunks in flight are dropped, no further page is read.
    response.on('close', () => stream.destroy());
    return new StreamableFile(stream, { type: `${NDJSON}; charset=utf-8` });
  }
}
