import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Consumed, Grouped, KafkaStreams, LogEngine, Materialized, Produced, Serdes, StreamsBuilder, setLogLevel, setLogSink } from '../../src/index.ts';
import { startInProcessBroker } from '../support/in-process-broker.ts';
import { tempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';

setLogLevel('warn');
const str = Serdes.String();
const long = Serdes.Long();
let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

function spending() {
  const builder = new StreamsBuilder();
  builder.stream<string, number>('orders', Consumed.with(str, long))
    .groupByKey()
    .aggregate(() => 0, (_user, amount, total) => total + amount, Materialized.as<string, number>('totals-store').withValueSerde(long))
    .toStream()
    .to('totals', Produced.with(str, long));
  return builder.build();
}

async function latestTotals(engine: LogEngine): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (let p = 0; p < engine.partitionCount('totals'); p++) {
    for (let offset = 0; ;) {
      const page = await engine.fetch('totals', p, offset);
      if (page.length === 0) break;
      for (const r of page) totals.set(r.key!.toString(), long.deserialize('totals', r.value)!);
      offset = page[page.length - 1]!.offset + 1;
    }
  }
  return totals;
}


describe('KafkaStreams over the Kafka protocol (bootstrap.servers)', () => {
  it('two instances share the tasks; when one stops, the other takes its tasks over, restores their state, and totals stay right', async () => {
    const dir = tempDir();
    const { engine, port } = await startInProcessBroker(dir, cleanup);
    await engine.createTopic('orders', { partitions: 4 });
    await engine.createTopic('totals', { partitions: 4 });
    const config = (name: string) => ({
      'application.id': 'spending', 'bootstrap.servers': `127.0.0.1:${port}`, 'state.dir': join(dir, name), 'commit.interval.ms': 50, 'poll.ms': 10,
      'session.timeout.ms': 3_000, 'client.id': name,
    });
    const a = new KafkaStreams(spending(), config('a'));
    await a.start();
    cleanup.push(() => a.close());
    const b = new KafkaStreams(spending(), config('b'));
    await b.start();
    cleanup.push(() => b.close());
    const tasksOf = (streams: KafkaStreams) => streams.metadataForLocalThreads().flatMap((t) => t.activeTasks);
    await waitFor(() => tasksOf(a).length === 2 && tasksOf(b).length === 2, 'two tasks each');
    expect([...tasksOf(a), ...tasksOf(b)].sort()).toEqual(['0_0', '0_1', '0_2', '0_3']);

    const expected = new Map<string, number>();
    const produce = async (count: number, from: number) => {
      for (let i = from; i < from + count; i++) {
        const user = `user-${i % 9}`;
        expected.set(user, (expected.get(user) ?? 0) + i);
        await engine.produce('orders', [{ key: Buffer.from(user), value: long.serialize('orders', i), timestamp: i, headers: [] }]);
      }
    };
    await produce(100, 0);
    await waitFor(async () => sameTotals(await latestTotals(engine), expected), 'totals of the first 100 orders');

    await a.close();
    await waitFor(() => tasksOf(b).length === 4, 'the remaining instance owns all four tasks');
    await produce(100, 100);
    await waitFor(async () => sameTotals(await latestTotals(engine), expected), 'totals after the take-over, from restored state');
  }, 90_000);
});

describe('repartition topics over the Kafka protocol', () => {
  it('are purged with DeleteRecords once the application has committed past their records', async () => {
    const dir = tempDir();
    const { engine, port } = await startInProcessBroker(dir, cleanup);
    await engine.createTopic('orders', { partitions: 2 });
    await engine.createTopic('totals', { partitions: 2 });
    const builder = new StreamsBuilder();
    builder.stream<string, number>('orders', Consumed.with(str, long))
      .groupBy((_user, amount) => `bucket-${amount % 3}`, Grouped.with(str, long))
      .count()
      .toStream()
      .to('totals', Produced.with(str, long));
    const streams = new KafkaStreams(builder.build(), {
      'application.id': 'purge', 'bootstrap.servers': `127.0.0.1:${port}`, 'state.dir': join(dir, 'app'), 'commit.interval.ms': 50, 'poll.ms': 10,
      'session.timeout.ms': 3_000, 'repartition.purge.interval.ms': 0,
    });
    await streams.start();
    cleanup.push(() => streams.close());
    const expected = new Map<string, number>();
    for (let i = 0; i < 60; i++) {
      expected.set(`bucket-${i % 3}`, (expected.get(`bucket-${i % 3}`) ?? 0) + 1);
      await engine.produce('orders', [{ key: Buffer.from(`user-${i % 7}`), value: long.serialize('orders', i), timestamp: i, headers: [] }]);
    }
    await waitFor(async () => sameTotals(await latestTotals(engine), expected), 'counts of 60 orders');
    const repartition = (await engine.listTopics()).find((t) => t.startsWith('purge-') && t.endsWith('-repartition'))!;
    await waitFor(async () => {
      const offsets = await Promise.all([0, 1].map((p) => engine.listOffsets(repartition, p)));
      return offsets.every(({ earliest, latest }) => earliest === latest) && offsets.some(({ latest }) => latest > 0);
    }, 'the repartition topic purged');
  }, 60_000);
});

describe('standby replicas', () => {
  it('num.standby.replicas keeps a warm copy of each task on the other instance, so a take-over restores only the tail', async () => {
    const dir = tempDir();
    const { engine, port } = await startInProcessBroker(dir, cleanup);
    await engine.createTopic('orders', { partitions: 4 });
    await engine.createTopic('totals', { partitions: 4 });
    const config = (name: string) => ({
      'application.id': 'warm', 'bootstrap.servers': `127.0.0.1:${port}`, 'state.dir': join(dir, name), 'commit.interval.ms': 50, 'poll.ms': 10,
      'session.timeout.ms': 3_000, 'client.id': name, 'num.standby.replicas': 1, 'statestore.cache.max.bytes': 0,
    });
    const lines: string[] = [];
    const previousSink = setLogSink((_level, _component, message) => void lines.push(message));
    cleanup.push(async () => setLogSink(previousSink));
    setLogLevel('info');
    cleanup.push(async () => setLogLevel('warn'));
    const a = new KafkaStreams(spending(), config('a'));
    await a.start();
    cleanup.push(() => a.close());
    const b = new KafkaStreams(spending(), config('b'));
    await b.start();
    cleanup.push(() => b.close());
    const tasksOf = (streams: KafkaStreams) => streams.metadataForLocalThreads().flatMap((t) => t.activeTasks).sort();
    const standbysOf = (streams: KafkaStreams) => streams.metadataForLocalThreads().flatMap((t) => t.standbyTasks).sort();
    await waitFor(() => tasksOf(a).length === 2 && tasksOf(b).length === 2 && standbysOf(a).length === 2 && standbysOf(b).length === 2, 'two tasks and two standby copies each');
    expect(standbysOf(b)).toEqual(tasksOf(a));
    expect(standbysOf(a)).toEqual(tasksOf(b));

    const expected = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const user = `user-${i % 13}`;
      expected.set(user, (expected.get(user) ?? 0) + i);
      await engine.produce('orders', [{ key: Buffer.from(user), value: long.serialize('orders', i), timestamp: i, headers: [] }]);
    }
    await waitFor(async () => sameTotals(await latestTotals(engine), expected), 'totals of 400 orders');
    const movedTasks = tasksOf(a);
    lines.length = 0;
    await a.close();
    await waitFor(() => tasksOf(b).length === 4, 'the standby copies promoted');
    // The promoted tasks restore only what their standby copy had not applied yet: far fewer than the changelog holds.
    const restored = lines.filter((line) => movedTasks.some((id) => line.includes(`task ${id}: restored`))).map((line) => Number(/: (\d+) records/.exec(line)?.[1] ?? 0));
    let changelogRecords = 0;
    for (const id of movedTasks) changelogRecords += (await engine.listOffsets('warm-totals-store-changelog', Number(id.split('_')[1]))).latest;
    expect(changelogRecords).toBeGreaterThan(20); // a restore from scratch would replay these
    expect(restored.reduce((sum, n) => sum + n, 0)).toBeLessThan(changelogRecords / 4);
    for (let i = 400; i < 450; i++) {
      const user = `user-${i % 13}`;
      expected.set(user, (expected.get(user) ?? 0) + i);
      await engine.produce('orders', [{ key: Buffer.from(user), value: long.serialize('orders', i), timestamp: i, headers: [] }]);
    }
    await waitFor(async () => sameTotals(await latestTotals(engine), expected), 'totals after the fail-over');
  }, 90_000);
});

function sameTotals(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return a.size === b.size && [...b].every(([user, total]) => a.get(user) === total);
}
