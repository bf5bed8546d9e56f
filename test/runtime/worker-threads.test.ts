import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaBroker, KafkaStreams, QueryableStoreTypes, Serdes, StoreQueryParameters, setLogLevel } from '../../src/index.ts';
import { orderCounts } from './fixtures/order-counts-topology.ts';
import { expectedCounts, latestCounts, openEngine, produce, sameCounts } from './support/order-counting.ts';
import { loggedLines } from '../support/log-capture.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * num.stream.threads with the topologyModule option: every stream thread runs in a worker thread
 * that rebuilds the topology, keeps its tasks' stores and reaches the cluster through the main
 * thread. What one thread counts, two count; tasks move between workers on add/remove; metrics and
 * failures of the workers reach the instance.
 */
setLogLevel('error');
const topologyModule = new URL('./fixtures/order-counts-topology.ts', import.meta.url);
const poisonedModule = new URL('./fixtures/poisoned-order-counts-topology.ts', import.meta.url);
let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

const config = (dir: string, extra: Record<string, unknown> = {}) => ({
  'application.id': 'counting', 'client.id': 'counter', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 20, 'poll.ms': 5, ...extra,
});
const processedTotals = (streams: KafkaStreams) => streams.metrics()
  .filter((m) => m.group === 'stream-thread-metrics' && m.name === 'process-total')
  .map((m) => [m.tags['thread-id'], Number(m.value)] as const);

describe('stream threads in worker threads on the embedded engine', () => {
  it('two worker threads count exactly what one in-loop thread counts, 2/2 tasks, each reporting its thread metrics', async () => {
    const inLoop = await openEngine(cleanup);
    await produce(inLoop.engine, 0, 900);
    const one = new KafkaStreams(orderCounts(), config(inLoop.dir), { engine: inLoop.engine });
    cleanup.push(() => one.close());
    await one.start();
    await waitFor(async () => sameCounts(await latestCounts(inLoop.engine), expectedCounts(900)), 'one in-loop thread counted 900 orders');

    const { dir, engine } = await openEngine(cleanup);
    await produce(engine, 0, 900);
    const two = new KafkaStreams(orderCounts(), config(dir, { 'num.stream.threads': 2 }), { engine, topologyModule });
    cleanup.push(() => two.close());
    await two.start();
    await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(900)), 'two worker threads counted 900 orders');
    expect(await latestCounts(engine)).toEqual(await latestCounts(inLoop.engine));
    const threads = two.metadataForLocalThreads();
    expect(threads.map((t) => t.threadName)).toEqual(['counter-StreamThread-1', 'counter-StreamThread-2']);
    expect(threads.map((t) => t.activeTasks.length)).toEqual([2, 2]);
    expect(threads.flatMap((t) => t.activeTasks).sort()).toEqual(['0_0', '0_1', '0_2', '0_3']);
    // Workers report their sensors about once a second.
    await waitFor(() => processedTotals(two).reduce((sum, [, total]) => sum + total, 0) === 900, 'the workers reported 900 records processed');
    expect(processedTotals(two).map(([thread]) => thread).sort()).toEqual(['counter-StreamThread-1', 'counter-StreamThread-2']);
    expect(two.metrics().find((m) => m.name === 'alive-stream-threads')?.value).toBe(2);
  }, 60_000);

  it('a worker thread left alone gets the whole record cache, as Kafka resizes caches on removeStreamThread', async () => {
    const { dir, engine } = await openEngine(cleanup);
    // 200 users' counts take about 13 KB of cache: they fit in 20,000 bytes, not in a half of it.
    // No commit comes within the test, so any record in "counts" is an eviction from a full cache.
    const streams = new KafkaStreams(orderCounts(), config(dir, { 'num.stream.threads': 2, 'statestore.cache.max.bytes': 20_000, 'commit.interval.ms': 600_000 }), { engine, topologyModule });
    cleanup.push(() => streams.close());
    await streams.start();
    expect(await streams.removeStreamThread()).toBe('counter-StreamThread-1');
    expect(streams.metadataForLocalThreads().map((t) => t.activeTasks.length)).toEqual([4]);
    await produce(engine, 0, 600, (n) => `user-${n % 200}`);
    await waitFor(() => processedTotals(streams).reduce((sum, [, total]) => sum + total, 0) === 600, 'the worker reported 600 records processed');
    expect((await latestCounts(engine)).size).toBe(0);
    await streams.close();
    expect(await latestCounts(engine)).toEqual(expectedCounts(600, 200));
  }, 60_000);

  it('tasks move between worker threads on add and remove, and every count stays exact', async () => {
    const { dir, engine } = await openEngine(cleanup);
    const streams = new KafkaStreams(orderCounts(), config(dir, { 'num.stream.threads': 2 }), { engine, topologyModule });
    cleanup.push(() => streams.close());
    await streams.start();
    await produce(engine, 0, 300);
    expect(streams.metadataForLocalThreads().map((t) => t.activeTasks)).toEqual([['0_0', '0_2'], ['0_1', '0_3']]);
    await produce(engine, 300, 600);
    expect(await streams.addStreamThread()).toBe('counter-StreamThread-3');
    expect(streams.metadataForLocalThreads().map((t) => t.activeTasks.length).sort()).toEqual([1, 1, 2]);
    await produce(engine, 600, 900);
    expect(await streams.removeStreamThread()).toBe('counter-StreamThread-1');
    await produce(engine, 900, 1200);
    expect(await streams.removeStreamThread()).toBe('counter-StreamThread-2');
    expect(await streams.removeStreamThread()).toBeUndefined();
    expect(streams.metadataForLocalThreads()).toEqual([{ threadName: 'counter-StreamThread-3', activeTasks: ['0_0', '0_1', '0_2', '0_3'], standbyTasks: [] }]);
    await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(1200)), 'every order counted once');
    // A removed worker's metrics go with it; the lowest free number is used again.
    await waitFor(() => processedTotals(streams).map(([thread]) => thread).join() === 'counter-StreamThread-3', 'only thread 3 reports metrics');
    expect(await streams.addStreamThread()).toBe('counter-StreamThread-1');
    await produce(engine, 1200, 1500);
    await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(1500)), 'every order counted once by threads 3 and 1');
    expect(streams.metadataForLocalThreads().map((t) => t.activeTasks.length)).toEqual([2, 2]);
  }, 60_000);

  it('commit() writes the worker threads\' checkpoints, as it does an in-loop thread\'s', async () => {
    const { dir, engine } = await openEngine(cleanup);
    const streams = new KafkaStreams(orderCounts(), config(dir, { 'num.stream.threads': 2 }), { engine, topologyModule });
    cleanup.push(() => streams.close());
    await streams.start();
    await produce(engine, 0, 300);
    await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(300)), 'the first 300 orders counted');
    // Each task's first commit wrote a checkpoint; the next 300 orders move its changelog far less than 10,000 records.
    await produce(engine, 300, 600);
    await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(600)), 'all 600 orders counted');
    await streams.commit();
    for (const task of ['0_0', '0_1', '0_2', '0_3']) {
      const checkpoint = JSON.parse(readFileSync(join(dir, 'state', 'counting', task, '.checkpoint'), 'utf8')) as { offsets: { counts: number } };
      expect(checkpoint.offsets.counts).toBe((await engine.listOffsets('counting-counts-changelog', Number(task.split('_')[1]))).latest);
    }
  }, 60_000);

  it('a restart restores the stores the worker threads kept (counts go on from where they were)', async () => {
    const { dir, engine } = await openEngine(cleanup);
    await produce(engine, 0, 500);
    const first = new KafkaStreams(orderCounts(), config(dir, { 'num.stream.threads': 2 }), { engine, topologyModule });
    cleanup.push(() => first.close());
    await first.start();
    await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(500)), 'the first 500 orders counted');
    await first.close();
    await produce(engine, 500, 800);
    const second = new KafkaStreams(orderCounts(), config(dir, { 'num.stream.threads': 2 }), { engine, topologyModule });
    cleanup.push(() => second.close());
    await second.start();
    await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(800)), 'the restarted instance counted on to 800');
  }, 60_000);

  it('a record failing in a worker reaches the uncaught exception handler with its message, and the client stops', async () => {
    const { dir, engine } = await openEngine(cleanup);
    const streams = new KafkaStreams(orderCounts('poison'), config(dir, { 'num.stream.threads': 2 }), { engine, topologyModule: poisonedModule });
    cleanup.push(() => streams.close());
    const failures: unknown[] = [];
    streams.setUncaughtExceptionHandler((error) => {
      failures.push(error);
      return 'SHUTDOWN_CLIENT';
    });
    const stopped = new Promise<void>((resolve) => streams.onStateChange((next) => next === 'ERROR' && resolve()));
    await streams.start();
    await produce(engine, 0, 10, (n) => (n === 7 ? 'poison' : `user-${n}`));
    await stopped;
    expect(failures).toHaveLength(1);
    expect(String((failures[0] as Error).message)).toMatch(/a bad order/);
  }, 60_000);

  it('refuses a module that builds another topology', async () => {
    const { dir, engine } = await openEngine(cleanup);
    const wrong = new KafkaStreams(orderCounts(), config(dir, { 'application.id': 'wrong', 'num.stream.threads': 2 }), { engine, topologyModule: new URL('../../bench/support/keyed-count-topology.ts', import.meta.url) });
    await expect(wrong.start()).rejects.toThrow(/builds a different topology/);
  }, 60_000);
});

describe('falling back to in-loop threads', () => {
  it('says in one warning line why (no topologyModule; a config object), and the in-loop threads count and answer store()', async () => {
    const { dir, engine } = await openEngine(cleanup);
    setLogLevel('warn');
    try {
      const plain = new KafkaStreams(orderCounts(), config(dir, { 'application.id': 'plain', 'num.stream.threads': 2 }), { engine });
      cleanup.push(() => plain.close());
      await plain.start();
      const withObject = new KafkaStreams(orderCounts(), config(dir, { 'application.id': 'objects', 'num.stream.threads': 2, 'default.key.serde': Serdes.String() }), { engine, topologyModule });
      cleanup.push(() => withObject.close());
      await withObject.start();
      const warnings = loggedLines('warn').map((l) => l.message).filter((m) => m.includes('share one event loop'));
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(/no topologyModule option/);
      expect(warnings[1]).toMatch(/config "default\.key\.serde" is an object or function/);
      await produce(engine, 0, 200);
      await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(200)), '200 orders counted by in-loop threads');
      const counts = withObject.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>()));
      await waitFor(() => counts.get('user-1') === expectedCounts(200).get('user-1'), 'the in-loop store answers');
    } finally {
      setLogLevel('error');
    }
  }, 60_000);
});

describe('exactly_once_v2 with two worker threads', () => {
  it('each worker commits through its own transactional id (opened by the main thread\'s engine) and every count is exact', async () => {
    const { dir, engine } = await openEngine(cleanup);
    await produce(engine, 0, 600);
    const streams = new KafkaStreams(orderCounts(), config(dir, { 'processing.guarantee': 'exactly_once_v2', 'num.stream.threads': 2 }), { engine, topologyModule });
    cleanup.push(() => streams.close());
    await streams.start();
    await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(600)), '600 orders counted, read_committed');
    const transactionalIds = (await engine.listTransactions()).map((t) => t.transactionalId).filter((id) => id.startsWith('counting-'));
    expect(transactionalIds.map((id) => id.slice(id.lastIndexOf('-') + 1)).sort()).toEqual(['1', '2']);
  }, 60_000);
});

describe('stream threads in worker threads over the Kafka protocol', () => {
  it('the instance is the one group member; two worker threads share its tasks and count exactly, also after one is removed', async () => {
    const { dir, engine } = await openEngine(cleanup);
    const broker = new KafkaBroker({ engine, port: 0 });
    const { port } = await broker.start();
    cleanup.push(() => broker.close());
    const streams = new KafkaStreams(orderCounts(), config(dir, { 'bootstrap.servers': `127.0.0.1:${port}`, 'session.timeout.ms': 3_000, 'client.id': 'net', 'num.stream.threads': 2 }), { topologyModule });
    cleanup.push(() => streams.close());
    await streams.start();
    await produce(engine, 0, 500);
    await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(500)), '500 orders counted');
    expect(streams.metadataForLocalThreads().map((t) => t.activeTasks.length)).toEqual([2, 2]);
    expect(await streams.removeStreamThread()).toBe('net-StreamThread-1');
    await produce(engine, 500, 700);
    await waitFor(async () => sameCounts(await latestCounts(engine), expectedCounts(700)), '700 orders counted by the remaining worker thread');
  }, 60_000);
});
