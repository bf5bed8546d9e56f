import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LevelDbKeyValueStore, Stores } from '../../src/state/index.ts';
import type { KeyValueIterator, PrefetchKind, SessionBytesStoreSupplier, SessionStore, WindowBytesStoreSupplier, WindowStore } from '../../src/state/index.ts';
import { SegmentedBytesStore, defaultSegmentInterval } from '../../src/state/segmented-bytes-store.ts';
import { sessionEndOf, windowTimeOf } from '../../src/state/window-key-schema.ts';
import { Serdes, windowed } from '../../src/serde/index.ts';
import { FakeStoreContext } from './support/fake-store-context.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * A LevelDB store past `statestore.key.index.max.keys` keeps no keys in memory: these properties
 * check that it still answers every read like a model — point reads, prefetched ranges and scans
 * nothing read ahead (`all()`, reverse scans, key walks, which walk the disk synchronously through
 * the LevelDB thread) — with caches far smaller than its data (a few bytes, so every earlier
 * prefetch is evicted) and scan steps of two entries, across flushes, reopenings and the switch
 * from keys in memory to keys on disk.
 */

const RECORD_KEYS = ['a', 'ab', 'b', '\xff'];
const SUFFIXES = ['', '\x00', '1', '2', '\xff'];
const b = (s: string) => Buffer.from(s, 'latin1');

type Op =
  | { kind: 'put'; key: string; value: string | null }
  | { kind: 'flush' | 'reopen' | 'all' | 'reverseAll' | 'forEachKey' | 'writeWhileWalking' }
  | { kind: 'prefetch'; keys: string[] }
  | { kind: 'get'; key: string }
  | { kind: 'range'; prefix: string; low: string; high: string };

const storedKey = fc.tuple(fc.constantFrom(...RECORD_KEYS), fc.constantFrom(...SUFFIXES)).map(([k, s]) => k + s);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('put' as const), key: storedKey, value: fc.option(fc.string({ minLength: 1, maxLength: 3 }), { freq: 4 }) }) },
  fc.record({ kind: fc.constantFrom('flush' as const, 'reopen' as const) }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('all' as const, 'reverseAll' as const, 'forEachKey' as const, 'writeWhileWalking' as const) }) },
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

describe('LevelDbKeyValueStore with its keys on disk only', () => {
  it('answers gets, prefetched ranges and whole scans like a model map, whatever the cache sizes', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(opArb, { maxLength: 60 }),
      fc.constantFrom<PrefetchKind>('keys', 'key-prefixes'),
      fc.constantFrom(0, 3),
      fc.constantFrom(1, 200),
      async (ops, prefetch, maxKeys, cacheBytes) => {
        const dir = tempDir();
        const open = async () => {
          const store = new LevelDbKeyValueStore('big', { prefetch, readCacheBytes: cacheBytes, prefetchBytes: cacheBytes, scanStep: 2 });
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
            case 'all':
              expect(drain(store.all())).toEqual(modelRange(model, '', '\xff\xff\xff'));
              break;
            case 'reverseAll':
              expect(drain(store.reverseAll())).toEqual(modelRange(model, '', '\xff\xff\xff').reverse());
              break;
            case 'forEachKey': {
              const keys: string[] = [];
              store.forEachKey((key) => keys.push(key.toString('latin1')));
              expect(keys).toEqual(modelRange(model, '', '\xff\xff\xff').map(([k]) => k));
              break;
            }
            case 'writeWhileWalking': {
              // Deleting every key reached, as a punctuator that expires entries does: each is seen once, then gone.
              const seen: string[] = [];
              const walk = store.all();
              for (const { key } of walk) {
                seen.push(key.toString('latin1'));
                store.delete(key);
                model.delete(key.toString('latin1'));
              }
              walk.close();
              expect(new Set(seen).size).toBe(seen.length);
              expect(drain(store.all())).toEqual([]);
              break;
            }
            case 'range': {
              const [low, high] = [op.prefix + op.low, op.prefix + op.high].sort();
              expect(drain(store.range(b(low!), b(high!)))).toEqual(modelRange(model, low!, high!));
              expect(drain(store.reverseRange(b(low!), b(high!)))).toEqual(modelRange(model, low!, high!).reverse());
              if (prefetch === 'key-prefixes' && prefetched.has(op.prefix)) expect(store.needsPrefetch()).toBe(!store.keysInMemory());
              break;
            }
          }
        }
        expect(store.approximateNumEntries()).toBeGreaterThanOrEqual(0);
        await store.close();
      },
    ), { numRuns: 100 });
  }, 60_000);

  it('answers reads and stays open while a flush moves its keys to disk', async () => {
    const dir = tempDir();
    const open = async () => {
      const store = new LevelDbKeyValueStore('big');
      await store.init(new FakeStoreContext({ stateDir: dir, appConfigs: { 'statestore.key.index.max.keys': 2 } }), store);
      return store;
    };
    let store = await open();
    store.put(b('a'), b('A'));
    store.put(b('b'), b('B'));
    await store.flush();
    store.put(b('c'), b('C'));
    // Past the limit: this flush moves the keys to disk. An interactive query or a punctuator's
    // scan may run at any moment while it awaits, from its first step to its last.
    let switched = false;
    const switching = store.flush().then(() => { switched = true; });
    let reads = 0;
    do {
      expect(store.isOpen()).toBe(true);
      expect(store.get(b('a'))?.toString('latin1')).toBe('A');
      expect(store.get(b('c'))?.toString('latin1')).toBe('C');
      expect(drain(store.all())).toEqual([['a', 'A'], ['b', 'B'], ['c', 'C']]);
      reads++;
      await new Promise((resolve) => setImmediate(resolve));
    } while (!switched);
    await switching;
    expect(reads).toBeGreaterThan(1);
    expect(store.keysInMemory()).toBe(false);
    // A close while the move is under way closes what the move opened.
    store.put(b('d'), b('D'));
    await store.close();
    store = await open();
    store.put(b('e'), b('E'));
    const moving = store.flush();
    const closing = store.close();
    await Promise.all([moving, closing]);
    expect(store.isOpen()).toBe(false);
    store = await open();
    expect(drain(store.all())).toEqual([['a', 'A'], ['b', 'B'], ['c', 'C'], ['d', 'D'], ['e', 'E']]);
    await store.close();
  });

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
    await store.close();
  });

  it('keeps every live entry, read ahead or walked, after expiring more entries than it compacts after', async () => {
    const store = new LevelDbKeyValueStore('big', { prefetch: 'key-prefixes' });
    const context = new FakeStoreContext({ stateDir: tempDir(), appConfigs: { 'statestore.key.index.max.keys': 0 } });
    await store.init(context, store);
    // Record key + a one-byte "time": even times expire, spread over the whole key order.
    const recordKey = (i: number) => `r${String(i).padStart(5, '0')}`;
    const key = (i: number, time: number) => Buffer.concat([b(recordKey(i)), Buffer.from([time])]);
    for (let i = 0; i < 12_000; i++) {
      store.put(key(i, 2), b(`old${i}`));
      store.put(key(i, 3), b(`live${i}`));
    }
    await store.flush();
    store.deleteMatchingAtFlush((k) => k[k.length - 1] === 2); // 12,000 deletes: the store compacts after them
    await store.flush();
    expect(store.approximateNumEntries()).toBe(12_000);
    await context.prefetch([b(recordKey(7)), b(recordKey(11_999)), b(recordKey(12_000))]);
    expect(drain(store.range(key(7, 0), key(7, 255)))).toEqual([['r00007\x03', 'live7']]);
    expect(drain(store.range(key(11_999, 0), key(11_999, 255)))).toEqual([['r11999\x03', 'live11999']]);
    expect(drain(store.range(key(12_000, 0), key(12_000, 255)))).toEqual([]);
    const all = drain(store.all());
    expect(all.length).toBe(12_000);
    expect(all.every(([k, v]) => k.endsWith('\x03') && v === `live${Number(k.slice(1, -1))}`)).toBe(true);
    await store.close();
  });

  it('walks a store far larger than one scan step without its keys in memory', async () => {
    const store = new LevelDbKeyValueStore('big', { scanStep: 100 });
    const context = new FakeStoreContext({ stateDir: tempDir(), appConfigs: { 'statestore.key.index.max.keys': 10 } });
    await store.init(context, store);
    const key = (i: number) => b(`k${String(i).padStart(5, '0')}`);
    for (let i = 0; i < 2_500; i++) store.put(key(i), b(String(i)));
    await store.flush(); // past the limit: keys on disk only from here
    expect(store.keysInMemory()).toBe(false);
    for (let i = 0; i < 2_500; i += 2) store.delete(key(i)); // buffered, not yet on disk
    store.put(key(99_999), b('last'));
    const all = drain(store.all());
    expect(all.length).toBe(1_251);
    expect(all[0]).toEqual(['k00001', '1']);
    expect(all.at(-1)).toEqual(['k99999', 'last']);
    expect(drain(store.reverseRange(key(10), key(20))).map(([k]) => k)).toEqual(['k00019', 'k00017', 'k00015', 'k00013', 'k00011']);
    await store.flush();
    expect(drain(store.range(key(2_400), null)).length).toBe(51);
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
    let walked = 0;
    for (const entry of store.all()) walked += entry.value! >= 0 ? 1 : 0;
    expect(walked).toBe(5000);
    await store.close();
    // Reopened, it counts its keys on disk but does not keep them.
    const reopened = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('big'), Serdes.String(), Serdes.Long()).build();
    await reopened.init(new FakeStoreContext({ stateDir: dir, appConfigs: { 'statestore.key.index.max.keys': 100 } }), reopened);
    expect(reopened.approximateNumEntries()).toBe(5000);
    expect([...reopened.range('key-1', 'key-2')].length).toBe(1112); // key-1, key-10…19, key-100…199, key-1000…1999, key-2
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
  const inner = new LevelDbKeyValueStore(name, { prefetch: 'key-prefixes', readCacheBytes: 64, prefetchBytes: 64, scanStep: 3 });
  return new SegmentedBytesStore(inner, timeOf, retention, defaultSegmentInterval(retention));
}

const KEYS = ['a', 'ab', 'b'];
const RETENTION = 100_000;
const configs = { 'statestore.key.index.max.keys': 0 };

type SessionOp =
  | { kind: 'put'; key: string; start: number; length: number; value: number | null }
  | { kind: 'flush' }
  | { kind: 'batch' | 'scan'; keys: string[]; earliestEnd: number; latestStart: number };
const time = fc.integer({ min: 0, max: 400_000 });
const sessionOp: fc.Arbitrary<SessionOp> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('put' as const), key: fc.constantFrom(...KEYS), start: time, length: fc.integer({ min: 0, max: 5_000 }), value: fc.option(fc.integer({ min: 0, max: 99 }), { freq: 5 }) }) },
  fc.record({ kind: fc.constant('flush' as const) }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('batch' as const, 'scan' as const), keys: fc.subarray(KEYS, { minLength: 1 }), earliestEnd: time, latestStart: time }) },
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
        } else if (op.kind === 'scan') {
          // Nothing read ahead: scans across keys, as emit-on-window-close and punctuators make, walk the disk.
          expect(pairs(store.findSessions(null, null, op.earliestEnd, op.latestStart))).toEqual(pairs(model.findSessions(null, null, op.earliestEnd, op.latestStart)));
          expect(pairs(store.backwardFetch(null, null))).toEqual(pairs(model.backwardFetch(null, null)));
          for (const key of op.keys) expect(pairs(store.fetch(key))).toEqual(pairs(model.fetch(key)));
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
        } else if (op.kind === 'scan') {
          const [from, to] = [op.earliestEnd, op.latestStart].sort((x, y) => x - y);
          expect(pairs(store.fetchAll(from!, to!))).toEqual(pairs(model.fetchAll(from!, to!)));
          expect(pairs(store.backwardAll())).toEqual(pairs(model.backwardAll()));
          for (const key of op.keys) expect(pairs(store.fetch(key, 0, Number.MAX_SAFE_INTEGER))).toEqual(pairs(model.fetch(key, 0, Number.MAX_SAFE_INTEGER)));
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
