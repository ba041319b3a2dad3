import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  ApiKeyEntity,
  DepartmentEntity,
  EvaluationEntity,
  RuleSetEntity,
  SubmissionEntity,
  TargetDeclarationEntity,
  UserEntity,
} from '@jiping/persistence';
import { UsersModule } from '../users/users.module';
import { DepartmentsModule } from '../departments/departments.module';
import { EvaluationsModule } from '../evaluations/evaluations.module';
import { RuleSetsModule } from '../rule-sets/rule-sets.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { YearStatusModule } from '../years/year-status.module';
import { YearsModule } from '../years/years.module';
import { BootstrapService } from './bootstrap.service';

/** The bootstrap admin key and the demo: writes go through the feature services; the rows are read to skip done steps. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      ApiKeyEntity,
      RuleSetEntity,
      DepartmentEntity,
      TargetDeclarationEntity,
      SubmissionEntity,
      EvaluationEntity,
      UserEntity,
    ]),
    UsersModule,
    RuleSetsModule,
    DepartmentsModule,
    SubmissionsModule,
    EvaluationsModule,
    YearsModule,
    YearStatusModule,
  ],
  providers: [BootstrapService],
})
export class BootstrapModule {}
