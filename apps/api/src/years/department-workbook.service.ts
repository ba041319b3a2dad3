import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SubmissionEntity } from '@jiping/persistence';
import { buildSubmissionTemplate, type DepartmentWorkbookOptions } from '@jiping/reports';
import { localized } from '@jiping/rules';
import { Repository } from 'typeorm';
import type { Principal } from '../auth/principal';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { DepartmentsService } from '../departments/departments.service';
import { declaredSections, TargetsService } from '../departments/targets.service';
import { type ExportedFile, XLSX_TYPE } from '../common/download';
import { RuleSetLoader } from '../rule-sets/rule-set-loader';
import type { SubmissionBody } from '../submissions/engine-submission';

/**
 * A department's own workbook for a year (GET /departments/{code}/years/{year}/template.xlsx): the published rule
 * set's template with the department's declaration in force (批复, else the latest awaiting approval) listed on its
 * 履职效能 sheets — locked, only the results editable — and every cell filled from the latest year-end data revision.
 * Uploading it to POST …/submissions keeps a new revision; changed target cells are refused there.
 */
@Injectable()
export class DepartmentWorkbookService {
  constructor(
    private readonly departments: DepartmentsService,
    private readonly targets: TargetsService,
    private readonly loader: RuleSetLoader,
    @InjectRepository(SubmissionEntity) private readonly submissions: Repository<SubmissionEntity>,
  ) {}

  async workbook(code: string, fiscalYear: number, principal: Principal, ruleSetId?: string): Promise<ExportedFile> {
    const department = await this.departments.findVisible(code, principal);
    const ruleSet = this.loader.toRuleSet(await this.loader.findPublishedForYear(fiscalYear, ruleSetId));
    const declaration = await this.targets.inForce(code, fiscalYear);
    if (!declaration && declaredSections(ruleSet).length > 0) {
      throw new ApiError(
        ApiErrorCode.PRECONDITION_MISSING,
        localized(
          `${department.name}${fiscalYear}年度尚未申报绩效目标：请先申报（PUT /departments/${code}/years/${fiscalYear}/targets），填报表按申报的目标生成`,
          `no targets are declared for ${code} ${fiscalYear}: declare them first ` +
            `(PUT /departments/${code}/years/${fiscalYear}/targets); the workbook lists the declared targets`,
        ),
      );
    }
    const latest = await this.submissions.findOne({
      select: ['revision', 'content'],
      where: { departmentCode: code, fiscalYear },
      order: { revision: 'DESC' },
    });
    const options: DepartmentWorkbookOptions = {
      department: { code, name: department.name },
      fiscalYear,
      targets: declaration?.targets ?? {},
      targetRevision: declaration?.revision ?? 0,
      approved: declaration?.approved ?? false,
    };
    if (latest) {
      const { unitCount, ...body } = JSON.parse(latest.content) as SubmissionBody;
      options.latest = { revision: latest.revision, data: { ...body, department: { unitCount } } };
    }
    return {
      body: await buildSubmissionTemplate(ruleSet, options),
      type: XLSX_TYPE,
      filename: `${code}-${fiscalYear}-填报表.xlsx`,
      asciiFilename: `${code}-${fiscalYear}-tianbaobiao.xlsx`,
    };
  }
}
