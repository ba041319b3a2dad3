import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RuleSetEntity } from '@jiping/persistence';
import { RuleSetLoader } from './rule-set-loader';

@Module({
  imports: [TypeOrmModule.forFeature([RuleSetEntity])],
  providers: [RuleSetLoader],
  exports: [RuleSetLoader],
})
export class RuleSetsModule {}
