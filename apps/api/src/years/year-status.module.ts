import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DepartmentYearEntity } from '@jiping/persistence';
import { YearStatusService } from './year-status.service';

/**
 * The status of each department's year and the one place it changes. Depends on nothing but its table and the
 * (global) audit log, so targets, submissions and evaluations can all check and move it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([DepartmentYearEntity])],
  providers: [YearStatusService],
  exports: [YearStatusService],
})
export class YearStatusModule {}
