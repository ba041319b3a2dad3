import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InlineRuleSets } from '@jiping/scoring-workers';
import type { EnvironmentVariables } from '../../../../config/environment';
import { DepartmentsModule } from '../departments/departments.module';
import { RuleSetsModule } from '../rule-sets/rule-sets.module';
import { SubmissionsModule } from '../submissions/submissions.module';
import { WhatIfController } from './what-if.controller';
import { WhatIfService } from './what-if.service';

/** What-if for one department: stored data changed in memory and scored before and after; nothing persisted. */
@Module({
  imports: [RuleSetsModule, DepartmentsModule, SubmissionsModule],
  controllers: [WhatIfController],
  providers: [
    WhatIfService,
    {
      // inline rule files are checked and scored on a worker thread of their own, within a time budget
      provide: InlineRuleSets,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) =>
        new InlineRuleSets({ timeoutMs: config.get('INLINE_RULES_TIMEOUT_MS', { infer: true }) }),
    },
  ],
})
export class WhatIfModule {}
