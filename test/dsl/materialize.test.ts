import { describe, expect, it } from 'vitest';
import { isStreamsError } from '../../src/common/index.ts';
import { materialize } from '../../src/dsl/materialize.ts';
import { Stores } from '../../src/state/index.ts';
import { Serdes } from '../../src/serde/index.ts';

const stringSerde = Serdes.String();
const longSerde = Serdes.Long();

let counter = 3;
const newStoreName = () => `KSTREAM-AGGREGATE-STATE-STORE-${String(counter++).padStart(10, '0')}`;

describe('materialize', () => {
  it('without a Materialized, generates the store name and keeps the DSL defaults: caching and logging on', () => {
    counter = 3;
    const store = materialize<string, number>(undefined, { newStoreName, keySerde: stringSerde });
    expect(store.storeName).toBe('KSTREAM-AGGREGATE-STATE-STORE-0000000003');
    expect(store.named).toBe(false);
    expect(store.builder.name).toBe(store.storeName);
    expect(store.builder.cachingEnabled).toBe(true);
    expect(store.builder.loggingEnabled).toBe(true);
    expect(store.keySerde).toBe(stringSerde);
    expect(store.valueSerde).toBeUndefined();
  });

  it('uses the given name and does not consume a generated one', () => {
    counter = 3;
    const store = materialize<string, number>({ storeName: 'counts' }, { newStoreName });
    expect(store.storeName).toBe('counts');
    expect(store.named).toBe(true);
    expect(newStoreName()).toBe('KSTREAM-AGGREGATE-STATE-STORE-0000000003');
  });

  it('prefers the Materialized serdes over inherited ones', () => {
    const store = materialize<string, number>({ storeName: 's', valueSerde: longSerde }, { newStoreName, keySerde: stringSerde, valueSerde: undefined });
    expect(store.keySerde).toBe(stringSerde);
    expect(store.valueSerde).toBe(longSerde);
  });

  it('honours caching and logging switched off, and changelog configs', () => {
    expect(materialize({ storeName: 's', cachingEnabled: false }, { newStoreName }).builder.cachingEnabled).toBe(false);
    const unlogged = materialize({ storeName: 's', loggingEnabled: false }, { newStoreName }).builder;
    expect(unlogged.loggingEnabled).toBe(false);
    const logged = materialize({ storeName: 's', logConfig: { 'retention.ms': '100' } }, { newStoreName }).builder;
    expect(logged.logConfig).toEqual({ 'retention.ms': '100' });
  });

  it('takes the name of a given store supplier and rejects a different explicit name', () => {
    const supplier = Stores.inMemoryKeyValueStore('from-supplier');
    expect(materialize({ storeSupplier: supplier }, { newStoreName }).storeName).toBe('from-supplier');
    let error: unknown;
    try {
      materialize({ storeSupplier: supplier, storeName: 'other' }, { newStoreName });
    } catch (e) {
      error = e;
    }
    expect(isStreamsError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(String(error)).toMatch(/"other".*"from-supplier"/);
  });
});
