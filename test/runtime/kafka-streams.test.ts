import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { filter, firstValueFrom } from 'rxjs';
import { Consumed, Grouped, KafkaStreams, LogEngine, Materialized, Produced, Serdes, StreamsBuilder, isStreamsError, setLogSink } from '../../src/index.ts';
import type { KafkaStreamsState, ProcessorContext, TimestampedKeyValueStore } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';

const str = Serdes.String();
const long = Serdes.Long();

/** Per-user sums: orders (user → amount) → groupByKey → aggregate → totals. */
function spending() {
  const builder = new StreamsBuilder();
  builder
    .stream<string, number>('orders', Consumed.with(str, long))
    .groupByKey()
    .aggregate(() => 0, (_u, amount, total) => total + amount, Materialized.as<string, number>('totals-store').withValueSerde(long))
    .toStream()
    .to('totals', Produced.with(str, long));
  return builder.build();
}

async function produceOrders(log: LogEngine, orders: ReadonlyArray<[string, number]>): Promise<void> {
  await log.produce('orders', orders.map(([user, amount]) => ({ key: Buffer.from(user), value: long.serialize('orders', amount), timestamp: Date.now(), headers: [] })));
}

/** The latest total per user found in the `totals` topic. */
async function latestTotals(log: LogEngine): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (let p = 0; p < log.partitionCount('totals'); p++) {
    const { latest } = await log.listOffsets('totals', p);
    for (let offset = 0; offset < latest; ) {
      const page = await log.fetch('totals', p, offset);
      for (const r of page) totals.set(r.key!.toString(), long.deserialize('totals', r.value)!);
      offset = page[page.length - 1]!.offset + 1;
    }
  }
  return totals;
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function sameTotals(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return a.size === b.size && [...a].every(([user, total]) => b.get(user) === total);
}

function expectedTotals(orders: ReadonlyArray<[string, number]>): Map<string, number> {
  const totals = new Map<string, number>();
  for (const [user, amount] of orders) totals.set(user, (totals.get(user) ?? 0) + amount);
  return totals;
}

const ORDERS: Array<[string, number]> = Array.from({ length: 400 }, (_, i) => [`user-${i % 37}`, (i * 7) % 100]);

describe('KafkaStreams on the embedded log engine', () => {
  it('runs a task per partition, survives a clean restart, and rebuilds lost state from the changelog', async () => {
    const dir = tempDir();
    const stateDir = join(dir, 'state');
    const log = await LogEngine.open({ dataDir: join(dir, 'log') });
    await log.createTopic('orders', { partitions: 4 });
    await log.createTopic('totals', { partitions: 4 });
    await produceOrders(log, ORDERS.slice(0, 200));
    const config = { 'application.id': 'spending', 'state.dir': stateDir, 'commit.interval.ms': 50, 'poll.ms': 10 };

    let streams = new KafkaStreams(spending(), config, { engine: log });
    const states: KafkaStreamsState[] = [];
    streams.onStateChange((next) => states.push(next));
    await streams.start();
    expect(streams.state).toBe('RUNNING');
    expect(await log.listTopics()).toContain('spending-totals-store-changelog');
    expect(log.partitionCount('spending-totals-store-changelog')).toBe(4);
    expect(streams.store('0_3', 'totals-store')).toBeDefined();
    const firstHalf = expectedTotals(ORDERS.slice(0, 200));
    await waitFor(async () => sameTotals(await latestTotals(log), firstHalf), 'the first totals');
    await streams.close();
    expect(states).toEqual(['REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING']);

    // Restart: committed offsets and state carry on.
    await produceOrders(log, ORDERS.slice(200));
    streams = new KafkaStreams(spending(), config, { engine: log });
    await streams.start();
    const all = expectedTotals(ORDERS);
    await waitFor(async () => sameTotals(await latestTotals(log), all), 'the totals after a restart');
    await streams.close();

    // Lose the local state: it is rebuilt from the changelog, so new orders add to the right totals.
    expect(() => streams.cleanUp()).not.toThrow();
    rmSync(stateDir, { recursive: true, force: true });
    await produceOrders(log, [['user-1', 1000]]);
    streams = new KafkaStreams(spending(), config, { engine: log });
    await streams.start();
    await waitFor(async () => (await latestTotals(log)).get('user-1') === all.get('user-1')! + 1000, 'total from restored state');
    expect(() => streams.cleanUp()).toThrow(/needs a stopped instance; this one is RUNNING/);
    expect(await streams.close({ timeoutMs: 10_000 })).toBe(true);
    await log.close();
  });

  /** Sums by amount bucket: the orders are re-keyed, so they travel through a repartition topic. */
  async function runBucketSums(name: string, breakEngine?: (log: LogEngine) => void): Promise<{ log: LogEngine; streams: KafkaStreams; repartition: string }> {
    const dir = tempDir();
    const log = await LogEngine.open({ dataDir: join(dir, 'log') });
    await log.createTopic('orders', { partitions: 2 });
    await log.createTopic('totals', { partitions: 2 });
    await produceOrders(log, ORDERS);
    breakEngine?.(log);
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('orders', Consumed.with(str, long))
      .groupBy((_user, amount) => `bucket-${amount % 5}`, Grouped.with(str, long))
      .aggregate(() => 0, (_b, amount, total) => total + amount, Materialized.as<string, number>('bucket-sums').withValueSerde(long))
      .toStream()
      .to('totals', Produced.with(str, long));
    const config = { 'application.id': name, 'state.dir': join(dir, 'state'), 'commit.interval.ms': 20, 'poll.ms': 10, 'repartition.purge.interval.ms': 0 };
    const streams = new KafkaStreams(builder.build(), config, { engine: log });
    await streams.start();
    const expected = new Map<string, number>();
    for (const [, amount] of ORDERS) expected.set(`bucket-${amount % 5}`, (expected.get(`bucket-${amount % 5}`) ?? 0) + amount);
    await waitFor(async () => sameTotals(await latestTotals(log), expected), 'the bucket sums');
    const repartition = (await log.listTopics()).find((t) => t.startsWith(`${name}-`) && t.endsWith('-repartition'))!;
    return { log, streams, repartition };
  }

  it('purges its repartition topic up to the committed offsets, and the results stay right', async () => {
    const { log, streams, repartition } = await runBucketSums('purging');
    // Everything consumed from the repartition topic is deleted after a commit; nothing is left behind unconsumed.
    await waitFor(async () => {
      const offsets = await Promise.all([0, 1].map((p) => log.listOffsets(repartition, p)));
      return offsets.every(({ earliest, latest }) => earliest === latest) && offsets.some(({ latest }) => latest > 0);
    }, 'the repartition topic to be purged');
    expect(await log.describeTopic(repartition)).toMatchObject({ config: { 'retention.ms': -1, 'segment.bytes': 52_428_800 } });
    await streams.close();
    await log.close();
  });

  it('never purges a topic of its own that merely looks like a repartition topic', async () => {
    const dir = tempDir();
    const log = await LogEngine.open({ dataDir: join(dir, 'log') });
    await log.createTopic('lookalike-orders-repartition', { partitions: 1 });
    await log.createTopic('copied', { partitions: 1 });
    await log.produce('lookalike-orders-repartition', ORDERS.slice(0, 50).map(([user, amount]) => ({ key: Buffer.from(user), value: long.serialize('x', amount), timestamp: Date.now(), headers: [] })));
    const builder = new StreamsBuilder();
    builder.stream<string, number>('lookalike-orders-repartition', Consumed.with(str, long)).to('copied', Produced.with(str, long));
    const config = { 'application.id': 'lookalike', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 20, 'poll.ms': 10, 'repartition.purge.interval.ms': 0 };
    const streams = new KafkaStreams(builder.build(), config, { engine: log });
    await streams.start();
    await waitFor(async () => (await log.listOffsets('copied', 0)).latest === 50, 'the copy');
    await waitFor(async () => (await log.fetchOffsets('lookalike')).some((c) => c.offset === 50), 'the commit');
    await streams.close();
    expect(await log.listOffsets('lookalike-orders-repartition', 0)).toEqual({ earliest: 0, latest: 50 });
    await log.close();
  });

  it('logs a failed purge and keeps processing', async () => {
    const warnings: string[] = [];
    const previousSink = setLogSink((level, _component, message) => void (level === 'warn' && warnings.push(message)));
    try {
      const { log, streams, repartition } = await runBucketSums('purge-fails', (engine) => {
        engine.deleteRecords = () => Promise.reject(new Error('the disk said no'));
      });
      await waitFor(async () => warnings.some((w) => w.includes(repartition) && w.includes('the disk said no')), 'a purge to fail');
      expect(streams.state).toBe('RUNNING');
      expect((await log.listOffsets(repartition, 0)).earliest).toBe(0);
      await streams.close();
      await log.close();
    } finally {
      setLogSink(previousSink);
    }
  });

  it('exposes its state as an Observable and refuses configs it cannot run', async () => {
    const dir = tempDir();
    expect(() => new KafkaStreams(spending(), { 'application.id': 'x', 'commit.interval.msec': 5 })).toThrow(/unknown streams config "commit.interval.msec"/);
    expect(() => new KafkaStreams(spending(), { 'state.dir': dir })).toThrow(/"application.id" must be a non-empty string/);
    expect(() => new KafkaStreams(spending(), { 'application.id': 'x', 'repartition.purge.interval.ms': -1 })).toThrow(/"repartition.purge.interval.ms" must be a whole number of milliseconds >= 0/);
    const log = await LogEngine.open({ dataDir: join(dir, 'log') });
    const streams = new KafkaStreams(spending(), { 'application.id': 'x', 'state.dir': dir }, { engine: log });
    const errored = firstValueFrom(streams.state$.pipe(filter((s) => s === 'ERROR')));
    let error: unknown;
    try {
      await streams.start();
    } catch (e) {
      error = e;
    }
    expect(isStreamsError(error, 'UNKNOWN_TOPIC')).toBe(true);
    expect(String(error)).toMatch(/source topic "orders" does not exist; create it first/);
    // The hint is a command that works as written: it names the data directory the app runs on.
    expect(String(error)).toContain(`kstreams topics create orders --partitions N --data-dir ${join(dir, 'log')}`);
    expect(await errored).toBe('ERROR');
    await log.close();
  });

  it('loads global tables from every partition before processing and keeps them current', async () => {
    const dir = tempDir();
    const log = await LogEngine.open({ dataDir: join(dir, 'log') });
    await log.createTopic('rates', { partitions: 2 });
    await log.createTopic('amounts', { partitions: 3 });
    await log.createTopic('converted', { partitions: 3 });
    const rate = (currency: string, value: number, partition: number) =>
      ({ key: Buffer.from(currency), value: long.serialize('rates', value), timestamp: 1, headers: [], partition });
    await log.produce('rates', [rate('EUR', 2, 0), rate('GBP', 3, 1)]);
    const builder = new StreamsBuilder();
    const rates = builder.globalTable<string, number>('rates', Consumed.with(str, long), Materialized.as('rates-store'));
    builder
      .stream<string, number>('amounts', Consumed.with(str, long))
      .process<string, number>(() => {
        let context: ProcessorContext<string, number>;
        return {
          init: (c) => void (context = c),
          process: (record) => {
            const store = context.getStateStore<TimestampedKeyValueStore<string, number>>(rates.storeName);
            context.forward(record.withValue(record.value * (store.get(record.key)?.value ?? 0)));
          },
        };
      })
      .to('converted', Produced.with(str, long));
    const streams = new KafkaStreams(builder.build(), { 'application.id': 'fx', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 20, 'poll.ms': 5 }, { engine: log });
    await streams.start();
    await log.produce('amounts', [{ key: Buffer.from('EUR'), value: long.serialize('a', 10), timestamp: 2, headers: [] }]);
    await log.produce('rates', [rate('EUR', 5, 0)]);
    const converted = async () => {
      const values: number[] = [];
      for (let p = 0; p < 3; p++) for (const r of await log.fetch('converted', p, 0)) values.push(long.deserialize('c', r.value)!);
      return values;
    };
    await waitFor(async () => (await converted()).length === 1, 'the first conversion');
    expect(await converted()).toEqual([20]);
    await waitFor(async () => {
      await log.produce('amounts', [{ key: Buffer.from('EUR'), value: long.serialize('a', 10), timestamp: 3, headers: [] }]);
      return (await converted()).includes(50);
    }, 'a conversion with the updated rate');
    await streams.close();
    await log.close();
  });
});
