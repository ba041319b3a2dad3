import type { EntityManager, ObjectLiteral, Repository } from 'typeorm';
import { KeyedMutex } from './keyed-mutex';

const mutex = new KeyedMutex();
const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code ?? '';
  return code === 'ER_DUP_ENTRY' || code === 'ER_LOCK_DEADLOCK' || code.startsWith('SQLITE_CONSTRAINT');
};

/**
 * Inserts a row numbered max + 1 among the rows matching `where` (a revision, a version, a sequence), and runs
 * `alongside` (the audit row) in the same transaction: both are stored or neither. Serialised per key in this
 * process; a unique index on (scope, number) catches other processes, and a clash is retried.
 */
export async function insertWithNextNumber<E extends ObjectLiteral, K extends keyof E & string>(
  repository: Repository<E>,
  scope: Partial<E>,
  field: K,
  build: (next: number) => E,
  alongside?: (saved: E, manager: EntityManager) => Promise<void>,
): Promise<E> {
  const key = `${repository.metadata.tableName}:${JSON.stringify(scope)}`;
  return mutex.run(key, async () => {
    for (let attempt = 0; ; attempt++) {
      const row = await repository
        .createQueryBuilder('t')
        .select(`MAX(t.${field})`, 'max')
        .where(scope)
        .getRawOne<{ max: number | string | null }>();
      const next = Number(row?.max ?? 0) + 1;
      try {
        return await repository.manager.transaction(async (manager) => {
          const saved = await manager.getRepository<E>(repository.target).save(build(next));
          await alongside?.(saved, manager);
          return saved;
        });
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
      }
    }
  });
}
