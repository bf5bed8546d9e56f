import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Stores, TaskRecordCache } from '../../src/state/index.ts';
import type { WindowBytesStoreSupplier, WindowStore } from '../../src/state/index.ts';
import { Serdes } from '../../src/serde/index.ts';
import { FakeStoreContext } from './support/fake-store-context.ts';
import { tempDir } from '../support/temp-dir.ts';

const DAY = 86_400_000;

async function open(supplier: WindowBytesStoreSupplier, context = new FakeStoreContext(), caching = false): Promise<WindowStore<string, number>> {
  const builder = Stores.windowStoreBuilder(supplier, Serdes.String(), Serdes.Long());
  if (caching) builder.withCachingEnabled();
  const store = builder.build();
  await store.init(context, store);
  return store;
}

const pairs = <K, V>(it: Iterable<{ key: K; value: V }>) => [...it].map(({ key, value }) => [String(key), value]);

describe.each([
  ['in-memory', (name: string, retention: number, size: number, dups = false) => Stores.inMemoryWindowStore(name, retention, size, dups)],
  ['leveldb', (name: string, retention: number, size: number, dups = false) => Stores.persistentWindowStore(name, retention, size, dups)],
] as const)('%s window store', (_kind, supplier) => {
  const context = () => new FakeStoreContext({ stateDir: tempDir() });

  it('fetches one key over a time range in time order, inclusive at both ends', async () => {
    const store = await open(supplier('w', DAY, 10), context());
    store.put('a', 1, 0);
    store.put('a', 2, 10);
    store.put('a', 3, 20);
    store.put('b', 9, 10);
    expect(pairs(store.fetch('a', 10, 20))).toEqual([['10', 2], ['20', 3]]);
    expect(pairs(store.backwardFetch('a', 0, 20))).toEqual([['20', 3], ['10', 2], ['0', 1]]);
    expect(store.fetch('a', 10)).toBe(2);
    expect(store.fetch('a', 11)).toBeNull();
  });

  it('never mixes in keys that have the fetched key as a prefix', async () => {
    const store = await open(supplier('w', DAY, 10), context());
    store.put('a', 1, 5);
    store.put('a\u0000\u0000', 7, 5);
    store.put('ab', 8, 5);
    expect(pairs(store.fetch('a', 0, 100))).toEqual([['5', 1]]);
  });

  it('fetches key ranges and all windows as Windowed keys with end = start + size', async () => {
    const store = await open(supplier('w', DAY, 10), context());
    store.put('a', 1, 0);
    store.put('b', 2, 10);
    store.put('c', 3, 20);
    expect(pairs(store.fetch('a', 'b', 0, 100))).toEqual([['[a@0/10]', 1], ['[b@10/20]', 2]]);
    expect(pairs(store.fetchAll(10, 20))).toEqual([['[b@10/20]', 2], ['[c@20/30]', 3]]);
    expect(pairs(store.backwardAll())).toEqual([['[c@20/30]', 3], ['[b@10/20]', 2], ['[a@0/10]', 1]]);
  });

  it('a null put deletes the window', async () => {
    const store = await open(supplier('w', DAY, 10), context());
    store.put('a', 1, 0);
    store.put('a', null, 0);
    expect(store.fetch('a', 0)).toBeNull();
  });

  it('drops writes older than the retention and stops returning expired windows', async () => {
    const store = await open(supplier('w', 100, 10), context());
    store.put('a', 1, 0);
    store.put('a', 2, 100); // stream time 100: window 0 is older than 100 - 100 + 1
    store.put('a', 3, 50);
    store.put('a', 4, 0); // expired: dropped
    expect(pairs(store.fetch('a', 0, 200))).toEqual([['50', 3], ['100', 2]]);
    expect(store.fetch('a', 0)).toBeNull();
  });

  it('keeps every duplicate apart when retainDuplicates is on, and ignores null puts', async () => {
    const store = await open(supplier('join', DAY, 10, true), context());
    store.put('a', 1, 5);
    store.put('a', 1, 5);
    store.put('a', 2, 5);
    store.put('a', null, 5);
    expect(pairs(store.fetch('a', 5, 5))).toEqual([['5', 1], ['5', 1], ['5', 2]]);
  });

  it('logs writes to its changelog and is rebuilt from it', async () => {
    const ctx = context();
    const store = await open(supplier('w', DAY, 10), ctx);
    store.put('a', 1, 0);
    store.put('a', 2, 10);
    store.put('a', null, 0);
    await store.close();
    const restoredContext = context();
    const restored = await open(supplier('w', DAY, 10), restoredContext);
    await restoredContext.restoreCallbackFor('w')(ctx.changelog.map(({ key, value, timestamp }) => ({ key, value, timestamp })));
    expect(pairs(restored.fetch('a', 0, 100))).toEqual([['10', 2]]);
  });

  it('merges cached writes with the store below in fetches', async () => {
    const ctx = new FakeStoreContext({ stateDir: tempDir(), cache: new TaskRecordCache(1 << 20) });
    const store = await open(supplier('w', DAY, 10), ctx, true);
    store.put('a', 1, 0);
    await store.flush();
    store.put('a', 2, 10);
    store.put('a', null, 0);
    expect(pairs(store.fetch('a', 0, 100))).toEqual([['10', 2]]);
  });

  it('matches a map of (key, window start) → value for any sequence of puts within retention', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(fc.constantFrom('a', 'b', 'ab', 'a\u0000'), fc.integer({ min: 0, max: 50 }), fc.option(fc.integer({ min: 0, max: 9 }))), { maxLength: 40 }),
      fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }),
      async (puts, t1, t2) => {
        const store = await open(supplier('w', DAY, 10), context());
        const model = new Map<string, number>();
        for (const [key, time, value] of puts) {
          store.put(key, value, time);
          if (value === null) model.delete(`${key}|${time}`);
          else model.set(`${key}|${time}`, value);
        }
        const [from, to] = t1 <= t2 ? [t1, t2] : [t2, t1];
        for (const key of ['a', 'b', 'ab', 'a\u0000']) {
          const expected = [...model].filter(([k]) => k.split('|')[0] === key)
            .map(([k, v]) => [Number(k.split('|')[1]), v] as [number, number])
            .filter(([t]) => t >= from && t <= to).sort((x, y) => x[0] - y[0]).map(([t, v]) => [String(t), v]);
          expect(pairs(store.fetch(key, from, to))).toEqual(expected);
        }
        await store.close();
      }), { numRuns: 60, seed: 7 });
  }, 60_000);
});

describe('persistent window store', () => {
  it('keeps flushed windows across close and reopen', async () => {
    const stateDir = tempDir();
    const store = await open(Stores.persistentWindowStore('w', DAY, 10, false), new FakeStoreContext({ stateDir }));
    store.put('a', 1, 0);
    store.put('b', 2, 10);
    await store.close();
    const reopened = await open(Stores.persistentWindowStore('w', DAY, 10, false), new FakeStoreContext({ stateDir }));
    expect(pairs(reopened.all())).toEqual([['[a@0/10]', 1], ['[b@10/20]', 2]]);
    await reopened.close();
  });

  it('deletes expired segments from disk once stream time passes them', async () => {
    const stateDir = tempDir();
    const retention = 60_000; // segment interval: one minute
    const store = await open(Stores.persistentWindowStore('w', retention, 10, false), new FakeStoreContext({ stateDir }));
    store.put('a', 1, 0);
    store.put('a', 2, 200_000);
    await store.close();
    const reopened = await open(Stores.persistentWindowStore('w', retention, 10, false), new FakeStoreContext({ stateDir }));
    // Reopened, the store has no memory of stream time but the old window must be gone from disk.
    expect(pairs(reopened.all())).toEqual([['[a@200000/200010]', 2]]);
    await reopened.close();
  });

  it('deletes the expired windows of every key from disk at epoch times, where the high word of the time counts', async () => {
    const stateDir = tempDir();
    const retention = 120_000;
    const epoch = 1_700_000_000_000;
    const store = await open(Stores.persistentWindowStore('w', retention, 10, false), new FakeStoreContext({ stateDir }));
    for (const key of ['a', 'ab', 'b']) for (let minute = 0; minute < 5; minute++) store.put(key, minute, epoch + minute * 60_000);
    store.put('a', 9, epoch + 600_000); // stream time moves on: everything before epoch + 480,000 (its segment) expires
    await store.close();
    // Reopened with a longer retention, so what it returns is what was left on disk.
    const reopened = await open(Stores.persistentWindowStore('w', DAY, 10, false), new FakeStoreContext({ stateDir }));
    expect(pairs(reopened.all())).toEqual([[`[a@${epoch + 600_000}/${epoch + 600_010}]`, 9]]);
    await reopened.close();
  });

  it('asks for a compacted and deleted changelog kept one day past the retention', () => {
    const builder = Stores.windowStoreBuilder(Stores.persistentWindowStore('w', 3_600_000, 60_000, false));
    expect(builder.logConfig).toEqual({ 'cleanup.policy': 'compact,delete', 'retention.ms': String(3_600_000 + DAY) });
  });

  it('rejects a retention shorter than the window', () => {
    expect(() => Stores.inMemoryWindowStore('w', 10, 60_000, false)).toThrow(/retention period \(10 ms\) must be at least the window size/);
  });
});
