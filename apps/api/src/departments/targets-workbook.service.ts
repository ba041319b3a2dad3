import { Injectable } from '@nestjs/common';
import { buildTargetsWorkbook, cellOfPointer, importTargetsWorkbook, type WorkbookProblem } from '@jiping/reports';
import { type Lang, localized } from '@jiping/rules';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode, type ErrorDetail } from '../common/api-error';
import { renderProblems } from '../common/render-problems';
import { type ExportedFile, XLSX_TYPE } from '../common/download';
import { RuleSetLoader } from '../rule-sets/rule-set-loader';
import { formatRuleSetRef } from '../rule-sets/rule-set-ref';
import { DepartmentsService } from './departments.service';
import type { DeclaredTargets, TargetDeclarationDto, TargetsWorkbookPreviewDto } from './dto/declare-targets.dto';
import { checkDeclaredTargets, declaredSections, TargetsService } from './targets.service';

/**
 * Targets declared from a workbook (绩效目标申报表): its download, prefilled with the latest declaration, and its
 * import — read with every unreadable cell named, then checked against the rule set as a JSON declaration is (each
 * problem with its cell), previewed with ?dryRun=true or kept as a new revision through TargetsService.declare, which
 * then awaits approval (批复) like any declaration.
 */
@Injectable()
export class TargetsWorkbookService {
  constructor(
    private readonly targets: TargetsService,
    private readonly departments: DepartmentsService,
    private readonly loader: RuleSetLoader,
  ) {}

  async template(code: string, fiscalYear: number, principal: Principal, ruleSetId?: string): Promise<ExportedFile> {
    const department = await this.departments.findVisible(code, principal);
    const ruleSet = this.loader.toRuleSet(await this.loader.findPublishedForYear(fiscalYear, ruleSetId));
    this.assertDeclares(ruleSet.id, declaredSections(ruleSet).length);
    const latest = await this.targets.latest(code, fiscalYear);
    const binding = latest ? await this.targets.inForce(code, fiscalYear) : null;
    return {
      body: await buildTargetsWorkbook(ruleSet, {
        department: { code, name: department.name },
        fiscalYear,
        ...(latest
          ? {
              latest: {
                revision: latest.revision,
                approved: binding?.approved === true && binding.revision === latest.revision,
                targets: JSON.parse(latest.content) as DeclaredTargets,
              },
            }
          : {}),
      }),
      type: XLSX_TYPE,
      filename: `${code}-${fiscalYear}-绩效目标申报表.xlsx`,
      asciiFilename: `${code}-${fiscalYear}-mubiao-shenbao.xlsx`,
    };
  }

  /** Reads and checks the workbook; with dryRun says what it would declare, else declares it (a new revision). */
  async import(
    code: string,
    fiscalYear: number,
    buffer: Buffer,
    options: { dryRun: boolean; ruleSetId?: string },
    principal: Principal,
    lang: Lang,
  ): Promise<TargetsWorkbookPreviewDto | TargetDeclarationDto> {
    const department = await this.departments.findVisible(code, principal);
    this.departments.assertActive(department);
    const row = await this.loader.findPublishedForYear(fiscalYear, options.ruleSetId);
    const ruleSet = this.loader.toRuleSet(row);
    this.assertDeclares(ruleSet.id, declaredSections(ruleSet).length);
    const imported = await importTargetsWorkbook(ruleSet, buffer);
    const problems: WorkbookProblem[] = imported.targets
      ? checkDeclaredTargets(ruleSet, imported.targets).map((problem) => {
          const path = cellOfPointer(imported.cells, problem.pointer);
          return path ? { ...problem, path } : problem;
        })
      : imported.problems;
    if (options.dryRun) {
      return {
        valid: problems.length === 0,
        ruleSet: formatRuleSetRef(row),
        targets: problems.length === 0 ? (imported.targets ?? null) : null,
        summary: imported.targets ? summarise(imported.targets) : [],
        problems: renderProblems(problems, lang),
      };
    }
    if (problems.length > 0) {
      throw new ApiError(
        ApiErrorCode.VALIDATION_FAILED,
        localized(
          `绩效目标申报表有 ${problems.length} 处问题，未保存`,
          `the target declaration workbook has ${problems.length} problem(s); nothing was stored`,
        ),
        problems as ErrorDetail[],
      );
    }
    return this.targets.declare(
      code,
      fiscalYear,
      { targets: imported.targets!, ...(options.ruleSetId ? { ruleSetId: options.ruleSetId } : {}) },
      principal,
    );
  }

  private assertDeclares(ruleSetId: string, sections: number): void {
    if (sections > 0) return;
    throw new ApiError(
      ApiErrorCode.PRECONDITION_MISSING,
      localized(
        `规则集 ${ruleSetId} 没有需要申报目标的指标，无需绩效目标申报表`,
        `rule set ${ruleSetId} has no declared-target sections: there is nothing to declare`,
      ),
    );
  }
}

/** Per section: goals, indicators and the sum of their weights (what a clerk checks before sending). */
function summarise(targets: DeclaredTargets): TargetsWorkbookPreviewDto['summary'] {
  return Object.entries(targets).map(([section, list]) => {
    const goals = list.filter((item): item is Extract<typeof item, { indicators: unknown }> => 'indicators' in item);
    const indicators = goals.length > 0 ? goals.flatMap((g) => g.indicators) : list;
    return { section, goals: goals.length, indicators: indicators.length };
  });
}
