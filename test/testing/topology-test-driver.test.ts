import { describe, expect, it } from 'vitest';
import { isStreamsError, StreamsError } from '../../src/common/index.ts';
import { PunctuationType } from '../../src/processor/index.ts';
import type { Processor, ProcessorContext, Record } from '../../src/processor/index.ts';
import type { StateStore, StateStoreContext, StoreBuilder } from '../../src/state/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';
import { Topology } from '../../src/topology/index.ts';
import { MapStore, mapStoreBuilder } from '../runtime/support/map-store.ts';
import { Serdes } from '../../src/serde/index.ts';

const longSerde = Serdes.Long();
const stringSerde = Serdes.String();

const config = { 'application.id': 'app', 'default.key.serde': stringSerde, 'default.value.serde': stringSerde };

function caught(fn: () => unknown): StreamsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StreamsError) return e;
    throw e;
  }
  throw new Error('expected a StreamsError');
}

/** Forwards each record with an upper-cased value. */
const upper = (): Processor<string, string, string, string> => {
  let context: ProcessorContext<string, string>;
  return { init: (c) => { context = c; }, process: (r) => context.forward(r.withValue(r.value.toUpperCase())) };
};

/** Puts each record into the MapStore named `storeName`. */
const writer = (storeName: string) => (): Processor<string, string> => {
  let context: ProcessorContext;
  return { init: (c) => { context = c; }, process: (r) => context.getStateStore<MapStore>(storeName).put(r.key, r.value) };
};

function upperTopology(): Topology {
  return new Topology().addSource('source', 'input').addProcessor('upper', upper, 'source').addSink('sink', 'output', 'upper');
}

describe('input and output topics', () => {
  it('pipes records through the topology and reads them back in order', async () => {
    const driver = new TopologyTestDriver(upperTopology(), config);
    const input = driver.createInputTopic('input', stringSerde, stringSerde);
    const output = driver.createOutputTopic('output', stringSerde, stringSerde);
    await input.pipeInput('k1', 'a', 5);
    await input.pipeInput('k2', 'b', 6);
    await input.pipeInput('c');
    expect(output.getQueueSize()).toBe(3);
    expect(output.readKeyValue()).toEqual({ key: 'k1', value: 'A' });
    expect(output.readRecord()).toEqual({ key: 'k2', value: 'B', timestamp: 6, headers: [] });
    expect(output.readValue()).toBe('C');
    expect(output.isEmpty()).toBe(true);
    await driver.close();
  });

  it('keeps records until read, so a handle opened later reads them; reading consumes them for every handle on the topic', async () => {
    const driver = new TopologyTestDriver(upperTopology(), config);
    const input = driver.createInputTopic('input', stringSerde, stringSerde);
    await input.pipeValueList(['x', 'y', 'z']);
    const first = driver.createOutputTopic('output', stringSerde, stringSerde);
    expect(first.readValue()).toBe('X');
    const second = driver.createOutputTopic('output', stringSerde, stringSerde);
    expect(second.getQueueSize()).toBe(2);
    expect(second.readValue()).toBe('Y');
    expect(first.readValuesToList()).toEqual(['Z']);
    expect(second.isEmpty()).toBe(true);
    await input.pipeInput('w');
    expect(second.readValuesToList()).toEqual(['W']);
    expect(first.isEmpty()).toBe(true);
    expect(driver.producedRecords('output')).toHaveLength(4);
    await driver.close();
  });

  it('reading an exhausted topic throws EMPTY_TOPIC, a topic never produced to and not in the topology UNKNOWN_TOPIC_IN_DRIVER', async () => {
    const driver = new TopologyTestDriver(upperTopology(), config);
    const output = driver.createOutputTopic('output', stringSerde, stringSerde);
    const empty = caught(() => output.readValue());
    expect(empty.code).toBe('EMPTY_TOPIC');
    expect(empty.message).toBe('Empty topic: output');
    const unknown = caught(() => driver.createOutputTopic('elsewhere', stringSerde, stringSerde).readRecord());
    expect(unknown.code).toBe('UNKNOWN_TOPIC_IN_DRIVER');
    expect(unknown.message).toBe('Unknown topic: elsewhere');
    await driver.createInputTopic('input', stringSerde, stringSerde).pipeInput('k', 'v', 1);
    output.readValue();
    expect(caught(() => output.readValue()).message).toBe('Empty topic: output');
  });

  it('refuses an input topic the topology does not read, naming it and the source topics', () => {
    const driver = new TopologyTestDriver(upperTopology(), config);
    const error = caught(() => driver.createInputTopic('typo', stringSerde, stringSerde));
    expect(error.code).toBe('UNKNOWN_TOPIC_IN_DRIVER');
    expect(error.message).toContain('typo');
    expect(error.message).toContain('"input"');
  });

  it('reads lists, key-value lists and maps (latest value per key wins)', async () => {
    const driver = new TopologyTestDriver(upperTopology(), config);
    const input = driver.createInputTopic('input', stringSerde, stringSerde);
    await input.pipeKeyValueList([{ key: 'a', value: 'one' }, { key: 'b', value: 'two' }, { key: 'a', value: 'three' }]);
    const output = driver.createOutputTopic('output', stringSerde, stringSerde);
    expect(output.readKeyValuesToList()).toEqual([{ key: 'a', value: 'ONE' }, { key: 'b', value: 'TWO' }, { key: 'a', value: 'THREE' }]);
    await input.pipeKeyValueList([{ key: 'a', value: 'one' }, { key: 'b', value: 'two' }, { key: 'a', value: 'three' }]);
    expect(output.readKeyValuesToMap()).toEqual(new Map([['a', 'THREE'], ['b', 'TWO']]));
  });

  it('gives records without a timestamp the topic time, auto-advanced; explicit timestamps leave it alone', async () => {
    const driver = new TopologyTestDriver(upperTopology(), config);
    const input = driver.createInputTopic('input', stringSerde, stringSerde, { startTimestamp: 1_000, autoAdvance: 10 });
    await input.pipeInput('a');
    await input.pipeInput('k', 'b');
    await input.pipeInput('k', 'c', 5);
    input.advanceTime(100);
    await input.pipeRecordList([{ value: 'd' }, { key: 'k', value: 'e', timestamp: 7, headers: [{ key: 'h', value: null }] }]);
    const records = driver.createOutputTopic('output', stringSerde, stringSerde).readRecordsToList();
    expect(records.map((r) => r.timestamp)).toEqual([1_000, 1_010, 5, 1_120, 7]);
    expect(records[4]?.headers).toEqual([{ key: 'h', value: null }]);
  });

  it('starts input topic time at the driver wall-clock time when no start is given', async () => {
    const driver = new TopologyTestDriver(upperTopology(), config, 42_000);
    await driver.createInputTopic('input', stringSerde, stringSerde).pipeInput('a');
    expect(driver.createOutputTopic('output', stringSerde, stringSerde).readRecord().timestamp).toBe(42_000);
  });
});

describe('sources and sinks', () => {
  it('reads every topic matching a source pattern', async () => {
    const topology = new Topology()
      .addSource({ name: 'events', pattern: /^events-/ })
      .addProcessor('upper', upper, 'events')
      .addSink('sink', 'output', 'upper');
    const driver = new TopologyTestDriver(topology, config);
    await driver.createInputTopic('events-a', stringSerde, stringSerde).pipeInput('k', 'a', 1);
    await driver.createInputTopic('events-b', stringSerde, stringSerde).pipeInput('k', 'b', 2);
    expect(driver.createOutputTopic('output', stringSerde, stringSerde).readValuesToList()).toEqual(['A', 'B']);
    expect(() => driver.createInputTopic('other', stringSerde, stringSerde)).toThrow(/Unknown topic: other/);
  });

  it('routes records to the topic a topic-name extractor picks, which sees the input record context', async () => {
    const contexts: Array<string | undefined> = [];
    const topology = new Topology()
      .addSource('source', 'input')
      .addSink('router', (key: unknown, _value: unknown, context) => { contexts.push(context.topic); return `out-${String(key)}`; }, 'source');
    const driver = new TopologyTestDriver(topology, config);
    const input = driver.createInputTopic('input', stringSerde, stringSerde);
    await input.pipeInput('red', 'r1', 1);
    await input.pipeInput('blue', 'b1', 2);
    await input.pipeInput('red', 'r2', 3);
    expect(driver.createOutputTopic('out-red', stringSerde, stringSerde).readValuesToList()).toEqual(['r1', 'r2']);
    expect(driver.createOutputTopic('out-blue', stringSerde, stringSerde).readValuesToList()).toEqual(['b1']);
    expect(contexts).toEqual(['input', 'input', 'input']);
  });

  it('readKeyValuesToMap refuses a record with a null key', async () => {
    const driver = new TopologyTestDriver(upperTopology(), config);
    await driver.createInputTopic('input', stringSerde, stringSerde).pipeInput('no key');
    expect(caught(() => driver.createOutputTopic('output', stringSerde, stringSerde).readKeyValuesToMap()).code).toBe('ILLEGAL_STATE');
  });
});

describe('sub-topologies and internal topics', () => {
  it('feeds records written to a repartition topic to the sub-topology that reads it, within one pipe', async () => {
    const rekey = (): Processor<string, string, string, string> => {
      let context: ProcessorContext<string, string>;
      return { init: (c) => { context = c; }, process: (r) => context.forward(r.withKey(r.value)) };
    };
    const count = (): Processor<string, string, string, number> => {
      const counts = new Map<string, number>();
      let context: ProcessorContext<string, number>;
      return {
        init: (c) => { context = c; },
        process: (r) => {
          const n = (counts.get(r.key) ?? 0) + 1;
          counts.set(r.key, n);
          context.forward(r.withValue(n));
        },
      };
    };
    const topology = new Topology()
      .addSource('source', 'words')
      .addProcessor('rekey', rekey, 'source')
      .addSink('to-repartition', 'by-word-repartition', 'rekey')
      .addSource('from-repartition', 'by-word-repartition')
      .addProcessor('count', count, 'from-repartition')
      .addSink({ name: 'sink', topic: 'counts', valueSerde: longSerde }, 'count')
      .addInternalTopic('by-word-repartition', 'repartition');
    const driver = new TopologyTestDriver(topology, config);
    const words = driver.createInputTopic('words', stringSerde, stringSerde);
    await words.pipeInput('u1', 'kafka', 1);
    await words.pipeInput('u2', 'kafka', 2);
    await words.pipeInput('u3', 'streams', 3);
    const counts = driver.createOutputTopic('counts', stringSerde, longSerde);
    expect(counts.readKeyValuesToList()).toEqual([
      { key: 'kafka', value: 1 }, { key: 'kafka', value: 2 }, { key: 'streams', value: 1 },
    ]);
    expect(driver.producedTopicNames()).toEqual(new Set(['app-by-word-repartition', 'counts']));
  });
});

describe('punctuation in the driver', () => {
  function punctuating(type: PunctuationType, log: number[]): Topology {
    return new Topology().addSource('source', 'input').addProcessor('p', () => ({
      init: (c: ProcessorContext) => { c.schedule(10, type, (ts) => log.push(ts)); },
      process: () => {},
    }), 'source');
  }

  it('fires wall-clock punctuators when wall-clock time is advanced, once per advance however far', async () => {
    const log: number[] = [];
    const driver = new TopologyTestDriver(punctuating(PunctuationType.WALL_CLOCK_TIME, log), config, 0);
    await driver.advanceWallClockTime(9);
    expect(log).toEqual([]);
    await driver.advanceWallClockTime(1);
    expect(log).toEqual([10]);
    await driver.advanceWallClockTime(35);
    expect(log).toEqual([10, 45]);
    await driver.advanceWallClockTime(5);
    expect(log).toEqual([10, 45, 50]);
  });

  it('punctuates stream time after each piped record', async () => {
    const log: number[] = [];
    const driver = new TopologyTestDriver(punctuating(PunctuationType.STREAM_TIME, log), config);
    const input = driver.createInputTopic('input', stringSerde, stringSerde);
    await input.pipeInput('k', 'v', 3);
    await input.pipeInput('k', 'v', 12);
    await input.pipeInput('k', 'v', 15);
    expect(log).toEqual([3, 12]);
  });
});

describe('state stores in the driver', () => {
  it('exposes stores by name and records changelog topics among the produced topics', async () => {
    const topology = new Topology()
      .addSource('source', 'input')
      .addProcessor('writer', writer('latest'), 'source')
      .addStateStore(mapStoreBuilder('latest', true), 'writer');
    const driver = new TopologyTestDriver(topology, config);
    await driver.createInputTopic('input', stringSerde, stringSerde).pipeInput('a', '1', 1);
    expect(driver.getStateStore<MapStore>('latest')?.get('a')).toBe('1');
    expect(driver.getStateStore('missing')).toBeUndefined();
    expect(driver.producedTopicNames()).toEqual(new Set(['app-latest-changelog']));
  });

  it('commits after every input, so a store flush (a cache) forwards before the next record', async () => {
    const flushed: string[] = [];
    /** Buffers writes and forwards them downstream on flush, as a caching store does. */
    class BufferingStore implements StateStore {
      readonly persistent = false;
      readonly buffered: Array<Record<string, string>> = [];
      onFlush: ((records: Array<Record<string, string>>) => void) | undefined;
      private open = false;
      constructor(readonly name: string) {}
      init(context: StateStoreContext, root: StateStore): void { context.register(root, () => {}); this.open = true; }
      flush(): void { this.onFlush?.(this.buffered.splice(0)); }
      close(): void { this.open = false; }
      isOpen(): boolean { return this.open; }
    }
    const builder: StoreBuilder<BufferingStore> = {
      name: 'buffer', loggingEnabled: false, cachingEnabled: true, logConfig: {},
      withCachingEnabled: () => builder, withCachingDisabled: () => builder,
      withLoggingEnabled: () => builder, withLoggingDisabled: () => builder,
      build: () => new BufferingStore('buffer'),
    };
    const topology = new Topology()
      .addSource('source', 'input')
      .addProcessor('buffering', (): Processor<string, string, string, string> => {
        let store: BufferingStore;
        return {
          init: (c) => {
            store = c.getStateStore<BufferingStore>('buffer');
            store.onFlush = (records) => { for (const r of records) c.forward(r); };
          },
          process: (r) => { store.buffered.push(r); },
        };
      }, 'source')
      .addProcessor('observe', () => ({ process: (r: Record<string, string>) => { flushed.push(r.value); } }), 'buffering')
      .addStateStore(builder, 'buffering');
    const driver = new TopologyTestDriver(topology, config);
    const input = driver.createInputTopic('input', stringSerde, stringSerde);
    await input.pipeInput('k', 'first', 1);
    expect(flushed).toEqual(['first']);
    await input.pipeInput('k', 'second', 2);
    expect(flushed).toEqual(['first', 'second']);
  });

  it('feeds a global topic into its global store, which every processor can read without connecting it', async () => {
    const enriched: string[] = [];
    const topology = new Topology()
      .addGlobalStore(mapStoreBuilder('users', false), {
        sourceName: 'users-source', topic: 'users', processorName: 'users-loader',
        stateUpdateSupplier: writer('users'),
      })
      .addSource('source', 'orders')
      .addProcessor('enrich', (): Processor<string, string> => {
        let context: ProcessorContext;
        return {
          init: (c) => { context = c; },
          process: (r) => { enriched.push(`${r.value} by ${context.getStateStore<MapStore>('users').get(r.key) ?? '?'}`); },
        };
      }, 'source');
    const driver = new TopologyTestDriver(topology, config);
    await driver.createInputTopic('users', stringSerde, stringSerde).pipeInput('u1', 'Alice', 1);
    await driver.createInputTopic('orders', stringSerde, stringSerde).pipeInput('u1', 'book', 2);
    expect(enriched).toEqual(['book by Alice']);
    expect(driver.getStateStore<MapStore>('users')?.get('u1')).toBe('Alice');
  });

  it('getKeyValueStore refuses a store that is not a key-value store', () => {
    const topology = new Topology()
      .addSource('source', 'input')
      .addProcessor('writer', writer('latest'), 'source')
      .addStateStore(mapStoreBuilder('latest'), 'writer');
    const driver = new TopologyTestDriver(topology, config);
    expect(caught(() => driver.getKeyValueStore('latest')).message).toContain('"latest" is not a key-value store');
    expect(driver.getKeyValueStore('missing')).toBeUndefined();
  });

  it('getWindowStore and getSessionStore say when the named store is not of their kind', () => {
    const topology = new Topology()
      .addSource('source', 'input')
      .addProcessor('writer', writer('latest'), 'source')
      .addStateStore(mapStoreBuilder('latest'), 'writer');
    const driver = new TopologyTestDriver(topology, config);
    expect(caught(() => driver.getWindowStore('latest')).message).toContain('"latest" is not a window store');
    expect(caught(() => driver.getSessionStore('latest')).message).toContain('"latest" is not a session store');
    expect(driver.getWindowStore('missing')).toBeUndefined();
  });
});

describe('failures and closing', () => {
  it('rejects the pipe with PROCESSOR_ERROR when a processor throws', async () => {
    const topology = new Topology().addSource('source', 'input').addProcessor('explode', () => ({ process: () => { throw new Error('boom'); } }), 'source');
    const driver = new TopologyTestDriver(topology, config);
    const error = await driver.createInputTopic('input', stringSerde, stringSerde).pipeInput('k', 'v', 1).catch((e: unknown) => e);
    expect(isStreamsError(error, 'PROCESSOR_ERROR')).toBe(true);
    expect((error as StreamsError).message).toContain('topic "input" partition 0 offset 0');
  });

  it('close() closes processors and stores; the driver then refuses work', async () => {
    const events: string[] = [];
    const topology = new Topology()
      .addSource('source', 'input')
      .addProcessor('p', () => ({ process: () => {}, close: () => { events.push('closed'); } }), 'source')
      .addStateStore(mapStoreBuilder('s'), 'p');
    const driver = new TopologyTestDriver(topology, config);
    const input = driver.createInputTopic('input', stringSerde, stringSerde);
    const store = driver.getStateStore<MapStore>('s')!;
    await driver.close();
    expect(events).toEqual(['closed']);
    expect(store.isOpen()).toBe(false);
    const error = await input.pipeInput('k', 'v', 1).catch((e: unknown) => e);
    expect(isStreamsError(error, 'ILLEGAL_STATE')).toBe(true);
  });

  it('waits for stores whose init is asynchronous before processing', async () => {
    class SlowStore extends MapStore {
      override init(context: StateStoreContext, root: StateStore): Promise<void> {
        return Promise.resolve().then(() => super.init(context, root));
      }
    }
    const builder = { ...mapStoreBuilder('slow'), build: () => new SlowStore('slow') };
    const topology = new Topology()
      .addSource('source', 'input')
      .addProcessor('writer', writer('slow'), 'source')
      .addStateStore(builder, 'writer');
    const driver = new TopologyTestDriver(topology, config);
    await driver.createInputTopic('input', stringSerde, stringSerde).pipeInput('a', '1', 1);
    expect(driver.getStateStore<SlowStore>('slow')?.get('a')).toBe('1');
    await driver.close();
  });

  it('pipes a list in order when some commits are asynchronous, and stops it at a record that fails', async () => {
    const flushed: string[] = [];
    /** Flushes asynchronously after every second record, as a store writing to disk in batches. */
    class SometimesSlowStore extends MapStore {
      override flush(): void | Promise<void> {
        const value = this.get('last');
        if (value === null || value === undefined) return undefined;
        if (Number(value) % 2 === 0) return Promise.resolve().then(() => void flushed.push(value));
        flushed.push(value);
        return undefined;
      }
    }
    const builder = { ...mapStoreBuilder('s'), build: () => new SometimesSlowStore('s') };
    const topology = new Topology()
      .addSource('source', 'input')
      .addProcessor('writer', (): Processor<string, string> => {
        let store: MapStore;
        return {
          init: (c) => { store = c.getStateStore<MapStore>('s'); },
          process: (r) => {
            if (r.value === 'bad') throw new Error('bad record');
            store.put('last', r.value);
          },
        };
      }, 'source')
      .addStateStore(builder, 'writer');
    const driver = new TopologyTestDriver(topology, config);
    const input = driver.createInputTopic('input', stringSerde, stringSerde);
    await input.pipeKeyValueList(['1', '2', '3', '4', '5'].map((value) => ({ key: 'k', value })));
    expect(flushed).toEqual(['1', '2', '3', '4', '5']);

    const error = await input.pipeValueList(['6', 'bad', '7']).catch((e: unknown) => e);
    expect(isStreamsError(error, 'PROCESSOR_ERROR')).toBe(true);
    expect(flushed).toEqual(['1', '2', '3', '4', '5', '6']);
  });
});
