import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LevelDbKeyValueStore, Stores } from '../../src/state/index.ts';
import { Serdes } from '../../src/serde/index.ts';
import { isStreamsError } from '../../src/common/index.ts';
import { FakeStoreContext } from './support/fake-store-context.ts';
import { Consumed, Materialized, StreamsBuilder } from '../../src/dsl/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { tempDir } from '../support/temp-dir.ts';

const b = (s: string) => Buffer.from(s, 'latin1');
const text = (buf: Buffer | null) => (buf === null ? null : buf.toString('latin1'));

async function openStore(stateDir: string, name = 'store'): Promise<LevelDbKeyValueStore> {
  const store = new LevelDbKeyValueStore(name);
  const context = new FakeStoreContext({ stateDir });
  await store.init(context, store);
  return store;
}

function entries(iterator: Iterable<{ key: Buffer; value: Buffer }>): Array<[string, string]> {
  return [...iterator].map(({ key, value }) => [key.toString('latin1'), value.toString('latin1')]);
}

describe('LevelDbKeyValueStore', () => {
  it('keeps what was flushed across close and reopen, in unsigned byte order', async () => {
    const dir = tempDir();
    let store = await openStore(dir);
    store.put(b('b'), b('2'));
    store.put(b('\xff'), b('high'));
    store.put(b('a'), b('1'));
    store.put(b('c'), b('3'));
    store.delete(b('c'));
    await store.flush();
    await store.close();
    store = await openStore(dir);
    expect(entries(store.all())).toEqual([['a', '1'], ['b', '2'], ['\xff', 'high']]);
    expect(entries(store.reverseRange(b('a'), b('b')))).toEqual([['b', '2'], ['a', '1']]);
    expect(text(store.get(b('c')))).toBeNull();
    expect(store.approximateNumEntries()).toBe(3);
    expect(store.location).toMatch(/store$/);
    await store.close();
  });

  it('reads its own unflushed writes, and close flushes them', async () => {
    const dir = tempDir();
    let store = await openStore(dir);
    store.put(b('k'), b('v1'));
    await store.flush();
    store.put(b('k'), b('v2'));
    store.put(b('gone'), b('x'));
    store.delete(b('gone'));
    expect(text(store.get(b('k')))).toBe('v2');
    expect(text(store.get(b('gone')))).toBeNull();
    await store.close();
    store = await openStore(dir);
    expect(text(store.get(b('k')))).toBe('v2');
    await store.close();
  });

  it('behaves like a sorted map under any writes, flushes and reopens (property)', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), key: fc.string({ unit: 'binary-ascii', maxLength: 4 }), value: fc.string({ maxLength: 4 }) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.string({ unit: 'binary-ascii', maxLength: 4 }) }),
      fc.record({ kind: fc.constantFrom('flush' as const, 'reopen' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const dir = tempDir();
        let store = await openStore(dir);
        const model = new Map<string, string>();
        for (const o of ops) {
          if (o.kind === 'put') {
            store.put(b(o.key), Buffer.from(o.value));
            model.set(o.key, o.value);
          } else if (o.kind === 'delete') {
            store.delete(b(o.key));
            model.delete(o.key);
          } else if (o.kind === 'flush') {
            await store.flush();
          } else {
            await store.close();
            store = await openStore(dir);
          }
        }
        const expected = [...model].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
        expect([...store.all()].map(({ key, value }) => [key.toString('latin1'), value.toString()])).toEqual(expected);
        await store.close();
      }),
      { seed: 61, numRuns: 40 },
    );
  });

  it('as the bottom of a typed store built by Stores.persistentKeyValueStore', async () => {
    const dir = tempDir();
    const builder = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('counts'), Serdes.String(), Serdes.Long()).withLoggingDisabled();
    const store = builder.build();
    await store.init(new FakeStoreContext({ stateDir: dir }), store);
    expect(store.persistent).toBe(true);
    store.put('alice', 3);
    expect(store.get('alice')).toBe(3);
    await store.close();
    const again = builder.build();
    await again.init(new FakeStoreContext({ stateDir: dir }), again);
    expect(again.get('alice')).toBe(3);
    await again.close();
  });

  it('needs a state directory and says which config sets it', async () => {
    const store = new LevelDbKeyValueStore('counts');
    let error: unknown;
    try {
      await store.init(new FakeStoreContext(), store);
    } catch (e) {
      error = e;
    }
    expect(isStreamsError(error, 'INVALID_CONFIG')).toBe(true);
    expect(String(error)).toMatch(/persistent store "counts" needs a state directory; set "state.dir"/);
  });

  it('backs a DSL aggregation in the test driver, and keeps its state for the next driver on the same state.dir', async () => {
    const dir = tempDir();
    const build = () => {
      const builder = new StreamsBuilder();
      builder
        .stream<string, number>('amounts', Consumed.with(Serdes.String(), Serdes.Long()))
        .groupByKey()
        .aggregate(() => 0, (_k, v, total) => total + v, Materialized.as<string, number>(Stores.persistentKeyValueStore('totals')).withValueSerde(Serdes.Long()).withLoggingDisabled());
      return builder.build();
    };
    let driver = new TopologyTestDriver(build(), { 'application.id': 'persist', 'state.dir': dir });
    await driver.createInputTopic('amounts', Serdes.String(), Serdes.Long()).pipeKeyValueList([{ key: 'a', value: 2 }, { key: 'a', value: 5 }]);
    expect(driver.getKeyValueStore<string, number>('totals')!.get('a')).toBe(7);
    await driver.close();
    driver = new TopologyTestDriver(build(), { 'application.id': 'persist', 'state.dir': dir });
    await driver.createInputTopic('amounts', Serdes.String(), Serdes.Long()).pipeInput('a', 1);
    expect(driver.getKeyValueStore<string, number>('totals')!.get('a')).toBe(8);
    await driver.close();
  });
});
