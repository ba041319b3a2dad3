import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  DepartmentEntity,
  DepartmentYearEntity,
  JobEntity,
  JobImpactRowEntity,
  JobItemEntity,
  RuleSetEntity,
  SubmissionEntity,
} from '@jiping/persistence';
import { DepartmentsModule } from '../departments/departments.module';
import { EvaluationsModule } from '../evaluations/evaluations.module';
import { ImpactModule } from '../impact/impact.module';
import { RuleSetsModule } from '../rule-sets/rule-sets.module';
import { DepartmentImportJobService } from './department-import-job.service';
import { ImpactJobRows } from './impact-job-rows';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { RescoreJobService } from './rescore-job.service';

/**
 * Long jobs stored in the database and run by a queue (BullMQ on Redis with REDIS_URL, in-process otherwise): a
 * rule-change impact, a year re-scored after a rule fix, a department list imported.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      JobEntity,
      JobImpactRowEntity,
      JobItemEntity,
      DepartmentEntity,
      DepartmentYearEntity,
      RuleSetEntity,
      SubmissionEntity,
    ]),
    ImpactModule,
    EvaluationsModule,
    DepartmentsModule,
    RuleSetsModule,
  ],
  controllers: [JobsController],
  providers: [JobsService, ImpactJobRows, RescoreJobService, DepartmentImportJobService],
  exports: [JobsService],
})
export class JobsModule {}
