import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DepartmentEntity, RuleSetEntity, TargetDeclarationEntity } from '@jiping/persistence';
import { RuleSetsModule } from '../rule-sets/rule-sets.module';
import { YearStatusModule } from '../years/year-status.module';
import { DepartmentsController } from './departments.controller';
import { DepartmentsService } from './departments.service';
import { TargetsController } from './targets.controller';
import { TargetsService } from './targets.service';
import { TargetsWorkbookService } from './targets-workbook.service';

/** Departments and their declared targets (绩效目标申报). */
@Module({
  imports: [
    TypeOrmModule.forFeature([DepartmentEntity, TargetDeclarationEntity, RuleSetEntity]),
    RuleSetsModule,
    YearStatusModule,
  ],
  controllers: [DepartmentsController, TargetsController],
  providers: [DepartmentsService, TargetsService, TargetsWorkbookService],
  exports: [DepartmentsService, TargetsService],
})
export class DepartmentsModule {}
