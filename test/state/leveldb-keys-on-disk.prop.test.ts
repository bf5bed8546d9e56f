import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isStreamsError } from '../../src/common/index.ts';
import { LevelDbKeyValueStore, Stores } from '../../src/state/index.ts';
import type { KeyValueIterator, PrefetchKind, SessionBytesStoreSupplier, SessionStore, WindowBytesStoreSupplier, WindowStore } from '../../src/state/index.ts';
import { SegmentedBytesStore, defaultSegmentInterval } from '../../src/state/segmented-bytes-store.ts';
import { sessionEndOf, windowTimeOf } from '../../src/state/window-key-schema.ts';
import { Serdes, windowed } from '../../src/serde/index.ts';
import { FakeStoreContext } from './support/fake-store-context.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * A LevelDB store past `statestore.key.index.max.keys` keeps no keys in memory: these properties
 * check that it still answers every read like a model, with caches far smaller than its data
 * (a few bytes, so every earlier prefetch is evicted), across flushes, reopenings and the switch
 * from keys in memory to keys on disk.
 */

const RECORD_KEYS = ['a', 'ab', 'b', '\xff'];
const SUFFIXES = ['', '\x00', '1', '2', '\xff'];
const b = (s: string) => Buffer.from(s, 'latin1');

type Op =
  | { kind: 'put'; key: string; value: string | null }
  | { kind: 'flush' | 'reopen' | 'all' }
  | { kind: 'prefetch'; keys: string[] }
  | { kind: 'get'; key: string }
  | { kind: 'range'; prefix: string; low: string; high: string };

const storedKey = fc.tuple(fc.constantFrom(...RECORD_KEYS), fc.constantFrom(...SUFFIXES)).map(([k, s]) => k + s);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('put' as const), key: storedKey, value: fc.option(fc.string({ minLength: 1, maxLength: 3 }), { freq: 4 }) }) },
  fc.record({ kind: fc.constantFrom('flush' as const, 'reopen' as const, 'all' as const) }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('prefetch' as const), keys: fc.subarray(RECORD_KEYS, { minLength: 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('get' as const), key: storedKey }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('range' as const), prefix: fc.constantFrom(...RECORD_KEYS), low: fc.constantFrom(...SUFFIXES), high: fc.constantFrom(...SUFFIXES) }) },
);

function drain(iterator: KeyValueIterator<Buffer, Buffer>): Array<[string, string]> {
  return [...iterator].map((e) => [e.key.toString('latin1'), e.value.toString('latin1')]);
}

function modelRange(model: Map<string, string>, from: string, to: string): Array<[string, string]> {
  return [...model].filter(([k]) => k >= from && k <= to).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
}

/** The result of a read, or 'not cached' when the store refused it with STORE_RANGE_NOT_CACHED. */
function attempt<T>(read: () => T): T | 'not cached' {
  try {
    return read();
  } catch (error) {
    if (isStreamsError(error, 'STORE_RANGE_NOT_CACHED')) return 'not cached';
    throw error;
  }
}

describe('LevelDbKeyValueStore with its keys on disk only', () => {
  it('answers gets and prefetched prefix ranges like a model map, whatever the cache sizes', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(opArb, { maxLength: 60 }),
      fc.constantFrom<PrefetchKind>('keys', 'key-prefixes'),
      fc.constantFrom(0, 3),
      fc.constantFrom(1, 200),
      async (ops, prefetch, maxKeys, cacheBytes) => {
        const dir = tempDir();
        const open = async () => {
          const store = new LevelDbKeyValueStore('big', { prefetch, readCacheBytes: cacheBytes, prefetchBytes: cacheBytes });
          const context = new FakeStoreContext({ stateDir: dir, appConfigs: { 'statestore.key.index.max.keys': maxKeys } });
          await store.init(context, store);
          return { store, context };
        };
        let { store, context } = await open();
        const model = new Map<string, string>();
        let prefetched = new Set<string>();
        for (const op of ops) {
          switch (op.kind) {
            case 'put':
              store.put(b(op.key), op.value === null ? null : b(op.value));
              if (op.value === null) model.delete(op.key);
              else model.set(op.key, op.value);
              break;
            case 'flush':
              await store.flush();
              break;
            case 'reopen':
              await store.close();
              ({ store, context } = await open());
              prefetched = new Set();
              break;
            case 'prefetch':
              // A store with its keys in memory needs no prefetch; it switches only at a flush, so a set taken now stays right.
              prefetched = new Set(store.needsPrefetch() ? op.keys : []);
              await context.prefetch(op.keys.map(b));
              break;
            case 'get':
              expect(store.get(b(op.key))?.toString('latin1') ?? null).toBe(model.get(op.key) ?? null);
              break;
            case 'all': {
              const all = attempt(() => drain(store.all()));
              expect(all).toEqual(store.keysInMemory() ? modelRange(model, '', '\xff\xff\xff') : 'not cached');
              break;
            }
            case 'range': {
              const [low, high] = [op.prefix + op.low, op.prefix + op.high].sort();
              const result = attempt(() => drain(store.range(b(low!), b(high!))));
              const mustAnswer = store.keysInMemory() || (prefetch === 'key-prefixes' && prefetched.has(op.prefix));
              if (mustAnswer || result !== 'not cached') expect(result).toEqual(modelRange(model, low!, high!));
              break;
            }
          }
        }
        expect(store.approximateNumEntries()).toBeGreaterThanOrEqual(0);
        await store.close();
      },
    ), { numRuns: 100 });
  }, 60_000);

  it('keeps prefetched ranges equal to the disk across flushes', async () => {
    const store = new LevelDbKeyValueStore('big', { prefetch: 'key-prefixes' });
    const context = new FakeStoreContext({ stateDir: tempDir(), appConfigs: { 'statestore.key.index.max.keys': 0 } });
    await store.init(context, store);
    store.put(b('a0'), b('x'));
    await store.flush(); // past the limit: keys on disk only from here
    await context.prefetch([b('a')]);
    store.put(b('a1'), b('y'));
    store.delete(b('a0'));
    await store.flush();
    expect(drain(store.range(b('a'), b('a\xff')))).toEqual([['a1', 'y']]);
    expect(store.get(b('a0'))).toBeNull();
    expect(attempt(() => drain(store.range(b('b'), b('b\xff'))))).toBe('not cached');
    await store.close();
  });

  it('is rebuilt from a changelog larger than its key limit without taking its keys into memory', async () => {
    const dir = tempDir();
    const context = new FakeStoreContext({ stateDir: dir, appConfigs: { 'statestore.key.index.max.keys': 100 } });
    const store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('big'), Serdes.String(), Serdes.Long()).build();
    await store.init(context, store);
    const restore = context.restoreCallbackFor('big');
    for (let batch = 0; batch < 5; batch++) {
      await restore(Array.from({ length: 1000 }, (_, i) => ({ key: b(`key-${batch * 1000 + i}`), value: Serdes.Long().serialize('t', i)!, timestamp: 1 })));
      await store.flush();
    }
    expect(store.get('key-4999')).toBe(999);
    expect(store.get('key-1234')).toBe(234);
    expect(store.get('missing')).toBeNull();
    expect(store.approximateNumEntries()).toBe(5000);
    expect(attempt(() => [...store.all()])).toBe('not cached');
    await store.close();
    // Reopened, it counts its keys on disk but does not keep them.
    const reopened = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('big'), Serdes.String(), Serdes.Long()).build();
    await reopened.init(new FakeStoreContext({ stateDir: dir, appConfigs: { 'statestore.key.index.max.keys': 100 } }), reopened);
    expect(reopened.approximateNumEntries()).toBe(5000);
    expect(attempt(() => [...reopened.range('key-1', 'key-2')])).toBe('not cached');
    expect(reopened.get('key-42')).toBe(42);
    await reopened.close();
  });

  it('refuses a bad statestore.key.index.max.keys with a coded error', async () => {
    const store = new LevelDbKeyValueStore('big');
    const context = new FakeStoreContext({ stateDir: tempDir(), appConfigs: { 'statestore.key.index.max.keys': -1 } });
    await expect(store.init(context, store)).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('statestore.key.index.max.keys') });
  });
});

/** Tiny caches, so the store's data is always larger than what it may keep of earlier batches. */
function onDisk(name: string, timeOf: (key: Buffer) => number, retention: number): SegmentedBytesStore {
  const inner = new LevelDbKeyValueStore(name, { prefetch: 'key-prefixes', readCacheBytes: 64, prefetchBytes: 64 });
  return new SegmentedBytesStore(inner, timeOf, retention, defaultSegmentInterval(retention));
}

const KEYS = ['a', 'ab', 'b'];
const RETENTION = 100_000;
const configs = { 'statestore.key.index.max.keys': 0 };

type SessionOp =
  | { kind: 'put'; key: string; start: number; length: number; value: number | null }
  | { kind: 'flush' }
  | { kind: 'batch'; keys: string[]; earliestEnd: number; latestStart: number };
const time = fc.integer({ min: 0, max: 400_000 });
const sessionOp: fc.Arbitrary<SessionOp> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('put' as const), key: fc.constantFrom(...KEYS), start: time, length: fc.integer({ min: 0, max: 5_000 }), value: fc.option(fc.integer({ min: 0, max: 99 }), { freq: 5 }) }) },
  fc.record({ kind: fc.constant('flush' as const) }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('batch' as const), keys: fc.subarray(KEYS, { minLength: 1 }), earliestEnd: time, latestStart: time }) },
);

const pairs = <K, V>(it: Iterable<{ key: K; value: V }>) => [...it].map(({ key, value }) => [String(key), value]);

describe('window and session stores with their keys on disk only', () => {
  it('find the same sessions as an in-memory session store after each prefetch', async () => {
    await fc.assert(fc.asyncProperty(fc.array(sessionOp, { maxLength: 50 }), async (ops) => {
      const supplier: SessionBytesStoreSupplier = {
        name: 's', kind: 'leveldb', retentionPeriod: RETENTION, segmentInterval: defaultSegmentInterval(RETENTION),
        get: () => onDisk('s', sessionEndOf, RETENTION),
      };
      const context = new FakeStoreContext({ stateDir: tempDir(), appConfigs: configs });
      const store: SessionStore<string, number> = Stores.sessionStoreBuilder(supplier, Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
      await store.init(context, store);
      const model: SessionStore<string, number> = Stores.sessionStoreBuilder(Stores.inMemorySessionStore('m', RETENTION), Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
      await model.init(new FakeStoreContext(), model);
      for (const op of ops) {
        if (op.kind === 'put') {
          for (const s of [store, model]) s.put(windowed(op.key, op.start, op.start + op.length), op.value);
        } else if (op.kind === 'flush') {
          await store.flush();
        } else {
          await context.prefetch(op.keys.map(b));
          for (const key of op.keys) {
            expect(pairs(store.findSessions(key, op.earliestEnd, op.latestStart))).toEqual(pairs(model.findSessions(key, op.earliestEnd, op.latestStart)));
            expect(pairs(store.backwardFetch(key))).toEqual(pairs(model.backwardFetch(key)));
          }
        }
      }
      await store.close();
    }), { numRuns: 40 });
  }, 60_000);

  it('fetch the same windows as an in-memory window store after each prefetch', async () => {
    const SIZE = 1_000;
    await fc.assert(fc.asyncProperty(fc.array(sessionOp, { maxLength: 50 }), async (ops) => {
      const supplier: WindowBytesStoreSupplier = {
        name: 'w', kind: 'leveldb', retentionPeriod: RETENTION, windowSize: SIZE, retainDuplicates: false, segmentInterval: defaultSegmentInterval(RETENTION),
        get: () => onDisk('w', windowTimeOf, RETENTION),
      };
      const context = new FakeStoreContext({ stateDir: tempDir(), appConfigs: configs });
      const store: WindowStore<string, number> = Stores.windowStoreBuilder(supplier, Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
      await store.init(context, store);
      const model: WindowStore<string, number> = Stores.windowStoreBuilder(Stores.inMemoryWindowStore('m', RETENTION, SIZE, false), Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
      await model.init(new FakeStoreContext(), model);
      for (const op of ops) {
        if (op.kind === 'put') {
          for (const s of [store, model]) s.put(op.key, op.value, op.start);
        } else if (op.kind === 'flush') {
          await store.flush();
        } else {
          await context.prefetch(op.keys.map(b));
          const [from, to] = [op.earliestEnd, op.latestStart].sort((x, y) => x - y);
          for (const key of op.keys) {
            expect(pairs(store.fetch(key, from!, to!))).toEqual(pairs(model.fetch(key, from!, to!)));
            expect(store.fetch(key, from!)).toEqual(model.fetch(key, from!));
          }
        }
      }
      await store.close();
    }), { numRuns: 40 });
  }, 60_000);
});
