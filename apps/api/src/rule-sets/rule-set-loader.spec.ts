import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDataSourceOptions, RuleSetEntity, type RuleSetStatus } from '@jiping/persistence';
import { checksumOf } from '@jiping/rules';
import { DataSource, type Repository } from 'typeorm';
import { CACHE_LIMIT, RuleSetLoader } from './rule-set-loader';

const ROOT = join(__dirname, '..', '..', '..', '..');
const CONTENT = readFileSync(join(ROOT, 'rules/guangzhou/department-overall/2021.json'), 'utf8');
const FILE = JSON.parse(CONTENT) as Record<string, unknown>;
const RULE_SET_ID = FILE.id as string;

/** The shipped file with another title: another checksum. */
const retitled = (title: string): string => JSON.stringify({ ...FILE, title });

describe(RuleSetLoader.name, () => {
  let dataSource: DataSource;
  let rows: Repository<RuleSetEntity>;
  let loader: RuleSetLoader;
  let fullReads: jest.SpyInstance[];

  const store = (id: string, versionNo: number, status: RuleSetStatus, content: string) =>
    rows.insert({
      id,
      ruleSetId: RULE_SET_ID,
      fiscalYear: 2021,
      versionNo,
      fileVersion: '2021.1.0',
      title: 't',
      status,
      checksum: checksumOf(JSON.parse(content)),
      content,
      createdBy: 'admin',
      createdAt: new Date(),
      publishedBy: null,
      publishedAt: null,
    });
  /** How many times a row was read with its rule file. */
  const fileReads = (): number => fullReads.reduce((sum, spy) => sum + spy.mock.calls.length, 0);

  beforeEach(async () => {
    dataSource = await new DataSource(
      buildDataSourceOptions({ DB_TYPE: 'sqlite', DB_PATH: ':memory:', DB_MIGRATIONS_RUN: 'true' }),
    ).initialize();
    rows = dataSource.getRepository(RuleSetEntity);
    loader = new RuleSetLoader(rows);
    await store('published-1', 1, 'published', CONTENT);
    fullReads = [jest.spyOn(rows, 'findOneBy'), jest.spyOn(rows, 'findBy')];
  });
  afterEach(async () => {
    await dataSource.destroy();
  });

  it('reads the rule file once per checksum: later rows come without it and score from the cache', async () => {
    const first = await loader.findPublishedForYear(2021, RULE_SET_ID);
    expect(first.content).toBe(CONTENT);
    const compiled = loader.compiled(first);
    expect(fileReads()).toBe(1);

    const again = await loader.findPublishedForYear(2021);
    const byRef = await loader.findByRef(`${RULE_SET_ID}:2021:published`, { includeDrafts: false });
    const pinned = await loader.findPinned({ id: 'e', ruleSetRowId: 'published-1', ruleSetChecksum: first.checksum });
    for (const row of [again, byRef, pinned]) {
      expect(row).toEqual({ ...first, content: undefined });
      expect(loader.compiled(row)).toBe(compiled);
    }
    expect(fileReads()).toBe(1);
  });

  it('reads the file of a replaced draft: its new checksum is not cached', async () => {
    await store('draft-2', 2, 'draft', retitled('draft one'));
    const ref = `${RULE_SET_ID}:2021:2`;
    const before = loader.toRuleSet(await loader.findByRef(ref, { includeDrafts: true }));
    expect(before.file.title).toBe('draft one');
    expect((await loader.findByRef(ref, { includeDrafts: true })).content).toBeUndefined();

    const replaced = retitled('draft two');
    await rows.update({ id: 'draft-2' }, { content: replaced, checksum: checksumOf(JSON.parse(replaced)) });
    const row = await loader.findByRef(ref, { includeDrafts: true });
    expect(row.content).toBe(replaced);
    const after = loader.toRuleSet(row);
    expect(after.file.title).toBe('draft two');
    expect(after.checksum).toBe(row.checksum);
    expect(after.checksum).not.toBe(before.checksum);
  });

  it('keeps the rule sets used last, and a row read without its file scorable after its rule set left the cache', async () => {
    const published = await loader.findPublishedForYear(2021);
    const compiled = loader.compiled(published);
    const withoutFile = await loader.findPublishedForYear(2021);
    expect(withoutFile.content).toBeUndefined();

    for (let n = 2; n <= CACHE_LIMIT + 2; n++) {
      await store(`draft-${n}`, n, 'draft', retitled(`draft ${n}`));
      loader.toRuleSet(await loader.findByRef(`${RULE_SET_ID}:2021:${n}`, { includeDrafts: true }));
    }
    expect(loader.cachedCount).toBe(CACHE_LIMIT);
    expect(loader.compiled(withoutFile)).toBe(compiled); // its rule set went with the row, not with the cache

    const reads = fileReads();
    const again = await loader.findPublishedForYear(2021); // evicted: read with its file
    expect(again.content).toBe(CONTENT);
    expect(fileReads()).toBe(reads + 1);
    const latest = await loader.findByRef(`${RULE_SET_ID}:2021:${CACHE_LIMIT + 2}`, { includeDrafts: true });
    expect(latest.content).toBeUndefined(); // still cached
  });

  it('gives the stored file itself when asked, cached or not', async () => {
    loader.toRuleSet(await loader.findPublishedForYear(2021));
    const row = await loader.findByRef(`${RULE_SET_ID}:2021:1`, { includeDrafts: false, withContent: true });
    expect(row.content).toBe(CONTENT);
  });

  it('keeps refusing a stored file that does not match its checksum', async () => {
    await store('draft-2', 2, 'draft', retitled('draft'));
    await rows.update({ id: 'draft-2' }, { content: retitled('tampered') });
    for (let i = 0; i < 2; i++) {
      const row = await loader.findByRef(`${RULE_SET_ID}:2021:2`, { includeDrafts: true });
      expect(() => loader.compiled(row)).toThrow('stored rule set draft-2 does not match its checksum');
    }
  });

  it('finds nothing for an unknown row, and refuses a pinned version whose checksum changed', async () => {
    await expect(loader.findById('unknown')).resolves.toBeNull();
    await expect(loader.findPinned({ id: 'e', ruleSetRowId: 'published-1', ruleSetChecksum: 'other' })).rejects.toThrow(
      'which is missing or changed',
    );
  });
});
