import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Consumed, KafkaBroker, KafkaStreams, LogEngine, Produced, QueryableStoreTypes, Serdes, StoreQueryParameters, StreamsBuilder, StreamsError, setLogLevel } from '../../src/index.ts';
import { orderCounts } from './fixtures/order-counts-topology.ts';
import { tempDir } from '../support/temp-dir.ts';
import { PARTITIONS, USERS, expectedCounts, latestCounts, openEngine, produce, sameCounts } from './support/order-counting.ts';

/** num.stream.threads, addStreamThread() and removeStreamThread(): what several threads in one instance must keep. */
setLogLevel('error');
const str = Serdes.String();
const long = Serdes.Long();
let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});






async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}


async function countWith(threads: number, records: number): Promise<{ streams: KafkaStreams; totals: Map<string, number> }> {
  const { dir, engine } = await openEngine(cleanup);
  await produce(engine, 0, records);
  const streams = new KafkaStreams(orderCounts(), { 'application.id': 'counting', 'client.id': 'counter', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 20, 'poll.ms': 5, 'num.stream.threads': threads }, { engine });
  cleanup.push(() => streams.close());
  await streams.start();
  await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(records)), `${threads} thread(s) counted ${records} orders`);
  return { streams, totals: await latestCounts(engine) };
}

describe('num.stream.threads on the embedded engine', () => {
  it('two threads count what one thread counts, split the four tasks 2/2, and each has its own thread-id metrics', async () => {
    const one = await countWith(1, 600);
    const two = await countWith(2, 600);
    expect(two.totals).toEqual(one.totals);
    expect(one.streams.metadataForLocalThreads().map((t) => t.threadName)).toEqual(['counter-StreamThread-1']);
    const threads = two.streams.metadataForLocalThreads();
    expect(threads.map((t) => t.threadName)).toEqual(['counter-StreamThread-1', 'counter-StreamThread-2']);
    expect(threads.map((t) => t.activeTasks.length)).toEqual([2, 2]);
    expect(threads.flatMap((t) => t.activeTasks).sort()).toEqual(['0_0', '0_1', '0_2', '0_3']);
    const metrics = two.streams.metrics();
    const processed = metrics.filter((m) => m.group === 'stream-thread-metrics' && m.name === 'process-total');
    expect(processed.map((m) => m.tags['thread-id']).sort()).toEqual(['counter-StreamThread-1', 'counter-StreamThread-2']);
    expect(processed.reduce((sum, m) => sum + Number(m.value), 0)).toBe(600);
    expect(metrics.find((m) => m.name === 'alive-stream-threads')?.value).toBe(2);
    // Interactive queries see the stores of both threads' tasks.
    const store = two.streams.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>()));
    for (const [user, count] of expectedCounts(600)) expect(store.get(user)).toBe(count);
  }, 60_000);

  it('threads added and removed while orders arrive keep every count exact; the last thread is never removed', async () => {
    const { dir, engine } = await openEngine(cleanup);
    const streams = new KafkaStreams(orderCounts(), { 'application.id': 'counting', 'client.id': 'counter', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 20, 'poll.ms': 5 }, { engine });
    cleanup.push(() => streams.close());
    await streams.start();
    const alive = () => streams.metrics().find((m) => m.name === 'alive-stream-threads')?.value;
    await produce(engine, 0, 300);
    expect(await streams.addStreamThread()).toBe('counter-StreamThread-2');
    await produce(engine, 300, 600);
    expect(await streams.addStreamThread()).toBe('counter-StreamThread-3');
    expect(alive()).toBe(3);
    expect(streams.metadataForLocalThreads().map((t) => t.activeTasks.length).sort()).toEqual([1, 1, 2]);
    await produce(engine, 600, 900);
    expect(await streams.removeStreamThread()).toBe('counter-StreamThread-1');
    await produce(engine, 900, 1200);
    expect(await streams.removeStreamThread()).toBe('counter-StreamThread-2');
    expect(await streams.removeStreamThread()).toBeUndefined();
    expect(alive()).toBe(1);
    expect(streams.metadataForLocalThreads()).toEqual([{ threadName: 'counter-StreamThread-3', activeTasks: ['0_0', '0_1', '0_2', '0_3'], standbyTasks: [] }]);
    // A removed thread's metrics go with it; the lowest free number is used again.
    expect(streams.metrics().filter((m) => m.group === 'stream-thread-metrics' && m.name === 'process-total').map((m) => m.tags['thread-id'])).toEqual(['counter-StreamThread-3']);
    expect(await streams.addStreamThread()).toBe('counter-StreamThread-1');
    await produce(engine, 1200, 1500);
    await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(1500)), 'every order counted once');
    await streams.close();
    expect(await streams.addStreamThread()).toBeUndefined();
  }, 60_000);

  it('global stores stay current after the thread that keeps them is removed', async () => {
    const dir = tempDir();
    const engine = await LogEngine.open({ dataDir: join(dir, 'log') });
    cleanup.push(() => engine.close());
    await engine.createTopic('rates', { partitions: 1 });
    await engine.createTopic('amounts', { partitions: PARTITIONS });
    await engine.createTopic('converted', { partitions: PARTITIONS });
    const rate = (value: number) => engine.produce('rates', [{ key: Buffer.from('EUR'), value: long.serialize('rates', value), timestamp: 1, headers: [] }]);
    const amount = () => engine.produce('amounts', [{ key: Buffer.from('EUR'), value: long.serialize('amounts', 10), timestamp: 2, headers: [] }]);
    await rate(2);
    const builder = new StreamsBuilder();
    const rates = builder.globalTable<string, number>('rates', Consumed.with(str, long));
    builder.stream<string, number>('amounts', Consumed.with(str, long))
      .join(rates, (currency) => currency, (value, perUnit) => value * perUnit)
      .to('converted', Produced.with(str, long));
    const streams = new KafkaStreams(builder.build(), { 'application.id': 'fx', 'client.id': 'fx', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 20, 'poll.ms': 5, 'num.stream.threads': 2 }, { engine });
    cleanup.push(() => streams.close());
    await streams.start();
    const converted = async () => {
      const values: number[] = [];
      for (let p = 0; p < PARTITIONS; p++) for (const r of await engine.fetch('converted', p, 0)) values.push(long.deserialize('converted', r.value)!);
      return values;
    };
    await amount();
    await waitFor(async () => (await converted()).includes(20), 'a conversion at the first rate');
    expect(await streams.removeStreamThread()).toBe('fx-StreamThread-1');
    await rate(5);
    await waitFor(async () => {
      await amount();
      return (await converted()).includes(50);
    }, 'a conversion at the rate updated after thread 1 left');
  }, 60_000);

  it('refuses a thread count that is not a whole number >= 1, naming the key', () => {
    expect(() => new KafkaStreams(orderCounts(), { 'application.id': 'counting', 'num.stream.threads': 0 })).toThrow(/"num\.stream\.threads" must be a whole number >= 1, got 0/);
    expect(() => new KafkaStreams(orderCounts(), { 'application.id': 'counting', 'num.stream.threads': 'two' })).toThrow(StreamsError);
    expect(new KafkaStreams(orderCounts(), { 'application.id': 'counting', 'num.stream.threads': '3' }).state).toBe('CREATED');
  });
});

describe('exactly_once_v2 with two threads', () => {
  it('each thread commits through its own transactional id; a failed record aborts both, and a fixed restart counts each order once', async () => {
    const { dir, engine } = await openEngine(cleanup);
    const config = { 'application.id': 'counting', 'state.dir': join(dir, 'state'), 'processing.guarantee': 'exactly_once_v2', 'statestore.cache.max.bytes': 0, 'poll.ms': 5, 'num.stream.threads': 2 };
    await produce(engine, 0, 400);
    const first = new KafkaStreams(orderCounts(), config, { engine });
    cleanup.push(() => first.close());
    await first.start();
    await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(400)), 'the first 400 orders counted');
    const transactionalIds = (await engine.listTransactions()).map((t) => t.transactionalId).filter((id) => id.startsWith('counting-'));
    expect(transactionalIds.map((id) => id.slice(id.lastIndexOf('-') + 1)).sort()).toEqual(['1', '2']);
    await first.close();

    // A poison order on one thread stops the client: neither thread's open transaction becomes visible.
    const failing = new KafkaStreams(orderCounts('poison'), config, { engine });
    const stopped = new Promise<void>((resolve) => failing.onStateChange((next) => next === 'ERROR' && resolve()));
    await failing.start();
    await produce(engine, 400, 800, (n) => (n === 799 ? 'poison' : `user-${n % USERS}`));
    await stopped;
    const committed = await latestCounts(engine);
    expect(committed.has('poison')).toBe(false);

    const fixed = new KafkaStreams(orderCounts(), config, { engine });
    cleanup.push(() => fixed.close());
    await fixed.start();
    const expected = expectedCounts(799);
    expected.set('poison', 1);
    await waitFor(async () => sameCounts(await latestCounts(engine), expected), 'each order counted exactly once after the restart');
  }, 60_000);
});

describe('num.stream.threads over the Kafka protocol', () => {
  it('one group member per instance; its two threads share the assigned tasks and count exactly', async () => {
    const { dir, engine } = await openEngine(cleanup);
    const broker = new KafkaBroker({ engine, port: 0 });
    const { port } = await broker.start();
    cleanup.push(() => broker.close());
    const streams = new KafkaStreams(orderCounts(), {
      'application.id': 'counting', 'bootstrap.servers': `127.0.0.1:${port}`, 'state.dir': join(dir, 'state'), 'commit.interval.ms': 20, 'poll.ms': 5,
      'session.timeout.ms': 3_000, 'client.id': 'net', 'num.stream.threads': 2,
    });
    cleanup.push(() => streams.close());
    await streams.start();
    await produce(engine, 0, 500);
    await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(500)), '500 orders counted');
    expect(streams.metadataForLocalThreads().map((t) => t.activeTasks.length)).toEqual([2, 2]);
    expect(streams.metadataForLocalThreads().flatMap((t) => t.activeTasks).sort()).toEqual(['0_0', '0_1', '0_2', '0_3']);
    expect(await streams.removeStreamThread()).toBe('net-StreamThread-1');
    await produce(engine, 500, 700);
    await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(700)), '700 orders counted by the remaining thread');
  }, 60_000);

  it('two instances of two threads with standby copies: each instance keeps copies only of the other instance\'s tasks', async () => {
    const { dir, engine } = await openEngine(cleanup);
    const broker = new KafkaBroker({ engine, port: 0 });
    const { port } = await broker.start();
    cleanup.push(() => broker.close());
    const config = (name: string) => ({
      'application.id': 'counting', 'bootstrap.servers': `127.0.0.1:${port}`, 'state.dir': join(dir, name), 'commit.interval.ms': 20, 'poll.ms': 5,
      'session.timeout.ms': 3_000, 'client.id': name, 'num.stream.threads': 2, 'num.standby.replicas': 1,
    });
    const a = new KafkaStreams(orderCounts(), config('a'));
    cleanup.push(() => a.close());
    await a.start();
    const b = new KafkaStreams(orderCounts(), config('b'));
    cleanup.push(() => b.close());
    await b.start();
    const active = (s: KafkaStreams) => s.metadataForLocalThreads().flatMap((t) => t.activeTasks).sort();
    const standbys = (s: KafkaStreams) => s.metadataForLocalThreads().flatMap((t) => t.standbyTasks).sort();
    await waitFor(() => active(a).length === 2 && active(b).length === 2 && standbys(a).length === 2 && standbys(b).length === 2, 'two tasks and two copies per instance');
    expect(standbys(a)).toEqual(active(b));
    expect(standbys(b)).toEqual(active(a));
    expect(a.metadataForLocalThreads().map((t) => t.activeTasks.length + t.standbyTasks.length)).toEqual([2, 2]);
    await produce(engine, 0, 400);
    await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(400)), '400 orders counted by two instances');
  }, 60_000);
});
