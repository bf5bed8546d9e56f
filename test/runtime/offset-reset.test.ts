import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Consumed, KafkaStreams, LogEngine, Serdes, StreamsBuilder, StreamsError, setLogSink } from '../../src/index.ts';
import type { OffsetReset } from '../../src/topology/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';

const str = Serdes.String();
let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

/** `in` copied to `out` (one partition each), with an optional reset policy of the source's own. */
function copy(policy?: OffsetReset) {
  const builder = new StreamsBuilder();
  const consumed = Consumed.with(str, str);
  builder.stream('in', policy === undefined ? consumed : consumed.withOffsetResetPolicy(policy)).to('out');
  return builder.build();
}

async function engine(): Promise<{ log: LogEngine; dir: string }> {
  const dir = tempDir();
  const log = await LogEngine.open({ dataDir: join(dir, 'log') });
  cleanup.push(() => log.close());
  await log.createTopic('in', { partitions: 1 });
  await log.createTopic('out', { partitions: 1 });
  return { log, dir };
}

const send = (log: LogEngine, ...values: string[]) =>
  log.produce('in', values.map((v) => ({ key: Buffer.from('k'), value: Buffer.from(v), timestamp: Date.now(), headers: [] })));

async function outputs(log: LogEngine): Promise<string[]> {
  const { latest } = await log.listOffsets('out', 0);
  return latest === 0 ? [] : (await log.fetch('out', 0, 0)).map((r) => r.value!.toString());
}

async function start(log: LogEngine, dir: string, topology = copy(), extra: { [key: string]: unknown } = {}): Promise<KafkaStreams> {
  const streams = new KafkaStreams(topology, { 'application.id': 'copier', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 20, 'poll.ms': 5, ...extra }, { engine: log });
  cleanup.push(() => streams.close());
  await streams.start();
  await waitFor(() => streams.state === 'RUNNING' || streams.state === 'ERROR', 'RUNNING or ERROR');
  return streams;
}

describe('where input partitions start and restart (auto.offset.reset, Consumed.withOffsetResetPolicy)', () => {
  it('reads a new application\'s input from the start by default, as Kafka Streams does', async () => {
    const { log, dir } = await engine();
    await send(log, 'a', 'b');
    await start(log, dir);
    await waitFor(async () => (await outputs(log)).length === 2, 'both records copied');
    expect(await outputs(log)).toEqual(['a', 'b']);
  });

  it.each([
    ['"auto.offset.reset": "latest"', copy(), { 'auto.offset.reset': 'latest' }],
    ['"main.consumer.auto.offset.reset": "latest"', copy(), { 'auto.offset.reset': 'earliest', 'main.consumer.auto.offset.reset': 'latest' }],
    ['the source\'s own policy over the configured one', copy('latest'), { 'auto.offset.reset': 'earliest' }],
  ])('starts at the log end without a committed offset under %s', async (_what, topology, extra) => {
    const { log, dir } = await engine();
    await send(log, 'before-1', 'before-2');
    await start(log, dir, topology, extra);
    await send(log, 'after');
    await waitFor(async () => (await outputs(log)).length >= 1, 'a record copied');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await outputs(log)).toEqual(['after']);
  });

  it('a source\'s "earliest" wins over "auto.offset.reset": "latest"', async () => {
    const { log, dir } = await engine();
    await send(log, 'a');
    await start(log, dir, copy('earliest'), { 'auto.offset.reset': 'latest' });
    await waitFor(async () => (await outputs(log)).length === 1, 'the record copied');
  });

  it('under "none", an input partition without a committed offset stops the instance with a coded error naming it', async () => {
    const { log, dir } = await engine();
    await send(log, 'a');
    let failure: unknown;
    const streams = new KafkaStreams(copy(), { 'application.id': 'copier', 'state.dir': join(dir, 'state'), 'poll.ms': 5, 'auto.offset.reset': 'none' }, { engine: log });
    cleanup.push(() => streams.close());
    streams.setUncaughtExceptionHandler((error) => {
      failure = error;
      return 'SHUTDOWN_CLIENT';
    });
    await streams.start().catch((error: unknown) => { failure = error; });
    await waitFor(() => failure !== undefined, 'the failure');
    const error = (failure as { cause?: unknown }).cause instanceof StreamsError ? (failure as { cause: StreamsError }).cause : failure;
    expect(error).toBeInstanceOf(StreamsError);
    expect((error as StreamsError).code).toBe('OFFSET_OUT_OF_RANGE');
    expect((error as StreamsError).message).toMatch(/input topic "in" partition 0 has no committed offset.*"auto.offset.reset" is "none"/);
    expect(await outputs(log)).toEqual([]);
  });

  it('refuses a policy Kafka does not have, naming the key', () => {
    expect(() => new KafkaStreams(copy(), { 'application.id': 'copier', 'auto.offset.reset': 'smallest' })).toThrow(/"auto.offset.reset" must be "earliest", "latest" or "none", got "smallest"/);
  });

  it.each([['earliest', ['c', 'd']], ['latest', ['e']]] as const)(
    'when the records after the committed offset were deleted before it restarts, it reads on by "%s" instead of failing',
    async (policy, expected) => {
      const { log, dir } = await engine();
      await send(log, 'a', 'b');
      const first = await start(log, dir, copy(), { 'auto.offset.reset': policy === 'latest' ? 'earliest' : policy });
      await waitFor(async () => (await outputs(log)).length === 2, 'the first records copied');
      await waitFor(async () => (await log.fetchOffsets('copier'))[0]?.offset === 2, 'the commit of offset 2');
      await first.close();
      // While the application is down, its input moves on and retention removes what it has not read.
      await send(log, 'lost-1', 'lost-2', 'c', 'd');
      await log.deleteRecords('in', 0, 4);
      const warnings: string[] = [];
      const previous = setLogSink((level, _component, message) => { if (level === 'warn') warnings.push(message); });
      cleanup.push(async () => setLogSink(previous));
      await start(log, dir, copy(), { 'auto.offset.reset': policy });
      if (policy === 'latest') await send(log, 'e');
      await waitFor(async () => (await outputs(log)).length === 2 + expected.length, 'the records after the gap copied');
      expect((await outputs(log)).slice(2)).toEqual(expected);
      expect(warnings.some((w) => w.includes('input topic "in" partition 0: offset 2 is no longer in the log'))).toBe(true);
    },
  );
});
