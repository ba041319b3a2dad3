import type { INestApplication } from '@nestjs/common';
import { getRepositoryToken } from '@nestjs/typeorm';
import { RuleSetEntity, type RuleSetStatus } from '@jiping/persistence';
import { parseRuleFileText, toRuleSet } from '@jiping/rules';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Repository } from 'typeorm';
import { GZ_2021, ROOT, SEED_SUBMISSION } from '../../support/load';

/**
 * Stores a rule file as a rule-set version straight through the repository (published, version 1 by default), for
 * specs that need a rule set in force without going through the rule-sets API. Returns the stored row.
 */
export async function seedRuleSet(
  app: INestApplication,
  options: { path?: string; versionNo?: number; status?: RuleSetStatus; by?: string } = {},
): Promise<RuleSetEntity> {
  const text = readFileSync(join(ROOT, options.path ?? GZ_2021), 'utf8');
  const ruleSet = toRuleSet(parseRuleFileText(text));
  const status = options.status ?? 'published';
  const by = options.by ?? 'e2e seed';
  const now = new Date();
  const repository = app.get<Repository<RuleSetEntity>>(getRepositoryToken(RuleSetEntity));
  return repository.save(
    repository.create({
      id: randomUUID(),
      ruleSetId: ruleSet.id,
      fiscalYear: ruleSet.file.fiscalYear,
      versionNo: options.versionNo ?? 1,
      fileVersion: ruleSet.version,
      title: ruleSet.file.title,
      status,
      checksum: ruleSet.checksum,
      content: text,
      createdBy: by,
      createdAt: now,
      publishedBy: status === 'draft' ? null : by,
      publishedAt: status === 'draft' ? null : now,
    }),
  );
}

/**
 * The seed department's 2021 data (test/fixtures/gz-kjj-2021/submission.json) split the way the API takes it: the
 * declared targets (PUT …/targets) and the year-end body (POST …/submissions: the fixture minus formatVersion,
 * department and fiscalYear, with the unit count at the top). Fresh copies, to edit.
 */
export function seedSubmissionParts(): {
  targets: Record<string, unknown>;
  yearEnd: Record<string, unknown> & { inputs: Record<string, unknown> };
} {
  const fixture = JSON.parse(readFileSync(join(ROOT, SEED_SUBMISSION), 'utf8'));
  const { formatVersion: _f, department, fiscalYear: _y, targets, ...rest } = fixture;
  const { overview, budget, inputs, evidence, targetResults } = rest;
  return { targets, yearEnd: { unitCount: department.unitCount, overview, budget, inputs, evidence, targetResults } };
}
