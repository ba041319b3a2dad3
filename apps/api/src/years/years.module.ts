import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SubmissionEntity, TargetDeclarationEntity, YearDeadlinesEntity } from '@jiping/persistence';
import { DepartmentsModule } from '../departments/departments.module';
import { RuleSetsModule } from '../rule-sets/rule-sets.module';
import { DepartmentYearsController } from './department-years.controller';
import { DepartmentYearsService } from './department-years.service';
import { YearDeadlinesController } from './year-deadlines.controller';
import { YearDeadlinesService } from './year-deadlines.service';
import { YearStatusModule } from './year-status.module';

/** The bureau's year as a workflow: each department's year (status, submit, return, review, finalise, reopen) and deadlines. */
@Module({
  imports: [
    TypeOrmModule.forFeature([SubmissionEntity, TargetDeclarationEntity, YearDeadlinesEntity]),
    DepartmentsModule,
    RuleSetsModule,
    YearStatusModule,
  ],
  controllers: [DepartmentYearsController, YearDeadlinesController],
  providers: [DepartmentYearsService, YearDeadlinesService],
  exports: [DepartmentYearsService],
})
export class YearsModule {}
