import { Module } from '@nestjs/common';
import { EvaluationsModule } from '../evaluations/evaluations.module';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** Spreadsheet exports of stored evaluations (the 自评表 as .xlsx and .csv). */
@Module({
  imports: [EvaluationsModule],
  controllers: [ReportsController],
  providers: [ReportsService],
})
export class ReportsModule {}
