import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CachingKeyValueStore } from '../../src/state/caching-key-value-store.ts';
import { ChangeLoggingKeyValueBytesStore } from '../../src/state/change-logging-key-value-store.ts';
import { InMemoryKeyValueStore } from '../../src/state/in-memory-key-value-store.ts';
import { CACHE_ENTRY_OVERHEAD_BYTES, TaskRecordCache } from '../../src/state/task-record-cache.ts';
import { FakeStoreContext } from './support/fake-store-context.ts';

const s = (text: string) => Buffer.from(text);
const text = (bytes: Buffer | null) => (bytes === null ? null : bytes.toString());

interface Flushed { key: string; newValue: string | null; oldValue: string | null; timestamp: number }

/** caching → change-logging → in-memory, as the builders stack them, over a fake task context. */
function cachedStore(cacheBytes: number | undefined, sendOldValues = true) {
  const cache = cacheBytes === undefined ? undefined : new TaskRecordCache(cacheBytes);
  const context = new FakeStoreContext(cache === undefined ? {} : { cache });
  const bytes = new InMemoryKeyValueStore('counts');
  const store = new CachingKeyValueStore(new ChangeLoggingKeyValueBytesStore(bytes, false));
  store.init(context, store);
  const flushed: Flushed[] = [];
  const cachingOn = store.setFlushListener((key, newValue, oldValue, timestamp) => {
    flushed.push({ key: key.toString(), newValue: text(newValue), oldValue: text(oldValue), timestamp });
  }, sendOldValues);
  return { store, bytes, context, flushed, cachingOn, cache };
}

describe('CachingKeyValueStore with a record cache', () => {
  it('forwards n updates of one key once at flush, with the value before the first and the last value', () => {
    const { store, bytes, flushed, context } = cachedStore(10 * 1024 * 1024);
    bytes.put(s('k'), s('v0'));
    for (let i = 1; i <= 5; i++) {
      context.timestamp = i * 100;
      store.put(s('k'), s(`v${i}`));
    }
    expect(flushed).toEqual([]);
    store.flush();
    expect(flushed).toEqual([{ key: 'k', newValue: 'v5', oldValue: 'v0', timestamp: 500 }]);
    expect(text(bytes.get(s('k')))).toBe('v5');
  });

  it('de-duplicates for any sequence of writes: one forward per touched key, oldValue from before the commit', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.option(fc.constantFrom('1', '2', '3'))), { maxLength: 40 }), (writes) => {
        const { store, bytes, flushed } = cachedStore(10 * 1024 * 1024);
        bytes.put(s('a'), s('0'));
        const before = new Map<string, string | null>([['a', '0'], ['b', null], ['c', null]]);
        const last = new Map<string, string | null>();
        for (const [key, value] of writes) {
          store.put(s(key), value === null ? null : s(value));
          last.delete(key); // a flush follows the order of the latest writes
          last.set(key, value);
        }
        store.flush();
        const expected = [...last].filter(([key, value]) => value !== null || before.get(key) !== null)
          .map(([key, value]) => ({ key, newValue: value, oldValue: before.get(key) ?? null, timestamp: 0 }));
        expect(flushed).toEqual(expected);
        for (const [key, value] of last) expect(text(bytes.get(s(key)))).toBe(value);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('serves reads from the cache before the store below has seen the write', () => {
    const { store, bytes } = cachedStore(10 * 1024 * 1024);
    store.put(s('k'), s('new'));
    expect(text(store.get(s('k')))).toBe('new');
    expect(bytes.get(s('k'))).toBeNull();
    store.delete(s('k'));
    expect(store.get(s('k'))).toBeNull();
  });

  it('leaves out old values unless asked for them', () => {
    const { store, bytes, flushed } = cachedStore(10 * 1024 * 1024, false);
    bytes.put(s('k'), s('old'));
    store.put(s('k'), s('new'));
    store.flush();
    expect(flushed).toEqual([{ key: 'k', newValue: 'new', oldValue: null, timestamp: 0 }]);
  });

  it('forwards a delete of an existing key, and drops a delete of a key that never existed', () => {
    const { store, bytes, flushed, context } = cachedStore(10 * 1024 * 1024);
    bytes.put(s('present'), s('v'));
    store.delete(s('present'));
    store.put(s('ghost'), s('x'));
    store.delete(s('ghost'));
    store.flush();
    expect(flushed).toEqual([{ key: 'present', newValue: null, oldValue: 'v', timestamp: 0 }]);
    expect(bytes.get(s('present'))).toBeNull();
    expect(context.changelog.map((r) => [r.key.toString(), r.value])).toEqual([['present', null]]);
  });

  it('stamps changelog records with the timestamp of the write, not of the record being processed at flush', () => {
    const { store, context } = cachedStore(10 * 1024 * 1024);
    context.timestamp = 1_000;
    store.put(s('a'), s('1'));
    context.timestamp = 2_000;
    store.put(s('b'), s('2'));
    context.timestamp = 9_999;
    store.flush();
    expect(context.changelog.map((r) => [r.key.toString(), r.timestamp])).toEqual([['a', 1_000], ['b', 2_000]]);
  });

  it('evicts the least recently used entry when full, flushing the store\'s dirty entries evicted one first', () => {
    const entryBytes = 2 + CACHE_ENTRY_OVERHEAD_BYTES; // one-byte key and value
    const { store, bytes, flushed, cache } = cachedStore(3 * entryBytes);
    store.put(s('a'), s('1'));
    store.put(s('b'), s('2'));
    store.put(s('c'), s('3'));
    expect(cache!.sizeBytes()).toBe(3 * entryBytes);
    expect(flushed).toEqual([]);
    store.get(s('a')); // a is now more recent than b
    store.put(s('d'), s('4'));
    expect(flushed.map((f) => f.key)).toEqual(['b', 'a', 'c', 'd']);
    expect(cache!.size()).toBe(3);
    expect(text(bytes.get(s('b')))).toBe('2');
    expect(text(store.get(s('b')))).toBe('2');
  });

  it('evicts clean entries silently: nothing is forwarded twice', () => {
    const entryBytes = 2 + CACHE_ENTRY_OVERHEAD_BYTES;
    const { store, flushed } = cachedStore(2 * entryBytes);
    store.put(s('a'), s('1'));
    store.put(s('b'), s('2'));
    store.flush();
    expect(flushed).toHaveLength(2);
    store.put(s('c'), s('3'));
    expect(flushed).toHaveLength(2);
  });

  it('merges the cache with the store in range scans: cached updates win and cached deletes hide keys', () => {
    const { store, bytes } = cachedStore(10 * 1024 * 1024);
    for (const key of ['a', 'b', 'c', 'd']) bytes.put(s(key), s('stored'));
    store.put(s('b'), s('cached'));
    store.delete(s('c'));
    store.put(s('e'), s('cached'));
    const pairs = (it: Iterable<{ key: Buffer; value: Buffer }>) => [...it].map((e) => `${e.key}=${e.value}`);
    expect(pairs(store.all())).toEqual(['a=stored', 'b=cached', 'd=stored', 'e=cached']);
    expect(pairs(store.reverseRange(s('b'), s('e')))).toEqual(['e=cached', 'd=stored', 'b=cached']);
    expect(pairs(store.range(s('c'), s('d')))).toEqual(['d=stored']);
    const bytesSerde = { serialize: (_t: string, d: Buffer | null) => d, deserialize: (_t: string, d: Buffer | null) => d };
    store.put(s('bz'), s('cached'));
    expect(pairs(store.prefixScan(s('b'), bytesSerde))).toEqual(['b=cached', 'bz=cached']);
  });

  it('flushes what is cached when closed, so no write is lost', () => {
    const { store, flushed, context } = cachedStore(10 * 1024 * 1024);
    store.put(s('k'), s('v'));
    store.close();
    expect(context.changelog.map((r) => `${r.key}=${r.value}`)).toEqual(['k=v']);
    expect(flushed).toEqual([{ key: 'k', newValue: 'v', oldValue: null, timestamp: 0 }]);
  });
});

describe('CachingKeyValueStore without a record cache (statestore.cache.max.bytes = 0)', () => {
  it('reports caching off, writes through at once, and never calls the listener', () => {
    const { store, bytes, flushed, cachingOn, context } = cachedStore(undefined);
    expect(cachingOn).toBe(false);
    store.put(s('k'), s('1'));
    store.put(s('k'), s('2'));
    expect(text(bytes.get(s('k')))).toBe('2');
    store.flush();
    expect(flushed).toEqual([]);
    expect(context.changelog).toHaveLength(2);
  });
});

/** An in-memory store that counts the values its scans read. */
class CountingStore extends InMemoryKeyValueStore {
  reads = 0;

  protected override read(sortKey: string): Buffer | null {
    this.reads++;
    return super.read(sortKey);
  }
}

describe('CachingKeyValueStore range scans over a store that can peek', () => {
  function stack() {
    const cache = new TaskRecordCache(10 * 1024 * 1024);
    const bytes = new CountingStore('counts');
    const store = new CachingKeyValueStore(bytes);
    store.init(new FakeStoreContext({ cache }), store);
    store.setFlushListener(() => {}, false);
    return { store, bytes };
  }
  const drain = (iterator: Iterable<{ key: Buffer; value: Buffer }>) => [...iterator].map(({ key, value }) => `${key.toString()}=${value.toString()}`);

  it('reads no value below for keys the cache holds, and merges the rest in order both ways', () => {
    const { store, bytes } = stack();
    for (const key of ['a', 'b', 'c', 'd', 'e']) bytes.put(s(key), s(`old-${key}`));
    store.put(s('b'), s('new-b'));
    store.put(s('d'), null);
    store.put(s('f'), s('new-f'));
    store.get(s('e')); // cached clean on read
    bytes.reads = 0;
    expect(drain(store.range(s('a'), s('f')))).toEqual(['a=old-a', 'b=new-b', 'c=old-c', 'e=old-e', 'f=new-f']);
    // Only a and c are read below: b, d and e are hidden by cached entries.
    expect(bytes.reads).toBe(2);
    bytes.reads = 0;
    expect(drain(store.reverseRange(s('a'), s('f')))).toEqual(['f=new-f', 'e=old-e', 'c=old-c', 'b=new-b', 'a=old-a']);
    expect(bytes.reads).toBe(2);
  });

  it('skips a key deleted below after the scan began, and ends when both sides do', () => {
    const { store, bytes } = stack();
    for (const key of ['a', 'b', 'c']) bytes.put(s(key), s(`old-${key}`));
    store.put(s('c'), s('new-c'));
    const scan = store.range(null, null);
    bytes.put(s('a'), null);
    expect(drain(scan)).toEqual(['b=old-b', 'c=new-c']);
    expect(scan.next().done).toBe(true);
  });
});
