import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EvaluationEntity, RuleSetEntity } from '@jiping/persistence';
import { DepartmentsModule } from '../departments/departments.module';
import { RuleSetsModule } from '../rule-sets/rule-sets.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { YearStatusModule } from '../years/year-status.module';
import { AdjustmentsController } from './adjustments.controller';
import { AdjustmentsService } from './adjustments.service';
import { EvaluationsController } from './evaluations.controller';
import { EvaluationsService } from './evaluations.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([EvaluationEntity, RuleSetEntity]),
    RuleSetsModule,
    DepartmentsModule,
    SubmissionsModule,
    YearStatusModule,
  ],
  controllers: [EvaluationsController, AdjustmentsController],
  providers: [EvaluationsService, AdjustmentsService],
  exports: [EvaluationsService],
})
export class EvaluationsModule {}
