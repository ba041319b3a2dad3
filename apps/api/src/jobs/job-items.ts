import { JobItemEntity } from '@jiping/persistence';
import type { EntityManager, Repository } from 'typeorm';

/** The step was done already, by an earlier run of the same job: its transaction stores nothing. */
export class StepAlreadyDone extends Error {
  constructor(readonly itemKey: string) {
    super(`job step ${itemKey} was done already`);
    this.name = 'StepAlreadyDone';
  }
}

export const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code ?? '';
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
};

/**
 * Records a job's step in the caller's transaction, before the step's own writes: throws StepAlreadyDone when an
 * earlier run of the job recorded it (the transaction then stores nothing). Two runs racing on the same step both
 * insert; the primary key lets one commit, and the other's transaction fails (and is told StepAlreadyDone when it
 * tries again).
 */
export async function recordStep(
  manager: EntityManager,
  jobId: string,
  itemKey: string,
  position: number,
  outcome: object,
): Promise<void> {
  const items = manager.getRepository(JobItemEntity);
  if (await items.existsBy({ jobId, itemKey })) throw new StepAlreadyDone(itemKey);
  await items.insert({ jobId, itemKey, position, outcome: JSON.stringify(outcome), createdAt: new Date() });
}

/** Records a step that writes nothing else (a department skipped): a second record of it is ignored. */
export async function recordStepAlone(
  items: Repository<JobItemEntity>,
  jobId: string,
  itemKey: string,
  position: number,
  outcome: object,
): Promise<void> {
  try {
    await items.insert({ jobId, itemKey, position, outcome: JSON.stringify(outcome), createdAt: new Date() });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

/** The steps a job recorded, in their order, as the outcomes stored. */
export async function readSteps<T>(items: Repository<JobItemEntity>, jobId: string): Promise<Map<string, T>> {
  const rows = await items.find({ where: { jobId }, order: { position: 'ASC' } });
  return new Map(rows.map((row) => [row.itemKey, JSON.parse(row.outcome) as T]));
}
