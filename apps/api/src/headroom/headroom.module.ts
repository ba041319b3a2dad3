import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EvaluationEntity } from '@jiping/persistence';
import { DepartmentsModule } from '../departments/departments.module';
import { RuleSetsModule } from '../rule-sets/rule-sets.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { HeadroomController } from './headroom.controller';
import { HeadroomService } from './headroom.service';

/** Headroom (提分空间) of official evaluations: read-only, computed by the engine. */
@Module({
  imports: [TypeOrmModule.forFeature([EvaluationEntity]), RuleSetsModule, DepartmentsModule, SubmissionsModule],
  controllers: [HeadroomController],
  providers: [HeadroomService],
})
export class HeadroomModule {}
