import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Consumed, EmitStrategy, Materialized, Produced, StreamsBuilder, TimeWindows, droppedLateRecords } from '../../../src/dsl/index.ts';
import { Serdes } from '../../../src/serde/index.ts';
import { runWindowed, timeWindowed } from './support.ts';

function windowedCount(windows: TimeWindows, storeName: string, emit = EmitStrategy.onWindowUpdate()) {
  const builder = new StreamsBuilder();
  builder.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .windowedBy(windows)
    .emitStrategy(emit)
    .count(Materialized.as(storeName))
    .toStream()
    .to('output', Produced.with(timeWindowed(windows.size()), Serdes.Long()));
  return builder.build();
}

describe('TimeWindows', () => {
  it('assigns a record to every hopping window containing it, aligned to the epoch, none starting before 0', () => {
    const hopping = TimeWindows.ofSizeWithNoGrace(10).advanceBy(5);
    expect(hopping.windowsFor(7)).toEqual([{ start: 0, end: 10 }, { start: 5, end: 15 }]);
    expect(hopping.windowsFor(3)).toEqual([{ start: 0, end: 10 }]);
    expect(hopping.windowsFor(10)).toEqual([{ start: 5, end: 15 }, { start: 10, end: 20 }]);
    expect(TimeWindows.ofSizeWithNoGrace(10).windowsFor(19)).toEqual([{ start: 10, end: 20 }]);
  });

  it('rejects an advance larger than the size, and non-positive sizes', () => {
    expect(() => TimeWindows.ofSizeWithNoGrace(10).advanceBy(11)).toThrow(/at most the window size/);
    expect(() => TimeWindows.ofSizeWithNoGrace(0)).toThrow(/must be positive/);
  });
});

describe('windowed count', () => {
  it('counts per tumbling window, windows [start, end), output timestamp = newest record in the window', async () => {
    const out = await runWindowed(windowedCount(TimeWindows.ofSizeWithNoGrace(60_000), 'tumbling'),
      [['a', 'x', 1_000], ['a', 'x', 59_999], ['a', 'x', 60_000], ['b', 'x', 30_000], ['a', 'x', 500]],
      timeWindowed(60_000), Serdes.Long());
    expect(out).toEqual([
      '[a@0/60000] 1 @1000',
      '[a@0/60000] 2 @59999',
      '[a@60000/120000] 1 @60000',
      // stream time (per task, not per key) 60000 closes [0, 60000) without grace: b@30000 and a@500 are dropped
    ]);
  });

  it('counts in every hopping window a record belongs to', async () => {
    const out = await runWindowed(windowedCount(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5), 'hopping'),
      [['a', 'x', 7], ['a', 'x', 12]], timeWindowed(10), Serdes.Long());
    expect(out).toEqual(['[a@0/10] 1 @7', '[a@5/15] 1 @7', '[a@5/15] 2 @12', '[a@10/20] 1 @12']);
  });

  it('accepts late records within grace and drops (and counts) those after end + grace', async () => {
    const before = droppedLateRecords('graced');
    const out = await runWindowed(windowedCount(TimeWindows.ofSizeAndGrace(10, 5), 'graced'),
      [['a', 'x', 1], ['a', 'x', 14], ['a', 'x', 2], ['a', 'x', 15], ['a', 'x', 3]], timeWindowed(10), Serdes.Long());
    expect(out).toEqual([
      '[a@0/10] 1 @1',
      '[a@10/20] 1 @14',
      '[a@0/10] 2 @2', // stream time 14 < end 10 + grace 5
      '[a@10/20] 2 @15',
      // stream time 15 = end + grace: window [0, 10) closed, record at 3 dropped
    ]);
    expect(droppedLateRecords('graced') - before).toBe(1);
  });

  it('emits each window once, after it closes, with on-window-close', async () => {
    const out = await runWindowed(windowedCount(TimeWindows.ofSizeAndGrace(10, 2), 'final', EmitStrategy.onWindowClose()),
      [['a', 'x', 1], ['a', 'x', 5], ['b', 'x', 8], ['a', 'x', 11], ['a', 'x', 9], ['a', 'x', 12], ['a', 'x', 30]], timeWindowed(10), Serdes.Long());
    expect(out).toEqual(['[a@0/10] 3 @9', '[b@0/10] 1 @8', '[a@10/20] 2 @12']);
  });

  it('emits closed windows on window close oldest start first, across keys (Kafka reads a time-ordered store)', async () => {
    const out = await runWindowed(windowedCount(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5), 'final-order', EmitStrategy.onWindowClose()),
      [['b', 'x', 1], ['a', 'x', 6], ['a', 'x', 30]], timeWindowed(10), Serdes.Long());
    expect(out).toEqual(['[a@0/10] 1 @6', '[b@0/10] 1 @1', '[a@5/15] 1 @6']);
  });

  it('reduces and aggregates per window', async () => {
    const builder = new StreamsBuilder();
    const grouped = builder.stream('input', Consumed.with(Serdes.String(), Serdes.String())).groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(10));
    grouped.reduce((a, b) => `${a}+${b}`).toStream().to('output', Produced.with(timeWindowed(10), Serdes.String()));
    grouped.aggregate(() => 0, (_key, value, total) => total + value.length, Materialized.with(Serdes.String(), Serdes.Long()))
      .toStream().to('lengths', Produced.with(timeWindowed(10), Serdes.Long()));
    const out = await runWindowed(builder.build(), [['a', 'x', 1], ['a', 'yy', 2], ['a', 'z', 11]], timeWindowed(10), Serdes.String());
    expect(out).toEqual(['[a@0/10] x @1', '[a@0/10] x+yy @2', '[a@10/20] z @11']);
  });
});

describe('windowed count property', () => {
  it('final counts equal a count over the whole input, for records out of order within grace', async () => {
    const record = fc.record({ key: fc.constantFrom('a', 'b', 'c'), time: fc.integer({ min: 0, max: 200 }) });
    await fc.assert(fc.asyncProperty(fc.array(record, { maxLength: 30 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), async (records, size, hop) => {
      const advance = Math.min(size, hop);
      const windows = TimeWindows.ofSizeAndGrace(size, 1_000).advanceBy(advance);
      const out = await runWindowed(windowedCount(windows, 'prop'), records.map(({ key, time }) => [key, 'x', time] as const), timeWindowed(size), Serdes.Long());
      const latest = new Map<string, string>();
      for (const line of out) {
        const [, window, count] = /^(\S+) (\S+) @/.exec(line)!;
        latest.set(window!, count!);
      }
      const reference = new Map<string, string>();
      for (const { key, time } of records) {
        for (const { start, end } of windows.windowsFor(time)) {
          const window = `[${key}@${start}/${end}]`;
          reference.set(window, String(Number(reference.get(window) ?? 0) + 1));
        }
      }
      expect(latest).toEqual(reference);
    }), { numRuns: 100, seed: 5 });
  });
});

describe('window stores in the test driver', () => {
  it('reads a windowed aggregation store as plain values, or with timestamps', async () => {
    const { TopologyTestDriver } = await import('../../../src/testing/index.ts');
    const driver = new TopologyTestDriver(windowedCount(TimeWindows.ofSizeAndGrace(10, 10), 'counts'), { 'application.id': 'w', 'statestore.cache.max.bytes': 0 });
    const input = driver.createInputTopic('input', Serdes.String(), Serdes.String());
    await input.pipeInput('a', 'x', 3);
    await input.pipeInput('a', 'x', 7);
    await input.pipeInput('a', 'x', 12);
    const store = driver.getWindowStore<string, number>('counts')!;
    expect(store.fetch('a', 0)).toBe(2);
    expect([...store.fetch('a', 0, 20)].map(({ key, value }) => [key, value])).toEqual([[0, 2], [10, 1]]);
    expect(driver.getTimestampedWindowStore<string, number>('counts')!.fetch('a', 0)).toEqual({ value: 2, timestamp: 7 });
    expect(() => driver.getSessionStore('counts')).toThrow(/not a session store/);
    // Retention defaults to size + grace (20 ms): once stream time passes 20, window 0 is gone.
    await input.pipeInput('a', 'x', 25);
    expect(store.fetch('a', 0)).toBeNull();
    expect(store.fetch('a', 10)).toBe(1);
    await driver.close();
  });
});
