import type { INestApplication } from '@nestjs/common';
import { getRepositoryToken } from '@nestjs/typeorm';
import { DepartmentEntity, SubmissionEntity, TargetDeclarationEntity } from '@jiping/persistence';
import { randomUUID } from 'node:crypto';
import type { ObjectLiteral, Repository } from 'typeorm';
import { seedSubmissionParts } from './seed-rule-set';

/**
 * `count` departments (`jobs-00001`…) with the seed department's 2021 targets and year-end data, each with its own
 * 固定资产利用率 spread over 80–100 % (deterministic), so that moving that indicator's band moves some of them.
 * Inserted straight through the repositories, 500 rows a statement: an impact run of thousands needs no API calls.
 */
export async function seedDepartments(app: INestApplication, count: number, ruleSetRowId: string): Promise<void> {
  const repository = <T extends ObjectLiteral>(entity: new () => T): Repository<T> =>
    app.get<Repository<T>>(getRepositoryToken(entity));
  const { targets, yearEnd } = seedSubmissionParts();
  const now = new Date();
  const targetsText = JSON.stringify(targets);
  const codes = Array.from({ length: count }, (_, i) => `jobs-${String(i + 1).padStart(5, '0')}`);
  const body = (i: number): string => {
    const total = 1_000_000 + ((i * 7_919) % 5_000_000);
    const inUse = Math.round((total * (8_000 + ((i * 104_729) % 2_001))) / 10_000);
    const cents = (v: number) => `${Math.floor(v / 100)}.${String(v % 100).padStart(2, '0')}`;
    return JSON.stringify({
      ...yearEnd,
      inputs: { ...yearEnd.inputs, fixedAssetsInUse: cents(inUse), fixedAssetsTotal: cents(total) },
    });
  };
  for (let from = 0; from < count; from += 500) {
    const page = codes.slice(from, from + 500);
    await repository(DepartmentEntity).insert(
      page.map((code, i) => ({ code, name: `第${from + i + 1}部门`, region: '广州市', createdAt: now })) as never,
    );
    await repository(TargetDeclarationEntity).insert(
      page.map((code) => ({
        id: randomUUID(),
        departmentCode: code,
        fiscalYear: 2021,
        revision: 1,
        ruleSetRowId,
        content: targetsText,
        createdBy: 'e2e seed',
        createdAt: now,
        approvedAt: null,
        approvedBy: null,
      })) as never,
    );
    await repository(SubmissionEntity).insert(
      page.map((code, i) => ({
        id: randomUUID(),
        departmentCode: code,
        fiscalYear: 2021,
        revision: 1,
        ruleSetRowId,
        targetRevision: 1,
        budgetTotal: null,
        executedTotal: null,
        content: body(from + i),
        createdBy: 'e2e seed',
        createdAt: now,
      })) as never,
    );
  }
}
