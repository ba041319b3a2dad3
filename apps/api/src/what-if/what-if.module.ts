import { Module } from '@nestjs/common';
import { DepartmentsModule } from '../departments/departments.module';
import { RuleSetsModule } from '../rule-sets/rule-sets.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { WhatIfController } from './what-if.controller';
import { WhatIfService } from './what-if.service';

/** What-if for one department: stored data changed in memory and scored before and after; nothing persisted. */
@Module({
  imports: [RuleSetsModule, DepartmentsModule, SubmissionsModule],
  controllers: [WhatIfController],
  providers: [WhatIfService],
})
export class WhatIfModule {}
