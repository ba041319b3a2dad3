import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import {
  cellOfPointer,
  compareDeclaredTargets,
  DEFAULT_WORKBOOK_LIMITS,
  importSubmissionWorkbook,
} from '@jiping/reports';
import { localized } from '@jiping/rules';
import { ScoringError } from '@jiping/scoring';
import type { Request } from 'express';
import { catchError, type Observable } from 'rxjs';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { DepartmentsService } from '../departments/departments.service';
import { TargetsService } from '../departments/targets.service';
import { RuleSetLoader } from '../rule-sets/rule-set-loader';

/** multer options of the workbook upload: one file in field `file`, at most 5 MB, kept in memory. */
export const WORKBOOK_UPLOAD = {
  limits: { fileSize: DEFAULT_WORKBOOK_LIMITS.maxBytes, files: 1, fields: 5, fieldSize: 1024, parts: 6 },
};

/**
 * The multipart path of POST …/submissions: after FileInterceptor, reads the uploaded template (field `file`) with
 * the published rule set of the year into the same JSON body a JSON request carries, so the validation pipe and
 * SubmissionsService.create run unchanged. A workbook problem is a 422 VALIDATION_FAILED naming its cell
 * (path 年终数据!C12) and pointer; the engine's problems of an imported body get their cell as path too. The
 * targets are not taken from the workbook: the department's declaration in force (批复) is scored, as for JSON, and a
 * workbook whose 履职效能 rows differ from it is refused (422) naming each differing cell. A JSON request passes
 * through untouched.
 */
@Injectable()
export class SubmissionWorkbookInterceptor implements NestInterceptor {
  constructor(
    private readonly loader: RuleSetLoader,
    private readonly departments: DepartmentsService,
    private readonly targets: TargetsService,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request & { principal: Principal; file?: { buffer: Buffer } }>();
    if (!request.is('multipart/form-data')) return next.handle();
    if (!request.file) {
      throw new ApiError(
        ApiErrorCode.VALIDATION_FAILED,
        localized('请在表单字段 "file" 中上传填好的模板', 'upload the filled template in the multipart field "file"'),
        [
          {
            pointer: '/file',
            message: localized(
              '缺少工作簿：请上传填好的模板（GET /rule-sets/{ref}/template.xlsx 下载）',
              'missing: the workbook (GET /rule-sets/{ref}/template.xlsx, filled)',
            ),
          },
        ],
      );
    }
    const { code, year } = request.params as Record<string, string>;
    await this.departments.findVisible(code, request.principal);
    const fields = (request.body ?? {}) as { ruleSetId?: unknown };
    const ruleSetId = typeof fields.ruleSetId === 'string' && fields.ruleSetId !== '' ? fields.ruleSetId : undefined;
    const row = await this.loader.findPublishedForYear(Number(year), ruleSetId);
    const ruleSet = this.loader.toRuleSet(row);
    const imported = await importSubmissionWorkbook(ruleSet, request.file.buffer);
    if (!imported.body) {
      throw new ApiError(
        ApiErrorCode.VALIDATION_FAILED,
        localized(
          `工作簿无法作为填报数据读取：${imported.problems.length} 处问题，未保存`,
          `the workbook cannot be read as a submission: ${imported.problems.length} problem(s); nothing was stored`,
        ),
        imported.problems,
      );
    }
    const { targets: inWorkbook, ...body } = imported.body;
    const declaration = inWorkbook ? await this.targets.inForce(code, Number(year)) : null;
    const changed = declaration ? compareDeclaredTargets(ruleSet, inWorkbook, imported.cells, declaration) : [];
    if (changed.length > 0) {
      throw new ApiError(
        ApiErrorCode.VALIDATION_FAILED,
        localized(
          `工作簿中的绩效目标与批复的不一致：${changed.length} 处，未保存（目标只能通过绩效目标申报修改）`,
          `the workbook's targets differ from the declared ones in ${changed.length} place(s); nothing was stored ` +
            '(targets change only through a new declaration)',
        ),
        changed,
      );
    }
    request.body = { ...(ruleSetId ? { ruleSetId } : {}), ...body };
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof ScoringError)) throw error;
        throw new ScoringError(
          error.code,
          error.text,
          error.problems.map((problem) => {
            const cell = cellOfPointer(imported.cells, problem.pointer);
            return cell ? { ...problem, path: cell } : problem;
          }),
        );
      }),
    );
  }
}
