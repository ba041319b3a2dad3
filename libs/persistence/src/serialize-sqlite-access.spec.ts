import { DataSource, EntitySchema } from 'typeorm';
import { serializeSqliteAccess } from './serialize-sqlite-access';

interface Row {
  id: string;
}
const Rows = new EntitySchema<Row>({ name: 'row', columns: { id: { type: String, primary: true } } });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe(serializeSqliteAccess.name, () => {
  let dataSource: DataSource;
  const ids = async (): Promise<string[]> =>
    (await dataSource.getRepository(Rows).find({ order: { id: 'ASC' } })).map((row) => row.id);

  beforeEach(async () => {
    dataSource = await serializeSqliteAccess(
      new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Rows], synchronize: true }),
    ).initialize();
  });
  afterEach(async () => {
    await dataSource.destroy();
  });

  it('keeps what other requests wrote while a transaction was open, when that transaction rolls back', async () => {
    const repository = dataSource.getRepository(Rows);
    const failing = dataSource.transaction(async (manager) => {
      await manager.getRepository(Rows).insert({ id: 'a' });
      await sleep(30);
      throw new Error('fails after its insert');
    });
    await sleep(5); // the transaction is open now
    const [saved, inserted] = await Promise.all([repository.save({ id: 'b' }), repository.insert({ id: 'c' })]);
    await expect(failing).rejects.toThrow('fails after its insert');
    expect(saved).toEqual({ id: 'b' });
    expect(inserted.identifiers).toEqual([{ id: 'c' }]);
    // without the lock both joined the open transaction and went with its rollback: []
    expect(await ids()).toEqual(['b', 'c']);
  });

  it('runs overlapping transactions one after the other, each committed or rolled back whole', async () => {
    const transaction = (id: string, fail: boolean) =>
      dataSource.transaction(async (manager) => {
        await manager.getRepository(Rows).insert({ id: `${id}-1` });
        await sleep(5);
        await manager.getRepository(Rows).insert({ id: `${id}-2` });
        if (fail) throw new Error(`${id} fails`);
      });
    const results = await Promise.allSettled(['p', 'q', 'r', 's'].map((id, i) => transaction(id, i % 2 === 1)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    // without the lock the second BEGIN fails with "cannot start a transaction within a transaction"
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([
      new Error('q fails'),
      new Error('s fails'),
    ]);
    expect(await ids()).toEqual(['p-1', 'p-2', 'r-1', 'r-2']);
  });

  it('lets a transaction nest (savepoints) without waiting for itself', async () => {
    await dataSource.transaction(async (outer) => {
      await outer.getRepository(Rows).insert({ id: 'outer' });
      await outer.queryRunner!.startTransaction();
      await outer.getRepository(Rows).insert({ id: 'inner' });
      await outer.queryRunner!.rollbackTransaction();
    });
    expect(await ids()).toEqual(['outer']);
  });

  it('leaves other databases alone', () => {
    const mysql = new DataSource({ type: 'mysql', url: 'mysql://root@127.0.0.1:3306/test' });
    const createQueryRunner = mysql.driver.createQueryRunner;
    expect(serializeSqliteAccess(mysql).driver.createQueryRunner).toBe(createQueryRunner);
  });
});
