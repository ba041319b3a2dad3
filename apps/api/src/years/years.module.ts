import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  DepartmentEntity,
  DepartmentYearEntity,
  SubmissionEntity,
  TargetDeclarationEntity,
  YearDeadlinesEntity,
} from '@jiping/persistence';
import { DepartmentsModule } from '../departments/departments.module';
import { RuleSetsModule } from '../rule-sets/rule-sets.module';
import { DepartmentWorkbookService } from './department-workbook.service';
import { DepartmentYearsController } from './department-years.controller';
import { DepartmentYearsService } from './department-years.service';
import { YearDeadlinesController } from './year-deadlines.controller';
import { YearDeadlinesService } from './year-deadlines.service';
import { YearOverviewController } from './year-overview.controller';
import { YearOverviewService } from './year-overview.service';
import { YearStatusModule } from './year-status.module';

/** The bureau's year as a workflow: each department's year (status, submit, return, review, finalise, reopen) deadlines, and the bureau-wide overview (汇总). */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      DepartmentEntity,
      DepartmentYearEntity,
      SubmissionEntity,
      TargetDeclarationEntity,
      YearDeadlinesEntity,
    ]),
    DepartmentsModule,
    RuleSetsModule,
    YearStatusModule,
  ],
  controllers: [DepartmentYearsController, YearDeadlinesController, YearOverviewController],
  providers: [DepartmentYearsService, DepartmentWorkbookService, YearDeadlinesService, YearOverviewService],
  exports: [DepartmentYearsService],
})
export class YearsModule {}
