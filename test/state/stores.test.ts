import { describe, expect, it } from 'vitest';
import {
  Stores, TaskRecordCache, TimestampedKeyValueStoreFacade, isCachedStateStore, isTimestampedKeyValueStore, keyValue,
} from '../../src/state/index.ts';
import type { CachedStateStore, KeyValueStore, StateStore, TimestampedKeyValueStore } from '../../src/state/index.ts';
import type { Serde } from '../../src/serde/index.ts';
import { FakeStoreContext } from './support/fake-store-context.ts';
import type { FakeStoreContextOptions } from './support/fake-store-context.ts';
import { Serdes } from '../../src/serde/index.ts';

const longSerde = Serdes.Long();
const stringSerde = Serdes.String();

function initialised<S extends StateStore>(store: S, options: FakeStoreContextOptions = {}): { store: S; context: FakeStoreContext } {
  const context = new FakeStoreContext(options);
  store.init(context, store);
  return { store, context };
}

const hex = (bytes: Buffer | null) => (bytes === null ? null : bytes.toString('hex'));
const long = (n: number) => longSerde.serialize('', n)!.toString('hex');

describe('Stores builders', () => {
  it('default to logging on and caching off, like Kafka\'s store builders', () => {
    const builder = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), stringSerde, longSerde);
    expect(builder.name).toBe('s');
    expect(builder.loggingEnabled).toBe(true);
    expect(builder.cachingEnabled).toBe(false);
    builder.withCachingEnabled().withLoggingEnabled({ 'retention.ms': '1000' });
    expect(builder.cachingEnabled).toBe(true);
    expect(builder.logConfig).toEqual({ 'retention.ms': '1000' });
    builder.withLoggingDisabled().withCachingDisabled();
    expect(builder.loggingEnabled).toBe(false);
    expect(builder.cachingEnabled).toBe(false);
    expect(builder.logConfig).toEqual({});
  });

  it('build a fresh, independent store each time', () => {
    const builder = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), stringSerde, longSerde);
    const first = initialised(builder.build()).store;
    const second = initialised(builder.build()).store;
    expect(first).not.toBe(second);
    first.put('a', 1);
    expect(second.get('a')).toBeNull();
  });

  it('reject an empty store name', () => {
    expect(() => Stores.inMemoryKeyValueStore('')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('a key-value store built by Stores', () => {
  it('reads back typed values, scans in serialized key order and deletes with put(key, null)', () => {
    const { store } = initialised(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), stringSerde, longSerde).build());
    store.putAll([keyValue('b', 2), keyValue('a', 1), keyValue('c', 3)]);
    expect(store.get('a')).toBe(1);
    expect(store.putIfAbsent('a', 9)).toBe(1);
    expect(store.putIfAbsent('d', 4)).toBeNull();
    store.put('c', null);
    expect(store.delete('b')).toBe(2);
    expect([...store.all()]).toEqual([keyValue('a', 1), keyValue('d', 4)]);
    expect([...store.reverseRange('a', 'z')]).toEqual([keyValue('d', 4), keyValue('a', 1)]);
    expect(store.approximateNumEntries()).toBe(2);
  });

  it('finds keys by prefix with a prefix serde', () => {
    const { store } = initialised(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), stringSerde, longSerde).build());
    for (const [k, v] of [['user:1', 1], ['user:2', 2], ['usex', 3], ['admin', 4]] as const) store.put(k, v);
    expect([...store.prefixScan('user:', stringSerde)].map((e) => e.key)).toEqual(['user:1', 'user:2']);
  });

  it('refuses a null key with an error naming the store', () => {
    const { store } = initialised(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), stringSerde, longSerde).build());
    expect(() => store.put(null as unknown as string, 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('"s"') }));
  });

  it('sends every write to its changelog with the serialized bytes and the record timestamp', () => {
    const { store, context } = initialised(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), stringSerde, longSerde).build());
    context.timestamp = 42;
    store.put('a', 1);
    store.putIfAbsent('a', 2); // present: not written, not logged
    store.putAll([keyValue('b', 3)]);
    context.timestamp = 43;
    store.delete('missing');
    store.put('b', null);
    expect(context.changelog.map((r) => [r.store, r.key.toString(), hex(r.value), r.timestamp])).toEqual([
      ['s', 'a', long(1), 42],
      ['s', 'b', long(3), 42],
      ['s', 'missing', null, 43],
      ['s', 'b', null, 43],
    ]);
  });

  it('sends nothing to a changelog when logging is disabled', () => {
    const builder = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), stringSerde, longSerde).withLoggingDisabled();
    const { store, context } = initialised(builder.build());
    store.put('a', 1);
    expect(context.changelog).toEqual([]);
  });

  it('works without a changelog sink, as for a global store the task does not log', () => {
    const { store, context } = initialised(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), stringSerde, longSerde).build(), { logging: false });
    store.put('a', 1);
    store.delete('a');
    store.put('b', 2);
    expect([...store.all()]).toEqual([keyValue('b', 2)]);
    expect(context.changelog).toEqual([]);
  });

  it('calls serdes with the changelog topic name <application.id>-<store>-changelog', () => {
    const topics = new Set<string>();
    const spy: Serde<string> = {
      serialize: (topic, data) => (topics.add(topic), stringSerde.serialize(topic, data)),
      deserialize: (topic, data) => (topics.add(topic), stringSerde.deserialize(topic, data)),
    };
    const { store } = initialised(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), spy, spy).build(), { applicationId: 'wordcount' });
    store.put('a', 'b');
    store.get('a');
    expect([...topics]).toEqual(['wordcount-s-changelog']);
  });
});

describe('default serdes', () => {
  it('come from default.key.serde / default.value.serde when the builder has none', () => {
    const builder = Stores.keyValueStoreBuilder<string, number>(Stores.inMemoryKeyValueStore('s'));
    const { store, context } = initialised(builder.build(), { appConfigs: { 'default.key.serde': stringSerde, 'default.value.serde': longSerde } });
    store.put('a', 7);
    expect(store.get('a')).toBe(7);
    expect(hex(context.changelog[0]!.value)).toBe(long(7));
  });

  it('missing, fail init with INVALID_CONFIG naming the store and how to fix it', () => {
    const builder = Stores.keyValueStoreBuilder<string, number>(Stores.inMemoryKeyValueStore('counts'), stringSerde);
    const attempt = () => initialised(builder.build(), { appConfigs: { 'default.key.serde': stringSerde } });
    expect(attempt).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(attempt).toThrow(/"counts".*value serde.*Materialized\.with.*default\.value\.serde/);
  });

  it('that are not serdes are reported as a config error', () => {
    const builder = Stores.keyValueStoreBuilder<string, number>(Stores.inMemoryKeyValueStore('counts'));
    const attempt = () => initialised(builder.build(), { appConfigs: { 'default.key.serde': 'StringSerde', 'default.value.serde': longSerde } });
    expect(attempt).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining('default.key.serde') }));
  });
});

describe('a timestamped key-value store', () => {
  function timestamped(options: FakeStoreContextOptions = {}) {
    return initialised(Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore('t'), stringSerde, longSerde).build(), options);
  }

  it('keeps values in Kafka\'s layout: 8-byte big-endian timestamp, then the value bytes', () => {
    const raw = Stores.inMemoryKeyValueStore('t');
    const bytesStore = raw.get();
    const supplier = { ...raw, get: () => bytesStore };
    const { store } = initialised(Stores.timestampedKeyValueStoreBuilder(supplier, stringSerde, longSerde).withLoggingDisabled().build());
    store.put('k', { value: 5, timestamp: 0x0102030405 });
    expect(hex(bytesStore.get(Buffer.from('k')))).toBe('0000000102030405' + long(5));
    expect(store.get('k')).toEqual({ value: 5, timestamp: 0x0102030405 });
  });

  it('logs the plain value with the value\'s timestamp as the changelog record timestamp', () => {
    const { store, context } = timestamped();
    context.timestamp = 999;
    store.put('k', { value: 5, timestamp: 100 });
    store.delete('k');
    expect(context.changelog.map((r) => [hex(r.value), r.timestamp])).toEqual([[long(5), 100], [null, 999]]);
  });

  it('is recognised as timestamped, and the facade shows its plain values', () => {
    const { store } = timestamped();
    store.put('a', { value: 1, timestamp: 10 });
    store.put('b', { value: 2, timestamp: 20 });
    expect(isTimestampedKeyValueStore(store)).toBe(true);
    const plainStore = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('p'), stringSerde, longSerde).build();
    expect(isTimestampedKeyValueStore(plainStore)).toBe(false);
    expect(isCachedStateStore(plainStore)).toBe(true);
    const facade = new TimestampedKeyValueStoreFacade(store as TimestampedKeyValueStore<string, number>);
    expect(facade.get('a')).toBe(1);
    expect(facade.get('zzz')).toBeNull();
    expect([...facade.all()]).toEqual([keyValue('a', 1), keyValue('b', 2)]);
    expect([...facade.reverseAll()].map((e) => e.value)).toEqual([2, 1]);
  });
});

describe('restoration', () => {
  const record = (key: string, value: Buffer | null, timestamp: number) => ({ key: Buffer.from(key), value, timestamp });

  it('registers the store, and the callback writes changelog records straight in without logging them again', async () => {
    const builder = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), stringSerde, longSerde).withCachingEnabled();
    const { store, context } = initialised(builder.build(), { cache: new TaskRecordCache(1024 * 1024) });
    expect(context.registered.map((r) => r.store)).toEqual([store]);
    await context.restoreCallbackFor('s')([
      record('a', longSerde.serialize('', 1), 1),
      record('b', longSerde.serialize('', 2), 2),
      record('a', null, 3),
    ]);
    expect(store.get('a')).toBeNull();
    expect(store.get('b')).toBe(2);
    expect(context.changelog).toEqual([]);
  });

  it('rebuilds a timestamped value from the changelog record\'s timestamp', async () => {
    const { store, context } = initialised(Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore('t'), stringSerde, longSerde).build());
    await context.restoreCallbackFor('t')([record('k', longSerde.serialize('', 8), 1234)]);
    expect(store.get('k')).toEqual({ value: 8, timestamp: 1234 });
  });
});

describe('flush listeners on built stores', () => {
  type Update = { key: string; newValue: number | null; oldValue: number | null; timestamp: number };

  function withListener(store: KeyValueStore<string, number> & CachedStateStore<string, number>, sendOldValues = true) {
    const updates: Update[] = [];
    const cachingOn = store.setFlushListener((u) => updates.push(u), sendOldValues);
    return { updates, cachingOn };
  }

  it('forward typed, de-duplicated updates at flush when caching is on', () => {
    const builder = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), stringSerde, longSerde).withCachingEnabled();
    const { store, context } = initialised(builder.build(), { cache: new TaskRecordCache(1024 * 1024) });
    const { updates, cachingOn } = withListener(store);
    expect(cachingOn).toBe(true);
    store.put('a', 1);
    store.flush();
    for (let i = 2; i <= 4; i++) {
      context.timestamp = i;
      store.put('a', i);
    }
    store.flush();
    expect(updates).toEqual([
      { key: 'a', newValue: 1, oldValue: null, timestamp: 0 },
      { key: 'a', newValue: 4, oldValue: 1, timestamp: 4 },
    ]);
    expect(context.changelog.map((r) => hex(r.value))).toEqual([long(1), long(4)]);
  });

  it('report caching off when the builder has caching disabled, and never fire', () => {
    const builder = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), stringSerde, longSerde);
    const { store } = initialised(builder.build(), { cache: new TaskRecordCache(1024 * 1024) });
    const { updates, cachingOn } = withListener(store);
    expect(cachingOn).toBe(false);
    store.put('a', 1);
    store.flush();
    expect(updates).toEqual([]);
  });

  it('report caching off when the task has no cache (statestore.cache.max.bytes = 0)', () => {
    const builder = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), stringSerde, longSerde).withCachingEnabled();
    const { store } = initialised(builder.build());
    expect(withListener(store).cachingOn).toBe(false);
  });
});
