import type { Windowed } from '../serde/index.ts';
import type { KeyValueIterator, ReadOnlyWindowStore, TimestampedWindowStore, WindowStoreIterator } from './api.ts';
import { mapKeyValueIterator } from './key-value-iterators.ts';

/**
 * Reads a timestamped window store as a plain one, dropping each window's timestamp: what Kafka's
 * TopologyTestDriver returns from `getWindowStore` for a windowed aggregation's store.
 *
 * @example
 * const counts = driver.getWindowStore<string, number>('clicks-per-minute')!;
 * expect(counts.fetch('alice', 60_000)).toBe(3);
 */
export class TimestampedWindowStoreFacade<K, V> implements ReadOnlyWindowStore<K, V> {
  constructor(private readonly store: TimestampedWindowStore<K, V>) {}

  get name(): string {
    return this.store.name;
  }

  fetch(key: K, time: number): V | null;
  fetch(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V>;
  fetch(keyFrom: K | null, keyTo: K | null, timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V>;
  fetch(a: K | null, b: unknown, c?: number, d?: number): V | null | WindowStoreIterator<V> | KeyValueIterator<Windowed<K>, V> {
    if (d !== undefined) return plain(this.store.fetch(a, b as K | null, c!, d));
    if (c !== undefined) return plain(this.store.fetch(a as K, b as number, c));
    return this.store.fetch(a as K, b as number)?.value ?? null;
  }

  backwardFetch(key: K, timeFrom: number, timeTo: number): WindowStoreIterator<V>;
  backwardFetch(keyFrom: K | null, keyTo: K | null, timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V>;
  backwardFetch(a: K | null, b: unknown, c: number, d?: number): WindowStoreIterator<V> | KeyValueIterator<Windowed<K>, V> {
    return d === undefined ? plain(this.store.backwardFetch(a as K, b as number, c)) : plain(this.store.backwardFetch(a, b as K | null, c, d));
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return plain(this.store.fetchAll(timeFrom, timeTo));
  }

  backwardFetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return plain(this.store.backwardFetchAll(timeFrom, timeTo));
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    return plain(this.store.all());
  }

  backwardAll(): KeyValueIterator<Windowed<K>, V> {
    return plain(this.store.backwardAll());
  }
}

function plain<KI, V>(iterator: KeyValueIterator<KI, { value: V }>): KeyValueIterator<KI, V> {
  return mapKeyValueIterator(iterator, (entry) => ({ key: entry.key, value: entry.value.value }));
}
