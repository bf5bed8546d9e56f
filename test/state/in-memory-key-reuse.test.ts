import { describe, expect, it } from 'vitest';
import { InMemoryKeyValueStore } from '../../src/state/in-memory-key-value-store.ts';
import { FakeStoreContext } from './support/fake-store-context.ts';

function openStore(): InMemoryKeyValueStore {
  const store = new InMemoryKeyValueStore('reuse');
  store.init(new FakeStoreContext(), store);
  return store;
}

describe('InMemoryKeyValueStore with a key Buffer the caller rewrites between calls', () => {
  it('reads and writes the key the Buffer holds at each call', () => {
    const store = openStore();
    const key = Buffer.from('a1');
    store.put(key, Buffer.from('first'));
    key.write('b', 0);
    expect(store.get(key)).toBeNull();
    store.put(key, Buffer.from('second'));
    key.write('a', 0);
    expect(store.get(key)?.toString()).toBe('first');
    expect([...store.all()].map((e) => `${e.key.toString()}=${e.value.toString()}`)).toEqual(['a1=first', 'b1=second']);
  });

  it('deletes the key the Buffer holds, not the one it held before', () => {
    const store = openStore();
    const key = Buffer.from([1, 2]);
    store.put(key, Buffer.from('x'));
    key[1] = 3;
    store.put(key, Buffer.from('y'));
    store.put(key, null);
    expect(store.get(Buffer.from([1, 2]))?.toString()).toBe('x');
    expect(store.get(Buffer.from([1, 3]))).toBeNull();
    expect(store.approximateNumEntries()).toBe(1);
  });

  it('handles keys too long to remember like any other', () => {
    const store = openStore();
    const key = Buffer.alloc(100, 7);
    store.put(key, Buffer.from('long'));
    key[99] = 8;
    expect(store.get(key)).toBeNull();
    key[99] = 7;
    expect(store.get(key)?.toString()).toBe('long');
  });
});
