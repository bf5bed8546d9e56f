import { describe, expect, it } from 'vitest';
import { BufferConfig, Consumed, Grouped, Materialized, Produced, SessionWindows, StreamsBuilder, Suppressed, TimeWindows } from '../../../src/dsl/index.ts';
import { isStreamsError } from '../../../src/common/index.ts';
import { Serdes } from '../../../src/serde/index.ts';
import { TopologyTestDriver } from '../../../src/testing/index.ts';
import { WINDOW_TEST_CONFIG, runWindowed, sessionWindowed, timeWindowed } from './support.ts';

function finalCounts(windows: TimeWindows, config = BufferConfig.unbounded()) {
  const builder = new StreamsBuilder();
  builder.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .windowedBy(windows)
    .count()
    .suppress(Suppressed.untilWindowCloses(config))
    .toStream()
    .to('output', Produced.with(timeWindowed(windows.size()), Serdes.Long()));
  return builder.build();
}

/** A table suppressed `untilTimeLimit(10 ms, buffer)`: what it emits for `inputs`, as `key=value@timestamp`. */
async function limitedTable(buffer: BufferConfig, inputs: ReadonlyArray<readonly [string, string, number]>): Promise<string[]> {
  const builder = new StreamsBuilder();
  builder.table('input', Consumed.with(Serdes.String(), Serdes.String()), Materialized.with(Serdes.String(), Serdes.String()))
    .suppress(Suppressed.untilTimeLimit(10, buffer))
    .toStream()
    .to('output', Produced.with(Serdes.String(), Serdes.String()));
  const driver = new TopologyTestDriver(builder.build(), WINDOW_TEST_CONFIG);
  try {
    const input = driver.createInputTopic('input', Serdes.String(), Serdes.String());
    for (const [key, value, timestamp] of inputs) await input.pipeInput(key, value, timestamp);
    return (await driver.createOutputTopic('output', Serdes.String(), Serdes.String()).readRecordsToList())
      .map((r) => `${r.key}=${r.value}@${r.timestamp}`);
  } finally {
    await driver.close();
  }
}

describe('suppress', () => {
  it('untilWindowCloses emits each window exactly once, when stream time passes end + grace', async () => {
    const out = await runWindowed(finalCounts(TimeWindows.ofSizeAndGrace(10, 5)),
      [['a', 'x', 1], ['a', 'x', 2], ['b', 'x', 3], ['a', 'x', 12], ['a', 'x', 14], ['a', 'x', 4], ['a', 'x', 15], ['a', 'x', 40]],
      timeWindowed(10), Serdes.Long());
    expect(out).toEqual([
      '[a@0/10] 3 @4', // closed at stream time 15 = end 10 + grace 5; the late a@4 arrived within grace
      '[b@0/10] 1 @3',
      '[a@10/20] 3 @15', // closed at stream time 40
    ]);
  });

  it('untilWindowCloses emits the final session only, never the sessions merged away', async () => {
    const builder = new StreamsBuilder();
    builder.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .groupByKey()
      .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(5))
      .count()
      .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
      .toStream()
      .to('output', Produced.with(sessionWindowed(), Serdes.Long()));
    const out = await runWindowed(builder.build(), [['a', 'x', 0], ['a', 'x', 4], ['a', 'x', 8], ['a', 'x', 30]], sessionWindowed(), Serdes.Long());
    expect(out).toEqual(['[a@0/8] 3 @8']);
  });

  it('untilTimeLimit emits the latest update of a key once it is old enough', async () => {
    const builder = new StreamsBuilder();
    builder.table('input', Consumed.with(Serdes.String(), Serdes.String()), Materialized.with(Serdes.String(), Serdes.String()))
      .suppress(Suppressed.untilTimeLimit(10, BufferConfig.unbounded()))
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    const driver = new TopologyTestDriver(builder.build(), WINDOW_TEST_CONFIG);
    const input = driver.createInputTopic('input', Serdes.String(), Serdes.String());
    const output = driver.createOutputTopic('output', Serdes.String(), Serdes.String());
    await input.pipeInput('a', 'v1', 0);
    await input.pipeInput('a', 'v2', 5);
    await input.pipeInput('b', 'w1', 6);
    expect(await output.readKeyValuesToList()).toEqual([]);
    await input.pipeInput('c', 'z1', 15); // a's latest (time 5) is now 10 old
    expect(await output.readRecordsToList()).toMatchObject([{ key: 'a', value: 'v2', timestamp: 5 }]);
    await input.pipeInput('c', 'z2', 16);
    expect(await output.readKeyValuesToList()).toEqual([{ key: 'b', value: 'w1' }]);
    await driver.close();
  });

  it('untilTimeLimit keeps a key at the time it was first buffered, as Kafka does, so updates do not hold it back', async () => {
    const builder = new StreamsBuilder();
    builder.table('input', Consumed.with(Serdes.String(), Serdes.String()))
      .suppress(Suppressed.untilTimeLimit(10, BufferConfig.unbounded()))
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    const driver = new TopologyTestDriver(builder.build(), WINDOW_TEST_CONFIG);
    const input = driver.createInputTopic('input', Serdes.String(), Serdes.String());
    const output = driver.createOutputTopic('output', Serdes.String(), Serdes.String());
    await input.pipeInput('a', 'v1', 0);
    await input.pipeInput('a', 'v2', 8);
    await input.pipeInput('b', 'w1', 12); // a was first buffered at 0: 12 old, so its latest value goes out
    expect(output.readRecordsToList()).toMatchObject([{ key: 'a', value: 'v2', timestamp: 8 }]);
    await driver.close();
  });

  it('emits the oldest early when a bounded buffer with emitEarlyWhenFull overflows', async () => {
    const builder = new StreamsBuilder();
    builder.table('input', Consumed.with(Serdes.String(), Serdes.String()), Materialized.with(Serdes.String(), Serdes.String()))
      .suppress(Suppressed.untilTimeLimit(1_000, BufferConfig.maxRecords(2).emitEarlyWhenFull()))
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    const driver = new TopologyTestDriver(builder.build(), WINDOW_TEST_CONFIG);
    const input = driver.createInputTopic('input', Serdes.String(), Serdes.String());
    const output = driver.createOutputTopic('output', Serdes.String(), Serdes.String());
    await input.pipeInput('a', '1', 1);
    await input.pipeInput('b', '2', 2);
    await input.pipeInput('c', '3', 3);
    expect(await output.readKeyValuesToList()).toEqual([{ key: 'a', value: '1' }]);
    await driver.close();
  });

  it('untilTimeLimit keeps the time a key first entered the buffer: a key updated often is still emitted', async () => {
    const out = await limitedTable(BufferConfig.unbounded(), [['a', 'v1', 0], ['a', 'v2', 6], ['a', 'v3', 10]]);
    expect(out).toEqual(['a=v3@10']);
  });

  it('emits early in order of first buffer time, not of the latest update', async () => {
    const out = await limitedTable(BufferConfig.maxRecords(2).emitEarlyWhenFull(), [['a', '1', 1], ['b', '2', 2], ['a', '3', 3], ['c', '4', 4]]);
    expect(out).toEqual(['a=3@3']);
  });

  it('emits the old value of the latest update with each change, as Kafka Streams does', async () => {
    // Users per region from a rate-limited table of user to region.
    const builder = new StreamsBuilder();
    builder.table('input', Consumed.with(Serdes.String(), Serdes.String()), Materialized.with(Serdes.String(), Serdes.String()))
      .suppress(Suppressed.untilTimeLimit(10, BufferConfig.unbounded()))
      .groupBy((user, region) => [region, user] as const, Grouped.with(Serdes.String(), Serdes.String()))
      .aggregate(() => '', (_region, user, users) => `${users}+${user}`, (_region, user, users) => `${users}-${user}`,
        Materialized.with(Serdes.String(), Serdes.String()))
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    const driver = new TopologyTestDriver(builder.build(), WINDOW_TEST_CONFIG);
    const input = driver.createInputTopic('input', Serdes.String(), Serdes.String());
    for (const [user, region, time] of [['a', 'eu', 0], ['b', 'us', 0], ['z', 'x', 10], ['a', 'us', 11], ['a', 'apac', 12], ['w', 'x', 30]] as const) {
      await input.pipeInput(user, region, time);
    }
    // a's emitted change is apac over us (its latest update), so a leaves us, where it never was.
    expect(await driver.createOutputTopic('output', Serdes.String(), Serdes.String()).readKeyValuesToList()).toEqual([
      { key: 'eu', value: '+a' }, { key: 'us', value: '+b' }, { key: 'x', value: '+z' }, { key: 'us', value: '+b-a' }, { key: 'apac', value: '+a' },
    ]);
    await driver.close();
  });

  it('emits a record with the headers of its latest update', async () => {
    const builder = new StreamsBuilder();
    builder.table('input', Consumed.with(Serdes.String(), Serdes.String()), Materialized.with(Serdes.String(), Serdes.String()))
      .suppress(Suppressed.untilTimeLimit(10, BufferConfig.unbounded()))
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    const driver = new TopologyTestDriver(builder.build(), WINDOW_TEST_CONFIG);
    const input = driver.createInputTopic('input', Serdes.String(), Serdes.String());
    await input.pipeRecordList([
      { key: 'a', value: 'v1', timestamp: 0, headers: [{ key: 'h', value: Buffer.from('1') }] },
      { key: 'a', value: 'v2', timestamp: 1, headers: [{ key: 'h', value: Buffer.from('2') }] },
      { key: 'b', value: 'w', timestamp: 20 },
    ]);
    const [emitted] = await driver.createOutputTopic('output', Serdes.String(), Serdes.String()).readRecordsToList();
    expect(emitted?.value).toBe('v2');
    expect(emitted?.headers).toEqual([{ key: 'h', value: Buffer.from('2') }]);
    await driver.close();
  });

  it('stops with SUPPRESSION_BUFFER_FULL when a strict buffer overflows', async () => {
    const driver = new TopologyTestDriver(finalCounts(TimeWindows.ofSizeWithNoGrace(10), BufferConfig.maxRecords(1).shutDownWhenFull()), WINDOW_TEST_CONFIG);
    const input = driver.createInputTopic('input', Serdes.String(), Serdes.String());
    await input.pipeInput('a', 'x', 1);
    const error = await input.pipeInput('b', 'x', 2).then(() => undefined, (e: unknown) => e);
    expect(isStreamsError(error) && error.code).toBe('SUPPRESSION_BUFFER_FULL');
    await driver.close().catch(() => undefined);
  });

  it('rejects untilWindowCloses on a table that is not windowed, and an early-emitting buffer for final results', () => {
    const builder = new StreamsBuilder();
    const table = builder.table<string, string>('input');
    expect(() => table.suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))).toThrow(/applies to windowed tables/);
    expect(() => Suppressed.untilWindowCloses(BufferConfig.maxRecords(5))).toThrow(/strict buffer/);
  });
});
