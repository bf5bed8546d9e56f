import type { Serde } from '../serde/index.ts';
import type { KeyValueIterator, ReadOnlyKeyValueStore, TimestampedKeyValueStore } from './api.ts';
import { mapKeyValueIterator } from './key-value-iterators.ts';

/**
 * Reads a timestamped store as a plain one, dropping the timestamps: what Kafka's
 * TopologyTestDriver returns from `getKeyValueStore` for a KTable's store, so tests can compare
 * values directly.
 *
 * @example
 * const counts = new TimestampedKeyValueStoreFacade(driver.getTimestampedKeyValueStore<string, number>('counts')!);
 * expect(counts.get('alice')).toBe(3);
 */
export class TimestampedKeyValueStoreFacade<K, V> implements ReadOnlyKeyValueStore<K, V> {
  constructor(private readonly store: TimestampedKeyValueStore<K, V>) {}

  get name(): string {
    return this.store.name;
  }

  get(key: K): V | null {
    return this.store.get(key)?.value ?? null;
  }

  range(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return plain(this.store.range(from, to));
  }

  reverseRange(from: K | null, to: K | null): KeyValueIterator<K, V> {
    return plain(this.store.reverseRange(from, to));
  }

  all(): KeyValueIterator<K, V> {
    return plain(this.store.all());
  }

  reverseAll(): KeyValueIterator<K, V> {
    return plain(this.store.reverseAll());
  }

  prefixScan<P>(prefix: P, prefixKeySerde: Serde<P>): KeyValueIterator<K, V> {
    return plain(this.store.prefixScan(prefix, prefixKeySerde));
  }

  approximateNumEntries(): number {
    return this.store.approximateNumEntries();
  }
}

function plain<K, V>(iterator: KeyValueIterator<K, { value: V }>): KeyValueIterator<K, V> {
  return mapKeyValueIterator(iterator, (entry) => ({ key: entry.key, value: entry.value.value }));
}
