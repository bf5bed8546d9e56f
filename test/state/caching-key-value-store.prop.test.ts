import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { setLogSink } from '../../src/common/index.ts';
import type { LogSink } from '../../src/common/index.ts';
import { CachingKeyValueStore } from '../../src/state/caching-key-value-store.ts';
import { InMemoryKeyValueStore } from '../../src/state/in-memory-key-value-store.ts';
import { CACHE_ENTRY_OVERHEAD_BYTES, TaskRecordCache } from '../../src/state/task-record-cache.ts';
import type { KeyValueIterator } from '../../src/state/index.ts';
import { FakeStoreContext } from './support/fake-store-context.ts';

// Inverted ranges log a warning by design; keep the output clean.
let previousSink: LogSink | undefined;
beforeEach(() => {
  previousSink = setLogSink(() => undefined);
});
afterEach(() => {
  if (previousSink !== undefined) setLogSink(previousSink);
});

const keyArb = fc.constantFrom('a', 'b', 'ba', 'bb', 'c', 'd', 'e', '\u00ff').map((k) => Buffer.from(k, 'latin1'));
const valueArb = fc.constantFrom('1', '22', '333').map((v) => Buffer.from(v));

type Op =
  | { kind: 'put'; key: Buffer; value: Buffer | null }
  | { kind: 'delete' | 'get'; key: Buffer }
  | { kind: 'range' | 'reverseRange'; from: Buffer | null; to: Buffer | null }
  | { kind: 'prefixScan'; prefix: Buffer }
  | { kind: 'flush' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('put' as const), key: keyArb, value: fc.option(valueArb, { freq: 5 }) }) },
  fc.record({ kind: fc.constantFrom('delete' as const, 'get' as const), key: keyArb }),
  fc.record({ kind: fc.constantFrom('range' as const, 'reverseRange' as const), from: fc.option(keyArb), to: fc.option(keyArb) }),
  fc.record({ kind: fc.constant('prefixScan' as const), prefix: keyArb }),
  fc.record({ kind: fc.constant('flush' as const) }),
);

const bytesSerde = { serialize: (_t: string, d: Buffer | null) => d, deserialize: (_t: string, d: Buffer | null) => d };
const drain = (it: KeyValueIterator<Buffer, Buffer>) => [...it].map((e) => `${e.key.toString('latin1')}=${e.value}`);

describe('CachingKeyValueStore compared with an uncached store', () => {
  it('reads like a plain store for any writes, flushes and cache size, and ends with the same content', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), fc.integer({ min: 0, max: 6 }), (ops, entriesThatFit) => {
        const cache = new TaskRecordCache(entriesThatFit * (3 + CACHE_ENTRY_OVERHEAD_BYTES));
        const below = new InMemoryKeyValueStore('s');
        const cached = new CachingKeyValueStore(below);
        cached.init(new FakeStoreContext({ cache }), cached);
        const plain = new InMemoryKeyValueStore('s');
        plain.init(new FakeStoreContext(), plain);
        // What downstream learns from flushes must end at the same latest value per key.
        const forwarded = new Map<string, string | null>();
        cached.setFlushListener((key, value) => forwarded.set(key.toString('latin1'), value === null ? null : value.toString()), false);

        for (const op of ops) {
          switch (op.kind) {
            case 'put':
              cached.put(op.key, op.value);
              plain.put(op.key, op.value);
              break;
            case 'delete':
              expect(cached.delete(op.key)).toEqual(plain.delete(op.key));
              break;
            case 'get':
              expect(cached.get(op.key)).toEqual(plain.get(op.key));
              break;
            case 'range':
              expect(drain(cached.range(op.from, op.to))).toEqual(drain(plain.range(op.from, op.to)));
              break;
            case 'reverseRange':
              expect(drain(cached.reverseRange(op.from, op.to))).toEqual(drain(plain.reverseRange(op.from, op.to)));
              break;
            case 'prefixScan':
              expect(drain(cached.prefixScan(op.prefix, bytesSerde))).toEqual(drain(plain.prefixScan(op.prefix, bytesSerde)));
              break;
            case 'flush':
              cached.flush();
              break;
          }
          expect(cache.sizeBytes()).toBeLessThanOrEqual(cache.maxBytes);
        }
        cached.flush();
        expect(drain(below.all())).toEqual(drain(plain.all()));
        for (const [key, value] of forwarded) {
          const now = plain.get(Buffer.from(key, 'latin1'));
          expect(value).toEqual(now === null ? null : now.toString());
        }
      }),
      { seed: 1337, numRuns: 400 },
    );
  });
});
