import { serializeSqliteAccess } from '@jiping/persistence';
import { DataSource, EntitySchema } from 'typeorm';
import { insertWithNextNumber } from './next-number';

interface Revision {
  id: string;
  owner: string;
  revision: number;
}
interface Note {
  id: string;
  text: string;
}
const Revisions = new EntitySchema<Revision>({
  name: 'revision',
  columns: { id: { type: String, primary: true }, owner: { type: String }, revision: { type: Number } },
  uniques: [{ columns: ['owner', 'revision'] }],
});
const Notes = new EntitySchema<Note>({
  name: 'note',
  columns: { id: { type: String, primary: true }, text: { type: String } },
});

describe(insertWithNextNumber.name, () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = await serializeSqliteAccess(
      new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Revisions, Notes], synchronize: true }),
    ).initialize();
  });
  afterEach(async () => {
    await dataSource.destroy();
  });

  const insert = (owner: string, alongside?: (saved: Revision, manager: DataSource['manager']) => Promise<void>) =>
    insertWithNextNumber(
      dataSource.getRepository(Revisions),
      { owner },
      'revision',
      (revision) => ({ id: `${owner}-${revision}`, owner, revision }),
      alongside,
    );

  it('numbers concurrent inserts 1, 2, 3… per scope', async () => {
    const saved = await Promise.all([...'aaabba'].map((owner) => insert(owner)));
    expect(saved.map((r) => r.id)).toEqual(['a-1', 'a-2', 'a-3', 'b-1', 'b-2', 'a-4']);
  });

  it('stores the row and what runs alongside it together, or neither', async () => {
    await insert('a', (saved, manager) => manager.getRepository(Notes).insert({ id: saved.id, text: 'audit' }).then());
    await expect(
      insert('a', async (saved, manager) => {
        await manager.getRepository(Notes).insert({ id: saved.id, text: 'audit' });
        throw new Error('the audit row cannot be written');
      }),
    ).rejects.toThrow('the audit row cannot be written');
    expect(await dataSource.getRepository(Revisions).find()).toEqual([{ id: 'a-1', owner: 'a', revision: 1 }]);
    expect(await dataSource.getRepository(Notes).find()).toEqual([{ id: 'a-1', text: 'audit' }]);
    // the number of the failed insert is free again
    expect((await insert('a')).revision).toBe(2);
  });
});
