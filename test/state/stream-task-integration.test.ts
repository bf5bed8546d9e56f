import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/common/index.ts';
import { Record } from '../../src/processor/index.ts';
import type { Processor, ProcessorContext } from '../../src/processor/index.ts';
import { StreamTask } from '../../src/runtime/index.ts';
import type { ProducedRecord, RecordCollector } from '../../src/runtime/index.ts';
import { Stores, TaskRecordCache } from '../../src/state/index.ts';
import type { CachedStateStore, TimestampedKeyValueStore, ValueAndTimestamp } from '../../src/state/index.ts';
import { Topology } from '../../src/topology/index.ts';
import { Serdes } from '../../src/serde/index.ts';

const longSerde = Serdes.Long();
const stringSerde = Serdes.String();

class ArrayCollector implements RecordCollector {
  readonly sent: ProducedRecord[] = [];
  send(record: ProducedRecord): void {
    this.sent.push(record);
  }
  partitionsFor(): number {
    return 1;
  }
  flush(): void {}
}

type CountStore = TimestampedKeyValueStore<string, number> & CachedStateStore<string, ValueAndTimestamp<number>>;

/**
 * Counts per key into a timestamped store and forwards the counts (as strings) the way a DSL KTable does: through
 * the cache's flush listener when caching is on, else on every update.
 */
const counter = (): Processor<string, string, string, string> => {
  let context: ProcessorContext<string, string>;
  let store: CountStore;
  let forwardsItself = true;
  return {
    init: (c) => {
      context = c;
      store = c.getStateStore<CountStore>('counts');
      forwardsItself = !store.setFlushListener((u) => {
        if (u.newValue !== null) context.forward(new Record(u.key, String(u.newValue.value), u.timestamp));
      }, false);
    },
    process: (record) => {
      const count = (store.get(record.key)?.value ?? 0) + 1;
      store.put(record.key, { value: count, timestamp: record.timestamp });
      if (forwardsItself) context.forward(record.withValue(String(count)));
    },
  };
};

function countingTask(cacheMaxBytes: number) {
  const topology = new Topology()
    .addSource('source', 'words')
    .addProcessor('count', counter, 'source')
    .addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore('counts'), stringSerde, longSerde).withCachingEnabled(), 'count')
    .addSink('sink', 'word-counts', 'count');
  const collector = new ArrayCollector();
  const task = new StreamTask({
    topology: { subtopologyId: 0, nodes: [...topology.nodes.values()], stores: [...topology.stores.values()], topicName: (name) => name },
    partition: 0,
    config: { 'application.id': 'app', 'default.key.serde': stringSerde, 'default.value.serde': stringSerde, 'statestore.cache.max.bytes': cacheMaxBytes },
    collector,
    clock: new ManualClock(0),
    createRecordCache: (maxBytes) => new TaskRecordCache(maxBytes),
  });
  const initialised = task.initializeIfNeeded();
  if (initialised instanceof Promise) throw new Error('in-memory stores initialise synchronously');
  task.completeRestoration();
  let offset = 0;
  const pipe = (word: string, timestamp: number) => {
    task.addRecords('words', [{ offset: offset++, key: Buffer.from(word), value: Buffer.from(word), timestamp, headers: [] }]);
    while (task.process()) task.maybePunctuateStreamTime();
  };
  // Outputs carry the count as a string; the changelog carries the store's Long bytes.
  const sentTo = (topic: string) => collector.sent.filter((r) => r.topic === topic).map((r) => {
    const value = r.value === null ? null : topic === 'word-counts' ? Number(r.value.toString()) : longSerde.deserialize(topic, r.value);
    return [r.key?.toString(), value, r.timestamp];
  });
  return { task, pipe, sentTo };
}

describe('stores inside a StreamTask', () => {
  it('with caching, forward one count per key per commit and log it once, stamped with the last update', async () => {
    const { task, pipe, sentTo } = countingTask(10 * 1024 * 1024);
    pipe('a', 1);
    pipe('a', 2);
    pipe('b', 3);
    pipe('a', 4);
    expect(sentTo('word-counts')).toEqual([]);
    await task.commit();
    expect(sentTo('word-counts')).toEqual([['b', 1, 3], ['a', 3, 4]]);
    expect(sentTo('app-counts-changelog')).toEqual([['b', 1, 3], ['a', 3, 4]]);
  });

  it('with statestore.cache.max.bytes = 0, forward and log every update', () => {
    const { pipe, sentTo } = countingTask(0);
    pipe('a', 1);
    pipe('a', 2);
    expect(sentTo('word-counts')).toEqual([['a', 1, 1], ['a', 2, 2]]);
    expect(sentTo('app-counts-changelog')).toEqual([['a', 1, 1], ['a', 2, 2]]);
  });
});
