import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DepartmentEntity, SubmissionEntity, TargetDeclarationEntity } from '@jiping/persistence';
import { RuleSetsModule } from '../rule-sets/rule-sets.module';
import { ImpactController } from './impact.controller';
import { ImpactService } from './impact.service';

/** Rule-change impact across every department (POST /rule-sets/:ref/impact), scored on worker threads. */
@Module({
  imports: [TypeOrmModule.forFeature([SubmissionEntity, TargetDeclarationEntity, DepartmentEntity]), RuleSetsModule],
  controllers: [ImpactController],
  providers: [ImpactService],
  exports: [ImpactService],
})
export class ImpactModule {}
