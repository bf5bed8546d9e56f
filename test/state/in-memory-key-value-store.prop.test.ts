import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InMemoryKeyValueStore } from '../../src/state/in-memory-key-value-store.ts';
import type { KeyValueIterator } from '../../src/state/index.ts';
import type { Serde } from '../../src/serde/index.ts';
import { setLogLevel, setLogSink } from '../../src/common/index.ts';
import type { LogSink } from '../../src/common/index.ts';
import { FakeStoreContext } from './support/fake-store-context.ts';

/** Warnings logged during the current test (captured so they neither clutter output nor go unchecked). */
let warnings: string[] = [];
let previousSink: LogSink | undefined;
beforeEach(() => {
  warnings = [];
  setLogLevel('warn'); // the warning is part of the behaviour under test, whatever KSTREAMS_LOG_LEVEL says
  previousSink = setLogSink((level, _component, message) => {
    if (level === 'warn') warnings.push(message);
  });
});
afterEach(() => {
  if (previousSink !== undefined) setLogSink(previousSink);
});

/** Short keys over bytes that stress unsigned order (0x00, 0x7f, 0x80, 0xff) so ops collide often. */
const keyArb = fc.uint8Array({ minLength: 0, maxLength: 3 })
  .map((bytes) => Buffer.from(bytes.map((b) => [0x00, 0x01, 0x7f, 0x80, 0xff][b % 5]!)));
const valueArb = fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b) => Buffer.from(b));

type Op =
  | { kind: 'put'; key: Buffer; value: Buffer }
  | { kind: 'putIfAbsent'; key: Buffer; value: Buffer }
  | { kind: 'delete'; key: Buffer }
  | { kind: 'get'; key: Buffer }
  | { kind: 'range' | 'reverseRange'; from: Buffer | null; to: Buffer | null }
  | { kind: 'all' | 'reverseAll' }
  | { kind: 'prefixScan'; prefix: Buffer };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key: keyArb, value: valueArb }),
  fc.record({ kind: fc.constant('putIfAbsent' as const), key: keyArb, value: valueArb }),
  fc.record({ kind: fc.constant('delete' as const), key: keyArb }),
  fc.record({ kind: fc.constant('get' as const), key: keyArb }),
  fc.record({ kind: fc.constantFrom('range' as const, 'reverseRange' as const), from: fc.option(keyArb), to: fc.option(keyArb) }),
  fc.record({ kind: fc.constantFrom('all' as const, 'reverseAll' as const) }),
  fc.record({ kind: fc.constant('prefixScan' as const), prefix: keyArb }),
);

const bytesSerde: Serde<Buffer> = { serialize: (_t, d) => d, deserialize: (_t, d) => d };

/** Reference model: a Map keyed by hex, sorted with Buffer.compare (unsigned bytes) on every read. */
class ReferenceStore {
  private readonly map = new Map<string, { key: Buffer; value: Buffer }>();
  get(key: Buffer): Buffer | null {
    return this.map.get(key.toString('hex'))?.value ?? null;
  }
  put(key: Buffer, value: Buffer | null): void {
    if (value === null) this.map.delete(key.toString('hex'));
    else this.map.set(key.toString('hex'), { key, value });
  }
  sorted(): Array<[string, string]> {
    return [...this.map.values()].sort((a, b) => Buffer.compare(a.key, b.key)).map((e) => [e.key.toString('hex'), e.value.toString('hex')]);
  }
  range(from: Buffer | null, to: Buffer | null): Array<[string, string]> {
    if (from !== null && to !== null && Buffer.compare(from, to) > 0) return [];
    return this.sorted().filter(([k]) => {
      const key = Buffer.from(k, 'hex');
      return (from === null || Buffer.compare(key, from) >= 0) && (to === null || Buffer.compare(key, to) <= 0);
    });
  }
  prefix(prefix: Buffer): Array<[string, string]> {
    return this.sorted().filter(([k]) => Buffer.from(k, 'hex').subarray(0, prefix.length).equals(prefix));
  }
}

function drain(iterator: KeyValueIterator<Buffer, Buffer>): Array<[string, string]> {
  return [...iterator].map((e) => [e.key.toString('hex'), e.value.toString('hex')]);
}

function openStore(): InMemoryKeyValueStore {
  const store = new InMemoryKeyValueStore('store');
  store.init(new FakeStoreContext(), store);
  return store;
}

describe('InMemoryKeyValueStore against a sorted reference map', () => {
  it('answers every read like the reference after any sequence of writes', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const store = openStore();
        const reference = new ReferenceStore();
        for (const op of ops) {
          switch (op.kind) {
            case 'put':
              store.put(op.key, op.value);
              reference.put(op.key, op.value);
              break;
            case 'putIfAbsent': {
              const before = reference.get(op.key);
              expect(store.putIfAbsent(op.key, op.value)).toEqual(before);
              if (before === null) reference.put(op.key, op.value);
              break;
            }
            case 'delete':
              expect(store.delete(op.key)).toEqual(reference.get(op.key));
              reference.put(op.key, null);
              break;
            case 'get':
              expect(store.get(op.key)).toEqual(reference.get(op.key));
              break;
            case 'range':
              expect(drain(store.range(op.from, op.to))).toEqual(reference.range(op.from, op.to));
              break;
            case 'reverseRange':
              expect(drain(store.reverseRange(op.from, op.to))).toEqual(reference.range(op.from, op.to).reverse());
              break;
            case 'all':
              expect(drain(store.all())).toEqual(reference.sorted());
              break;
            case 'reverseAll':
              expect(drain(store.reverseAll())).toEqual(reference.sorted().reverse());
              break;
            case 'prefixScan':
              expect(drain(store.prefixScan(op.prefix, bytesSerde))).toEqual(reference.prefix(op.prefix));
              break;
          }
        }
        expect(store.approximateNumEntries()).toBe(reference.sorted().length);
      }),
      { seed: 424242, numRuns: 300 },
    );
  });
});

describe('InMemoryKeyValueStore', () => {
  const b = (...bytes: number[]) => Buffer.from(bytes);

  it('orders keys by unsigned bytes: 0x80 and 0xff come after 0x7f', () => {
    const store = openStore();
    store.put(b(0xff), b(1));
    store.put(b(0x80), b(2));
    store.put(b(0x7f), b(3));
    expect([...store.all()].map((e) => e.key)).toEqual([b(0x7f), b(0x80), b(0xff)]);
  });

  it('returns nothing for a range whose from is greater than its to, and warns', () => {
    const store = openStore();
    store.put(b(1), b(1));
    store.put(b(5), b(5));
    expect([...store.range(b(5), b(1))]).toEqual([]);
    expect([...store.reverseRange(b(5), b(1))]).toEqual([]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('"store"');
  });

  it('lets a caller write while iterating: the iterator walks the keys as they were when it started', () => {
    const store = openStore();
    for (let i = 0; i < 5; i++) store.put(b(i), b(i));
    const seen: number[] = [];
    for (const entry of store.all()) {
      seen.push(entry.key[0]!);
      store.delete(b(entry.key[0]! + 1));
      store.put(b(100 + entry.key[0]!), b(0));
    }
    expect(seen).toEqual([0, 2, 4]);
  });

  it('stops yielding after close() on an iterator', () => {
    const store = openStore();
    for (let i = 0; i < 3; i++) store.put(b(i), b(i));
    const iterator = store.all();
    expect(iterator.next().done).toBe(false);
    iterator.close();
    expect(iterator.next().done).toBe(true);
  });

  it('refuses reads and writes once closed, with a STORE_CLOSED error naming the store', () => {
    const store = openStore();
    store.close();
    expect(() => store.get(b(1))).toThrow(expect.objectContaining({ code: 'STORE_CLOSED', message: expect.stringContaining('"store"') }));
    expect(() => store.put(b(1), b(1))).toThrow(expect.objectContaining({ code: 'STORE_CLOSED' }));
  });
});
