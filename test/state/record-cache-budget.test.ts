import { describe, expect, it } from 'vitest';
import { CACHE_ENTRY_OVERHEAD_BYTES, RecordCacheBudget, TaskRecordCache } from '../../src/state/index.ts';
import type { CachedKeyValue } from '../../src/state/index.ts';
import { StreamsBuilder, Serdes, Consumed, Materialized } from '../../src/index.ts';
import { threadCacheBytes } from '../../src/runtime/thread-cache-size.ts';

const key = (text: string) => Buffer.from(text);
const entry = (value: string) => ({ value: Buffer.from(value), dirty: true, timestamp: 0 });
/** Bytes one entry of a one-letter key and a one-letter value takes. */
const ENTRY = 2 + CACHE_ENTRY_OVERHEAD_BYTES;

function taskCache(budget: RecordCacheBudget, flushed: string[]) {
  const cache = new TaskRecordCache(budget);
  cache.setDirtyEntryFlushListener('counts', (entries: readonly CachedKeyValue[]) => flushed.push(...entries.map((e) => e.key.toString())));
  return cache;
}

describe('record caches sharing a stream thread\'s budget (Kafka\'s ThreadCache)', () => {
  it('hold at most the budget together; a write over it evicts (and flushes) from the store written to, not from another task', () => {
    const budget = new RecordCacheBudget(3 * ENTRY);
    const [flushedA, flushedB] = [[] as string[], [] as string[]];
    const [a, b] = [taskCache(budget, flushedA), taskCache(budget, flushedB)];
    a.put('counts', key('a'), entry('1'));
    a.put('counts', key('b'), entry('2'));
    b.put('counts', key('c'), entry('3'));
    expect(budget.used).toBe(3 * ENTRY);
    b.put('counts', key('d'), entry('4'));
    // Over the bound by one entry: task B's own oldest entry goes, flushed with B's other dirty entries.
    expect(flushedB).toEqual(['c', 'd']);
    expect(flushedA).toEqual([]);
    expect(a.get('counts', key('a'))).toBeDefined();
    expect(b.get('counts', key('c'))).toBeUndefined();
    expect(budget.used).toBe(3 * ENTRY);
    expect(a.sizeBytes() + b.sizeBytes()).toBe(budget.used);
  });

  it('gives a closed task\'s bytes back, and evicts down to a smaller bound at the next write', () => {
    const budget = new RecordCacheBudget(4 * ENTRY);
    const [a, b] = [taskCache(budget, []), taskCache(budget, [])];
    a.put('counts', key('a'), entry('1'));
    a.put('counts', key('b'), entry('2'));
    b.put('counts', key('c'), entry('3'));
    a.close('counts');
    expect(budget.used).toBe(ENTRY);
    budget.resize(ENTRY);
    b.put('counts', key('d'), entry('4'));
    expect(budget.used).toBe(ENTRY);
    expect(b.get('counts', key('d'))).toBeDefined();
  });

  it('refuses a bound that is not a whole number of bytes, naming the config key', () => {
    expect(() => new RecordCacheBudget(-1)).toThrow(/statestore.cache.max.bytes/);
    expect(() => new RecordCacheBudget(10).resize(1.5)).toThrow(/whole number of bytes/);
  });

  it('splits statestore.cache.max.bytes over the stream threads, and one more with global stores, as Kafka Streams does', () => {
    const builder = new StreamsBuilder();
    builder.stream('in').to('out');
    const plain = builder.build();
    const globalBuilder = new StreamsBuilder();
    globalBuilder.globalTable('products', Consumed.with(Serdes.String(), Serdes.String()), Materialized.as('products-store'));
    globalBuilder.stream('in').to('out');
    const withGlobal = globalBuilder.build();
    const config = { 'application.id': 'app', 'statestore.cache.max.bytes': 12_000 };
    expect(threadCacheBytes(config, plain, 1)).toBe(12_000);
    expect(threadCacheBytes(config, plain, 4)).toBe(3_000);
    expect(threadCacheBytes(config, withGlobal, 2)).toBe(4_000);
    expect(threadCacheBytes({ 'application.id': 'app' }, plain, 2)).toBe(5 * 1024 * 1024);
  });
});
