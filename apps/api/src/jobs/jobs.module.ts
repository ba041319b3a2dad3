import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobEntity, JobImpactRowEntity } from '@jiping/persistence';
import { ImpactModule } from '../impact/impact.module';
import { JobsController } from './jobs.controller';
import { ImpactJobRows } from './impact-job-rows';
import { JobsService } from './jobs.service';

/** Long jobs stored in the database and run by a queue (BullMQ on Redis with REDIS_URL, in-process otherwise). */
@Module({
  imports: [TypeOrmModule.forFeature([JobEntity, JobImpactRowEntity]), ImpactModule],
  controllers: [JobsController],
  providers: [JobsService, ImpactJobRows],
  exports: [JobsService],
})
export class JobsModule {}
