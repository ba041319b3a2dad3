import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RuleSetEntity } from '@jiping/persistence';
import { RuleSetEditingController } from './rule-set-editing.controller';
import { RuleSetEditingService } from './rule-set-editing.service';
import { RuleSetLoader } from './rule-set-loader';
import { RuleSetWorkbooksController } from './rule-set-workbooks.controller';
import { RuleSetsController } from './rule-sets.controller';
import { RuleSetsService } from './rule-sets.service';

/** Rule-set versions: upload, validate, publish, list, diff; RuleSetLoader for the features that score. */
@Module({
  imports: [TypeOrmModule.forFeature([RuleSetEntity])],
  controllers: [RuleSetEditingController, RuleSetsController, RuleSetWorkbooksController],
  providers: [RuleSetLoader, RuleSetsService, RuleSetEditingService],
  exports: [RuleSetLoader, RuleSetsService],
})
export class RuleSetsModule {}
