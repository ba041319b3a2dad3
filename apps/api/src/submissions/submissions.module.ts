import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RuleSetEntity, SubmissionEntity } from '@jiping/persistence';
import { DepartmentsModule } from '../departments/departments.module';
import { RuleSetsModule } from '../rule-sets/rule-sets.module';
import { YearStatusModule } from '../years/year-status.module';
import { SubmissionsController } from './submissions.controller';
import { SubmissionsService } from './submissions.service';

/** Year-end data: append-only revisions per department and fiscal year. */
@Module({
  imports: [
    TypeOrmModule.forFeature([SubmissionEntity, RuleSetEntity]),
    RuleSetsModule,
    DepartmentsModule,
    YearStatusModule,
  ],
  controllers: [SubmissionsController],
  providers: [SubmissionsService],
  exports: [SubmissionsService],
})
export class SubmissionsModule {}
