import { describe, expect, it } from 'vitest';
import { isStreamsError, partitionForKey, StreamsError } from '../../src/common/index.ts';
import { PunctuationType, Record } from '../../src/processor/index.ts';
import type { Processor, ProcessorContext, RecordMetadata } from '../../src/processor/index.ts';
import { isLegalTransition } from '../../src/runtime/index.ts';
import { Topology } from '../../src/topology/index.ts';
import { MapStore, mapStoreBuilder } from './support/map-store.ts';
import { runningTask } from './support/task-harness.ts';

function caught(fn: () => unknown): StreamsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StreamsError) return e;
    throw e;
  }
  throw new Error('expected a StreamsError');
}

/** Forwards each record with its value upper-cased, to all children or to the child named in the value. */
const upper = (): Processor<string, string, string, string> => {
  let context: ProcessorContext<string, string>;
  return {
    init: (c) => { context = c; },
    process: (record) => {
      const [target, text] = record.value.split(':') as [string, string];
      const out = record.withValue(text.toUpperCase());
      if (target === '*') context.forward(out);
      else context.forward(out, target);
    },
  };
};

function fanOutTopology(): Topology {
  return new Topology()
    .addSource('source', 'input')
    .addProcessor('upper', upper, 'source')
    .addSink('left', 'left-topic', 'upper')
    .addSink('right', 'right-topic', 'upper');
}

describe('forwarding', () => {
  it('sends a record to every child when no child is named', () => {
    const { pipe, collector } = runningTask(fanOutTopology());
    pipe('input', 'k', '*:hello', 1);
    expect(collector.values('left-topic')).toEqual(['HELLO']);
    expect(collector.values('right-topic')).toEqual(['HELLO']);
  });

  it('sends a record only to the named child', () => {
    const { pipe, collector } = runningTask(fanOutTopology());
    pipe('input', 'k', 'right:hi', 1);
    expect(collector.values('left-topic')).toEqual([]);
    expect(collector.values('right-topic')).toEqual(['HI']);
  });

  it('fails naming the processor and its children when the named child does not exist', () => {
    const { pipe } = runningTask(fanOutTopology());
    const error = caught(() => pipe('input', 'k', 'nowhere:x', 1));
    expect(error.code).toBe('TOPOLOGY_ERROR');
    expect(error.message).toContain('"upper"');
    expect(error.message).toContain('"nowhere"');
    expect(error.message).toContain('"left"');
  });

  it('keeps the sink record timestamp and headers of the forwarded record', () => {
    const stamp = (): Processor<string, string, string, string> => {
      let context: ProcessorContext<string, string>;
      return {
        init: (c) => { context = c; },
        process: (r) => context.forward(r.withTimestamp(r.timestamp + 100).withHeaders([{ key: 'h', value: Buffer.from('1') }])),
      };
    };
    const topology = new Topology().addSource('s', 'in').addProcessor('p', stamp, 's').addSink('k', 'out', 'p');
    const { pipe, collector } = runningTask(topology);
    pipe('in', 'a', 'b', 7);
    expect(collector.sent[0]?.timestamp).toBe(107);
    expect(collector.sent[0]?.headers.map((h) => h.key)).toEqual(['h']);
  });
});

describe('state stores', () => {
  const storeUser = (storeName: string): (() => Processor<string, string>) => () => {
    let context: ProcessorContext;
    return {
      init: (c) => { context = c; },
      process: (r) => context.getStateStore<MapStore>(storeName).put(r.key, r.value),
    };
  };

  it('gives a processor the stores connected to it', () => {
    const topology = new Topology()
      .addSource('source', 'input')
      .addProcessor('writer', storeUser('counts'), 'source')
      .addStateStore(mapStoreBuilder('counts'), 'writer');
    const { pipe, task } = runningTask(topology);
    pipe('input', 'a', '1', 1);
    expect((task.getStore('counts') as MapStore).get('a')).toBe('1');
  });

  it('refuses a store that is in the task but not connected, naming processor and store', () => {
    const topology = new Topology()
      .addSource('source', 'input')
      .addProcessor('writer', storeUser('counts'), 'source')
      .addProcessor('other', storeUser('counts'), 'source')
      .addStateStore(mapStoreBuilder('counts'), 'writer');
    const { pipe } = runningTask(topology);
    const error = caught(() => pipe('input', 'a', '1', 1));
    expect(error.code).toBe('UNKNOWN_STATE_STORE');
    expect(error.message).toContain('"other"');
    expect(error.message).toContain('"counts"');
  });

  it('writes a logged store to <application.id>-<store>-changelog on the task partition with the record timestamp', () => {
    const topology = new Topology()
      .addSource('source', 'input')
      .addProcessor('writer', storeUser('counts'), 'source')
      .addStateStore(mapStoreBuilder('counts', true), 'writer');
    const { pipe, collector } = runningTask(topology, { partition: 3, config: { 'application.id': 'shop' } });
    pipe('input', 'a', '1', 42);
    expect(collector.sent).toHaveLength(1);
    expect(collector.sent[0]).toMatchObject({ topic: 'shop-counts-changelog', partition: 3, timestamp: 42 });
    expect(collector.sent[0]?.key?.toString()).toBe('a');
  });

  it('does not log a store whose logging is disabled', () => {
    const topology = new Topology()
      .addSource('source', 'input')
      .addProcessor('writer', storeUser('counts'), 'source')
      .addStateStore(mapStoreBuilder('counts', false), 'writer');
    const { pipe, collector } = runningTask(topology);
    pipe('input', 'a', '1', 42);
    expect(collector.sent).toEqual([]);
  });

  it('commit flushes every store and then the collector', async () => {
    const topology = new Topology()
      .addSource('source', 'input')
      .addProcessor('writer', storeUser('counts'), 'source')
      .addStateStore(mapStoreBuilder('counts'), 'writer');
    const { pipe, task, collector } = runningTask(topology);
    pipe('input', 'a', '1', 1);
    expect(task.commitNeeded).toBe(true);
    await task.commit();
    expect((task.getStore('counts') as MapStore).flushCount).toBe(1);
    expect(collector.flushes).toBe(1);
    expect(task.commitNeeded).toBe(false);
  });
});

describe('record metadata and time', () => {
  it('is the input record topic/partition/offset in process and undefined in a punctuator', () => {
    const seen: Array<RecordMetadata | undefined> = [];
    const topology = new Topology().addSource('source', 'input').addProcessor('p', () => {
      let context: ProcessorContext;
      return {
        init: (c) => {
          context = c;
          c.schedule(100, PunctuationType.STREAM_TIME, () => seen.push(context.recordMetadata()));
        },
        process: () => seen.push(context.recordMetadata()),
      } satisfies Processor<string, string>;
    }, 'source');
    const { pipe } = runningTask(topology, { partition: 2 });
    pipe('input', 'k', 'v', 1);
    pipe('input', 'k', 'v', 2);
    expect(seen).toEqual([
      { topic: 'input', partition: 2, offset: 0 },
      undefined,
      { topic: 'input', partition: 2, offset: 1 },
    ]);
  });

  it('exposes application id, task id, config, stream time and wall-clock time', () => {
    const seen: unknown[] = [];
    const topology = new Topology().addSource('source', 'input').addProcessor('p', () => {
      let c: ProcessorContext;
      return {
        init: (ctx) => { c = ctx; },
        process: () => seen.push([c.applicationId, c.taskId, c.appConfigs['custom'], c.currentStreamTimeMs(), c.currentSystemTimeMs()]),
      } satisfies Processor<string, string>;
    }, 'source');
    const { pipe } = runningTask(topology, { partition: 4, wallClockMs: 777, config: { 'application.id': 'ids', custom: 'x' } });
    pipe('input', 'k', 'v', 50);
    pipe('input', 'k', 'v', 20);
    expect(seen).toEqual([['ids', '0_4', 'x', 50, 777], ['ids', '0_4', 'x', 50, 777]]);
  });

  it('processes buffered records of two input topics in timestamp order', () => {
    const order: string[] = [];
    const topology = new Topology()
      .addSource('source', 'left', 'right')
      .addProcessor('p', () => ({ process: (r: Record<string, string>) => { order.push(`${r.value}@${r.timestamp}`); } }), 'source');
    const { task } = runningTask(topology);
    const rec = (offset: number, value: string, timestamp: number) => ({ offset, key: null, value: Buffer.from(value), timestamp, headers: [] });
    task.addRecords('left', [rec(0, 'l1', 10), rec(1, 'l2', 30), rec(2, 'l3', 31)]);
    task.addRecords('right', [rec(0, 'r1', 5), rec(1, 'r2', 20), rec(2, 'r3', 40)]);
    while (task.process()) { /* drain */ }
    expect(order).toEqual(['r1@5', 'l1@10', 'r2@20', 'l2@30', 'l3@31', 'r3@40']);
    expect(task.committableOffsets()).toEqual(new Map([['right', 3], ['left', 3]]));
  });

  it('uses the source timestamp extractor, which sees the partition time', () => {
    const seen: number[] = [];
    const partitionTimes: number[] = [];
    const topology = new Topology()
      .addSource({ name: 'source', topics: ['input'], timestampExtractor: (r, partitionTime) => { partitionTimes.push(partitionTime); return Number(r.value); } })
      .addProcessor('p', () => ({ process: (r: Record<string, string>) => { seen.push(r.timestamp); } }), 'source');
    const { pipe } = runningTask(topology);
    pipe('input', 'k', '500', 1);
    pipe('input', 'k', '400', 2);
    expect(seen).toEqual([500, 400]);
    expect(partitionTimes).toEqual([-1, 500]);
  });
});

describe('serdes and partitioning', () => {
  it('partitions sink records by murmur2 of the serialized key, and leaves null keys to the collector', () => {
    const topology = new Topology().addSource('s', 'in').addSink('out', 'out-topic', 's');
    const { pipe, collector } = runningTask(topology, { partitions: 6 });
    pipe('in', 'customer-17', 'v', 1);
    pipe('in', null, 'v', 2);
    expect(collector.sent[0]?.partition).toBe(partitionForKey(Buffer.from('customer-17'), 6));
    expect(collector.sent[1]?.partition).toBeUndefined();
  });

  it('uses the sink partitioner when one is given', () => {
    const topology = new Topology()
      .addSource('s', 'in')
      .addSink({ name: 'out', topic: 'out-topic', partitioner: (_t, key, _v, n) => (String(key).length % n) }, 's');
    const { pipe, collector } = runningTask(topology, { partitions: 4 });
    pipe('in', 'abcde', 'v', 1);
    expect(collector.sent[0]?.partition).toBe(1);
  });

  it('fails at construction when a source has no serde and no default is configured', () => {
    const topology = new Topology().addSource('s', 'in').addSink('out', 'out-topic', 's');
    const error = caught(() => runningTask(topology, { config: { 'default.key.serde': undefined } }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('source "s"');
    expect(error.message).toContain('default.key.serde');
  });

  it('names topic, partition and offset when deserialization fails', () => {
    const failing = { serialize: () => null, deserialize: () => { throw new Error('bad bytes'); } };
    const topology = new Topology().addSource({ name: 's', topics: ['in'], valueSerde: failing }).addSink('out', 'out-topic', 's');
    const { pipe } = runningTask(topology, { partition: 1 });
    const error = caught(() => pipe('in', 'k', 'v', 1));
    expect(error.code).toBe('DESERIALIZATION_ERROR');
    expect(error.message).toContain('topic "in" partition 1 offset 0');
    expect(error.location).toEqual({ topic: 'in', partition: 1, offset: 0 });
  });

  it('rejects a negative timestamp, naming where the record is', () => {
    const topology = new Topology().addSource('s', 'in').addSink('out', 'out-topic', 's');
    const { pipe } = runningTask(topology);
    const error = caught(() => pipe('in', 'k', 'v', -1));
    expect(error.code).toBe('INVALID_TIMESTAMP');
    expect(error.message).toContain('topic "in" partition 0 offset 0');
  });
});

describe('processor failures', () => {
  it('wraps what a processor throws in PROCESSOR_ERROR naming processor, task and record, with the cause', () => {
    const boom = new Error('boom');
    const topology = new Topology()
      .addSource('s', 'in')
      .addProcessor('explode', () => ({ process: (r: Record<string, string>) => { if (r.value === 'bad') throw boom; } }), 's');
    const { pipe } = runningTask(topology, { partition: 2 });
    pipe('in', 'k', 'fine', 1);
    const error = caught(() => pipe('in', 'k', 'bad', 2));
    expect(error.code).toBe('PROCESSOR_ERROR');
    expect(error.message).toContain('"explode"');
    expect(error.message).toContain('task 0_2');
    expect(error.message).toContain('topic "in" partition 2 offset 1');
    expect(error.cause).toBe(boom);
  });

  it('wraps a failing punctuator, saying it was a punctuation', () => {
    const topology = new Topology().addSource('s', 'in').addProcessor('tick', () => ({
      init: (c: ProcessorContext) => { c.schedule(10, PunctuationType.STREAM_TIME, () => { throw new Error('tock'); }); },
      process: () => {},
    }), 's');
    const { pipe } = runningTask(topology);
    const error = caught(() => pipe('in', 'k', 'v', 5));
    expect(error.code).toBe('PROCESSOR_ERROR');
    expect(error.message).toContain('"tick"');
    expect(error.message).toContain('punctuat');
  });
});

describe('task states', () => {
  it('follows Kafka\'s transition table', () => {
    expect(isLegalTransition('CREATED', 'RESTORING')).toBe(true);
    expect(isLegalTransition('RESTORING', 'RUNNING')).toBe(true);
    expect(isLegalTransition('RUNNING', 'SUSPENDED')).toBe(true);
    expect(isLegalTransition('SUSPENDED', 'RESTORING')).toBe(true);
    expect(isLegalTransition('SUSPENDED', 'CLOSED')).toBe(true);
    expect(isLegalTransition('RUNNING', 'CLOSED')).toBe(false);
    expect(isLegalTransition('CREATED', 'RUNNING')).toBe(false);
    expect(isLegalTransition('CLOSED', 'RUNNING')).toBe(false);
  });

  it('refuses to process unless RUNNING, and an illegal transition is ILLEGAL_STATE', () => {
    const topology = new Topology().addSource('s', 'in').addSink('out', 'out-topic', 's');
    const { task } = runningTask(topology);
    task.suspend();
    expect(task.state).toBe('SUSPENDED');
    expect(caught(() => task.process()).code).toBe('ILLEGAL_STATE');
    expect(caught(() => task.completeRestoration()).code).toBe('ILLEGAL_STATE');
    task.resume();
    expect(task.state).toBe('RESTORING');
    task.completeRestoration();
    expect(task.state).toBe('RUNNING');
  });

  it('closes processors on suspend, re-initialises them on resume, and closes stores on close', async () => {
    const events: string[] = [];
    const topology = new Topology()
      .addSource('s', 'in')
      .addProcessor('p', () => ({ init: () => { events.push('init'); }, process: () => {}, close: () => { events.push('close'); } }), 's')
      .addStateStore(mapStoreBuilder('store'), 'p');
    const { task } = runningTask(topology);
    const store = task.getStore('store') as MapStore;
    task.suspend();
    task.resume();
    task.completeRestoration();
    await task.close();
    expect(events).toEqual(['init', 'close', 'init', 'close']);
    expect(task.state).toBe('CLOSED');
    expect(store.isOpen()).toBe(false);
    expect(store.flushCount).toBe(1);
  });

  it('restores a store from changelog records while RESTORING', () => {
    const topology = new Topology()
      .addSource('s', 'in')
      .addProcessor('p', () => ({ process: () => {} }), 's')
      .addStateStore(mapStoreBuilder('store', true), 'p');
    const { task } = runningTask(topology);
    task.suspend();
    task.resume();
    task.restore('store', [{ key: Buffer.from('a'), value: Buffer.from('1'), timestamp: 1 }]);
    expect((task.getStore('store') as MapStore).get('a')).toBe('1');
    expect(isStreamsError(caught(() => task.restore('missing', [])), 'UNKNOWN_STATE_STORE')).toBe(true);
  });
});
