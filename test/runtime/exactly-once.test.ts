import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Consumed, KafkaStreams, LogEngine, Materialized, Produced, Serdes, StreamsBuilder, setLogLevel } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';

/** exactly_once_v2 on the embedded engine, in-process: what a crash test cannot single out. */
setLogLevel('error');
const str = Serdes.String();
const long = Serdes.Long();
let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

/** Per-user sums; a value of -1 makes the aggregator throw, when `failOn` says so. */
function sums(failOnMinusOne: boolean) {
  const builder = new StreamsBuilder();
  builder.stream<string, number>('orders', Consumed.with(str, long)).groupByKey()
    .aggregate(() => 0, (_user, amount, total) => {
      if (failOnMinusOne && amount === -1) throw new Error('a bad order');
      return total + amount;
    }, Materialized.as<string, number>('sums').withValueSerde(long))
    .toStream().to('sums', Produced.with(str, long));
  return builder.build();
}

async function open() {
  const dir = tempDir();
  const engine = await LogEngine.open({ dataDir: join(dir, 'log') });
  cleanup.push(() => engine.close());
  await engine.createTopic('orders', { partitions: 1 });
  await engine.createTopic('sums', { partitions: 1 });
  const config = { 'application.id': 'sums', 'state.dir': join(dir, 'state'), 'processing.guarantee': 'exactly_once_v2', 'statestore.cache.max.bytes': 0, 'poll.ms': 5 };
  const orders = (entries: Array<[string, number]>) => engine.produce('orders', entries.map(([user, amount]) => ({ key: Buffer.from(user), value: long.serialize('orders', amount), timestamp: 1, headers: [] })));
  const committedSums = async () => {
    const { records } = await engine.fetchRecords('sums', 0, 0, { isolationLevel: 'read_committed' });
    return records.map((r) => [r.key!.toString(), long.deserialize('sums', r.value)!]);
  };
  return { engine, config, orders, committedSums };
}

async function runUntil(streams: KafkaStreams, done: () => Promise<boolean>): Promise<void> {
  await streams.start();
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('exactly_once_v2 on the embedded engine', () => {
  it('a failed record aborts its transaction: the records before it are neither visible nor committed, and a fixed restart applies each once', async () => {
    const { engine, config, orders, committedSums } = await open();
    await orders([['ann', 5], ['bob', 7], ['ann', -1]]);
    const failing = new KafkaStreams(sums(true), config, { engine });
    const stopped = new Promise<void>((resolve) => failing.onStateChange((next) => next === 'ERROR' && resolve()));
    await failing.start();
    await stopped;
    expect(await committedSums()).toEqual([]);
    expect(await engine.fetchOffsets('sums')).toEqual([]);

    const fixed = new KafkaStreams(sums(false), config, { engine });
    cleanup.push(() => fixed.close());
    await runUntil(fixed, async () => (await committedSums()).length === 3);
    expect(await committedSums()).toEqual([['ann', 5], ['bob', 7], ['ann', 4]]);
  });

  it('a restart with the same state directory keeps its transactional id, so it fences the run before it', async () => {
    const { engine, config, orders, committedSums } = await open();
    await orders([['ann', 1]]);
    for (const expected of [1, 2]) {
      const streams = new KafkaStreams(sums(false), config, { engine });
      await runUntil(streams, async () => (await committedSums()).length === expected);
      await streams.close();
      await orders([['ann', 1]]);
    }
    const ids = (await engine.listTransactions()).map((t) => t.transactionalId);
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatch(/^sums-[0-9a-f-]{36}-1$/);
    expect(await committedSums()).toEqual([['ann', 1], ['ann', 2]]);
  });
});
