import { describe, expect, it } from 'vitest';
import { Consumed, Produced, Serdes, StreamsBuilder, TimestampExtractors, isStreamsError } from '../../src/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';

interface Click {
  page: string;
  at?: string;
}

function clicks(consumed = Consumed.with(Serdes.String(), Serdes.Json<Click>())) {
  const builder = new StreamsBuilder();
  builder.stream('clicks', consumed).mapValues((c) => c.page).to('pages', Produced.with(Serdes.String(), Serdes.String()));
  return builder.build();
}

async function pipeRaw(driver: TopologyTestDriver, values: Array<string>, timestamps?: number[]): Promise<unknown> {
  const input = driver.createInputTopic('clicks', Serdes.String(), Serdes.String());
  try {
    for (let i = 0; i < values.length; i++) await input.pipeInput('k', values[i]!, timestamps?.[i] ?? 1000 + i);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('records a task cannot use', () => {
  it('fail the task by default, naming the topic, partition and offset', async () => {
    const driver = new TopologyTestDriver(clicks());
    const error = await pipeRaw(driver, ['{"page":"a"}', 'not json']);
    expect(isStreamsError(error, 'DESERIALIZATION_ERROR')).toBe(true);
    expect(String(error)).toMatch(/topic "clicks" partition 0 offset 1/);
  });

  it('are skipped and counted under logAndContinue, and later records still flow', async () => {
    const driver = new TopologyTestDriver(clicks(), { 'default.deserialization.exception.handler': 'logAndContinue' });
    expect(await pipeRaw(driver, ['{"page":"a"}', 'not json', '{"page":"b"}'])).toBeUndefined();
    expect(driver.createOutputTopic('pages', Serdes.String(), Serdes.String()).readValuesToList()).toEqual(['a', 'b']);
  });

  it('go to the dead-letter topic with the error and their position in headers', async () => {
    const driver = new TopologyTestDriver(clicks(), { 'errors.dead.letter.queue.topic.name': 'clicks-dlq' });
    await pipeRaw(driver, ['{"page":"a"}', 'not json']);
    const dead = driver.createOutputTopic('clicks-dlq', Serdes.String(), Serdes.String()).readRecord();
    expect(dead.value).toBe('not json');
    const header = (key: string) => dead.headers.find((h) => h.key === key)?.value?.toString();
    expect([header('__streams.errors.exception'), header('__streams.errors.topic'), header('__streams.errors.partition'), header('__streams.errors.offset')])
      .toEqual(['DESERIALIZATION_ERROR', 'clicks', '0', '1']);
    expect(header('__streams.errors.message')).toMatch(/could not deserialize the value/);
  });

  it('with an invalid timestamp: fail by default, or skip, or take the partition time, as configured', async () => {
    const failing = new TopologyTestDriver(clicks());
    expect(isStreamsError(await pipeRaw(failing, ['{"page":"a"}'], [-5]), 'INVALID_TIMESTAMP')).toBe(true);

    const skipping = new TopologyTestDriver(clicks(), { 'default.timestamp.extractor': 'logAndSkipOnInvalidTimestamp' });
    await pipeRaw(skipping, ['{"page":"a"}', '{"page":"b"}'], [10, -1]);
    expect(skipping.createOutputTopic('pages', Serdes.String(), Serdes.String()).readValuesToList()).toEqual(['a']);

    const partitionTime = new TopologyTestDriver(clicks(), { 'default.timestamp.extractor': 'usePartitionTimeOnInvalidTimestamp' });
    await pipeRaw(partitionTime, ['{"page":"a"}', '{"page":"b"}'], [10, -1]);
    expect(partitionTime.createOutputTopic('pages', Serdes.String(), Serdes.String()).readRecordsToList().map((r) => r.timestamp)).toEqual([10, 10]);
  });

  it('an ISO-8601 field can be the event time', async () => {
    const driver = new TopologyTestDriver(clicks(Consumed.with(Serdes.String(), Serdes.Json<Click>()).withTimestampExtractor(TimestampExtractors.fromIsoField('at'))));
    await pipeRaw(driver, ['{"page":"a","at":"2026-11-24T13:05:00+01:00"}']);
    expect(driver.createOutputTopic('pages', Serdes.String(), Serdes.String()).readRecord().timestamp).toBe(Date.UTC(2026, 10, 24, 12, 5));
    expect(isStreamsError(await pipeRaw(driver, ['{"page":"b","at":"yesterday"}']), 'INVALID_TIMESTAMP')).toBe(true);
  });

  it('refuses unknown policies in the config', () => {
    expect(() => new TopologyTestDriver(clicks(), { 'default.deserialization.exception.handler': 'ignore' })).toThrow(/must be a handler function or one of "logAndFail"/);
  });

  it('a processor failure stops the task by default, or skips that record under processing.exception.handler=logAndContinue', async () => {
    const build = () => {
      const builder = new StreamsBuilder();
      builder.stream('clicks', Consumed.with(Serdes.String(), Serdes.Json<Click>()))
        .mapValues((c) => {
          if (c.page === 'boom') throw new Error('cannot handle boom');
          return c.page;
        })
        .to('pages', Produced.with(Serdes.String(), Serdes.String()));
      return builder.build();
    };
    const failing = new TopologyTestDriver(build());
    const error = await pipeRaw(failing, ['{"page":"boom"}']);
    expect(isStreamsError(error, 'PROCESSOR_ERROR')).toBe(true);
    expect(String(error)).toMatch(/processor "KSTREAM-MAPVALUES-0000000001" in task 0_0 failed in process while processing the record at topic "clicks" partition 0 offset 0: cannot handle boom/);

    const continuing = new TopologyTestDriver(build(), { 'processing.exception.handler': 'logAndContinue' });
    expect(await pipeRaw(continuing, ['{"page":"a"}', '{"page":"boom"}', '{"page":"b"}'])).toBeUndefined();
    expect(continuing.createOutputTopic('pages', Serdes.String(), Serdes.String()).readValuesToList()).toEqual(['a', 'b']);
  });
});
