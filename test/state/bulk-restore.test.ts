import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LevelDbKeyValueStore, Stores } from '../../src/state/index.ts';
import type { ChangelogRecord, KeyValueBytesStore, KeyValueBytesStoreSupplier } from '../../src/state/index.ts';
import { Serdes } from '../../src/serde/index.ts';
import { restoreEntries } from '../../src/state/restore-entries.ts';
import { windowStoreKey } from '../../src/state/window-key-schema.ts';
import { FakeStoreContext } from './support/fake-store-context.ts';
import { tempDir } from '../support/temp-dir.ts';

const b = (s: string) => Buffer.from(s, 'latin1');
const SEED = 2112;

/** How a store is built and whether its keys stay in memory (`statestore.key.index.max.keys`). */
interface StoreKind {
  readonly name: string;
  readonly supplier: () => KeyValueBytesStoreSupplier;
  readonly appConfigs: { [key: string]: unknown };
  readonly persistent: boolean;
}

const KINDS: StoreKind[] = [
  { name: 'in memory', supplier: () => Stores.inMemoryKeyValueStore('s'), appConfigs: {}, persistent: false },
  { name: 'LevelDB, keys in memory', supplier: () => Stores.persistentKeyValueStore('s'), appConfigs: {}, persistent: true },
  // Five keys: the store moves its keys to disk partway through the restore.
  { name: 'LevelDB, keys moving to disk', supplier: () => Stores.persistentKeyValueStore('s'), appConfigs: { 'statestore.key.index.max.keys': 5 }, persistent: true },
  { name: 'LevelDB, keys on disk from the start', supplier: () => Stores.persistentKeyValueStore('s'), appConfigs: { 'statestore.key.index.max.keys': 0 }, persistent: true },
];

/** A built string/string store and the restore callback it registered. */
async function builtStore(kind: StoreKind, stateDir: string) {
  const context = new FakeStoreContext({ stateDir, appConfigs: kind.appConfigs });
  const store = Stores.keyValueStoreBuilder(kind.supplier(), Serdes.String(), Serdes.String()).withCachingDisabled().build();
  await store.init(context, store);
  return { store, restore: context.restoreCallbackFor('s') };
}

/** The bare bytes store of a kind, as record-by-record restoration wrote to it: one `put` per record. */
async function bytesStore(kind: StoreKind, stateDir: string): Promise<KeyValueBytesStore> {
  const store = kind.supplier().get();
  await store.init(new FakeStoreContext({ stateDir, appConfigs: kind.appConfigs }), store);
  return store;
}

function contents(iterator: Iterable<{ key: unknown; value: unknown }>): Array<[string, string]> {
  return [...iterator].map(({ key, value }) => [Buffer.isBuffer(key) ? key.toString('latin1') : String(key), Buffer.isBuffer(value) ? value.toString('latin1') : String(value)]);
}

/** Pages of changelog records over a few keys: overwrites, tombstones, deletes of absent keys, a key twice in one page. */
const pagesArb = fc.array(
  fc.array(fc.record({ key: fc.integer({ min: 0, max: 11 }), value: fc.option(fc.string({ maxLength: 6 }), { nil: null, freq: 4 }) }), { minLength: 1, maxLength: 12 }),
  { minLength: 1, maxLength: 5 },
);

function changelogOf(page: ReadonlyArray<{ key: number; value: string | null }>): ChangelogRecord[] {
  return page.map(({ key, value }, i) => ({ key: b(`k${key}`), value: value === null ? null : b(value), timestamp: i }));
}

/** What the store holds after replaying the pages record by record into a plain model. */
function expected(pages: ReadonlyArray<ReadonlyArray<{ key: number; value: string | null }>>): Array<[string, string]> {
  const model = new Map<string, string>();
  for (const page of pages) for (const { key, value } of page) (value === null ? model.delete(`k${key}`) : model.set(`k${key}`, value));
  return [...model].sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0));
}

describe('bulk restoration', () => {
  for (const kind of KINDS) {
    it(`${kind.name}: a page at a time gives the same store as one put per record, reopened included`, async () => {
      await fc.assert(fc.asyncProperty(pagesArb, async (pages) => {
        const bulkDir = tempDir();
        const putDir = tempDir();
        const bulk = await builtStore(kind, bulkDir);
        const byRecord = await bytesStore(kind, putDir);
        for (const page of pages) {
          await bulk.restore(changelogOf(page));
          for (const record of changelogOf(page)) byRecord.put(record.key, record.value);
        }
        const want = expected(pages);
        expect(contents(bulk.store.all())).toEqual(want);
        expect(contents(byRecord.all())).toEqual(want);
        for (let key = 0; key < 12; key++) expect(bulk.store.get(`k${key}`)).toBe(byRecord.get(b(`k${key}`))?.toString('latin1') ?? null);
        await bulk.store.close();
        await byRecord.close();
        if (!kind.persistent) return;
        const reopened = await builtStore(kind, bulkDir);
        expect(contents(reopened.store.all())).toEqual(want);
        await reopened.store.close();
      }), { seed: SEED, numRuns: 10 });
    });
  }

  /** Window writes over six minutes with a retention of 100 s (one-minute segments): pages expire earlier pages' segments. */
  const windowPagesArb = fc.array(
    fc.array(fc.record({ key: fc.integer({ min: 0, max: 3 }), minute: fc.integer({ min: 0, max: 36 }), value: fc.option(fc.string({ maxLength: 4 }), { nil: null, freq: 5 }) }), { minLength: 1, maxLength: 10 }),
    { minLength: 1, maxLength: 5 },
  );
  const windowEngines = [
    { name: 'in memory', supplier: () => Stores.inMemoryWindowStore('w', 100_000, 10_000, false), appConfigs: {}, exactCount: true },
    { name: 'LevelDB, keys in memory', supplier: () => Stores.persistentWindowStore('w', 100_000, 10_000, false), appConfigs: {}, exactCount: true },
    { name: 'LevelDB, keys on disk', supplier: () => Stores.persistentWindowStore('w', 100_000, 10_000, false), appConfigs: { 'statestore.key.index.max.keys': 0 }, exactCount: false },
  ];
  for (const engine of windowEngines) {
    it(`window store ${engine.name}: a page at a time expires and keeps what one put per record does`, async () => {
      await fc.assert(fc.asyncProperty(windowPagesArb, async (pages) => {
        const open = async () => {
          const store = engine.supplier().get();
          await store.init(new FakeStoreContext({ stateDir: tempDir(), appConfigs: engine.appConfigs }), store);
          return store;
        };
        const bulk = await open();
        const byRecord = await open();
        for (const page of pages) {
          const entries = page.map(({ key, minute, value }) => ({ key: windowStoreKey(b(`k${key}`), minute * 10_000, 0), value: value === null ? null : b(value) }));
          await restoreEntries(bulk, entries);
          for (const { key, value } of entries) byRecord.put(key, value);
        }
        await bulk.flush();
        await byRecord.flush();
        expect(contents(bulk.all())).toEqual(contents(byRecord.all()));
        // Expired entries are hidden from reads before they are deleted: the count shows they are gone (exact while keys are in memory).
        if (engine.exactCount) expect(bulk.approximateNumEntries()).toBe(byRecord.approximateNumEntries());
        await bulk.close();
        await byRecord.close();
      }), { seed: SEED, numRuns: 10 });
    });
  }

  it('a restored page lands after writes still buffered, and a flush after it is numbered, so a checkpoint never vouches for unsynced data', async () => {
    const dir = tempDir();
    const store = new LevelDbKeyValueStore('s');
    await store.init(new FakeStoreContext({ stateDir: dir }), store);
    store.put(b('a'), b('buffered'));
    store.put(b('b'), b('buffered'));
    const before = store.durableWrites();
    await store.restoreBatch([{ key: b('a'), value: b('restored') }, { key: b('b'), value: null }, { key: b('a'), value: b('restored twice') }]);
    expect(store.get(b('a'))?.toString()).toBe('restored twice');
    expect(store.get(b('b'))).toBeNull();
    const afterRestore = store.durableWrites();
    await store.flush();
    expect(store.durableWrites()).toBeGreaterThan(afterRestore);
    expect(afterRestore).toBeGreaterThanOrEqual(before);
    // Nothing more was written: the next flush has nothing to sync.
    const synced = store.durableWrites();
    await store.flush();
    expect(store.durableWrites()).toBe(synced);
    await store.close();
    const reopened = new LevelDbKeyValueStore('s');
    await reopened.init(new FakeStoreContext({ stateDir: dir }), reopened);
    expect(contents(reopened.all())).toEqual([['a', 'restored twice']]);
    expect(reopened.durableWrites()).toBe(synced);
    await reopened.close();
  });

  it('a timestamped store restored in bulk keeps each record\'s timestamp with its value', async () => {
    const context = new FakeStoreContext({ stateDir: tempDir() });
    const store = Stores.timestampedKeyValueStoreBuilder(Stores.persistentKeyValueStore('t'), Serdes.String(), Serdes.Long()).withCachingDisabled().build();
    await store.init(context, store);
    await context.restoreCallbackFor('t')([
      { key: b('k'), value: Serdes.Long().serialize('t', 1)!, timestamp: 10 },
      { key: b('k'), value: Serdes.Long().serialize('t', 2)!, timestamp: 20 },
      { key: b('gone'), value: Serdes.Long().serialize('t', 3)!, timestamp: 30 },
      { key: b('gone'), value: null, timestamp: 40 },
    ]);
    expect(store.get('k')).toEqual({ value: 2, timestamp: 20 });
    expect(store.get('gone')).toBeNull();
    await store.close();
  });
});
