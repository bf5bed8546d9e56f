import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  KafkaStreams, QueryableStoreTypes, Serdes, StoreQueryParameters, isStreamsError, setLogLevel, startHttpEndpoint,
  type ReadOnlyKeyValueStore, type ValueAndTimestamp,
} from '../../src/index.ts';
import { orderWindows, WINDOW_MS } from './fixtures/order-windows-topology.ts';
import { USERS, expectedCounts, openEngine, produce } from './support/order-counting.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * Interactive queries of an instance whose stream threads run in worker threads: `store()` and
 * the HTTP /stores endpoint read key-value, window and session stores of the tasks in every
 * worker, synchronously, also while the workers process and after tasks moved between them.
 */
setLogLevel('error');
const topologyModule = new URL('./fixtures/order-windows-topology.ts', import.meta.url);
let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

const config = (dir: string) => ({
  'application.id': 'windows', 'client.id': 'querier', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 20, 'poll.ms': 5, 'num.stream.threads': 2,
});
const entriesOf = <K, V>(iterator: Iterable<{ key: K; value: V }>) => [...iterator].map(({ key, value }) => [key, value] as const);
/** Every user's count as the view reads it now. */
const countsIn = (view: ReadOnlyKeyValueStore<string, number>) => new Map(entriesOf(view.all()));
/** The orders of `user` (`user-<n>`) among orders 0 up to `count` whose timestamps fall in [from, to). */
const ordersOf = (user: number, count: number, from = 0, to = count) => Array.from({ length: count }, (_, n) => n).filter((n) => n % USERS === user && n >= from && n < to);

async function startedWithOrders(count: number) {
  const { dir, engine } = await openEngine(cleanup);
  await produce(engine, 0, count);
  const streams = new KafkaStreams(orderWindows(), config(dir), { engine, topologyModule });
  cleanup.push(() => streams.close());
  await streams.start();
  const counts = streams.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>()));
  await waitFor(() => {
    try {
      return [...expectedCounts(count)].every(([user, n]) => counts.get(user) === n);
    } catch (error) {
      if (isStreamsError(error, 'INVALID_STATE_STORE')) return false;
      throw error;
    }
  }, `the workers counted ${count} orders`);
  return { streams, engine, dir, counts };
}

describe('interactive queries of stores in worker threads', () => {
  it('read key-value, window and session stores across both workers, with the reads each kind has', async () => {
    const { streams, counts } = await startedWithOrders(900);
    expect(streams.metadataForLocalThreads().map((t) => t.activeTasks)).toEqual([['0_0', '0_2'], ['0_1', '0_3']]);

    // Key-value: plain and timestamped views, scans over the tasks of both workers.
    expect(countsIn(counts)).toEqual(expectedCounts(900));
    expect(counts.approximateNumEntries()).toBeGreaterThan(0);
    expect(entriesOf(counts.range('user-10', 'user-12')).map(([key]) => key).sort()).toEqual(['user-10', 'user-11', 'user-12']);
    expect(entriesOf(counts.prefixScan('user-1', Serdes.String())).map(([key]) => key).sort())
      .toEqual(['user-1', 'user-10', 'user-11', 'user-12', 'user-13', 'user-14', 'user-15', 'user-16']);
    expect(counts.get('nobody')).toBeNull();
    const stamped = streams.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.timestampedKeyValueStore<string, number>()));
    const lastOrderOfUser1 = ordersOf(1, 900).at(-1)!;
    expect(stamped.get('user-1')).toEqual({ value: ordersOf(1, 900).length, timestamp: lastOrderOfUser1 } satisfies ValueAndTimestamp<number>);
    // One task's store, by task id: together the four tasks hold every user once.
    const perTask = ['0_0', '0_1', '0_2', '0_3'].map((taskId) => streams.store<ReadOnlyKeyValueStore<string, ValueAndTimestamp<number>>>(taskId, 'counts')!);
    expect(perTask.flatMap((store) => entriesOf(store.all()).map(([key]) => key)).sort()).toEqual([...expectedCounts(900).keys()].sort());

    // Window store: one window, one key's windows, every key's windows.
    const windows = streams.store(StoreQueryParameters.fromNameAndType('window-counts', QueryableStoreTypes.windowStore<string, number>()));
    expect(windows.fetch('user-1', 0)).toBe(ordersOf(1, 900, 0, WINDOW_MS).length);
    const user1Windows = entriesOf(windows.fetch('user-1', 0, 899));
    expect(user1Windows.map(([start]) => start)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800]);
    expect(user1Windows.reduce((sum, [, n]) => sum + n, 0)).toBe(ordersOf(1, 900).length);
    const firstWindows = entriesOf(windows.fetchAll(0, 0));
    expect(firstWindows).toHaveLength(USERS);
    expect(firstWindows.map(([key]) => String(key))).toContain('[user-1@0/100]');
    expect(entriesOf(windows.backwardFetch('user-2', 0, 899)).map(([start]) => start)[0]).toBe(800);

    // Session store: each user's orders make one session, from their first order to their last.
    const sessions = streams.store(StoreQueryParameters.fromNameAndType('session-counts', QueryableStoreTypes.sessionStore<string, number>()));
    const [session] = entriesOf(sessions.fetch('user-1'));
    expect(session![0].key).toBe('user-1');
    expect(session![0].window).toEqual({ start: ordersOf(1, 900)[0], end: lastOrderOfUser1 });
    expect(session![1]).toBe(ordersOf(1, 900).length);
    expect(sessions.fetchSession('user-1', ordersOf(1, 900)[0]!, lastOrderOfUser1)).toBe(ordersOf(1, 900).length);
    expect(entriesOf(sessions.findSessions('user-0', 'user-1', 0, 1_000)).map(([key]) => key.key).sort()).toEqual(['user-0', 'user-1']);

    // A kind asked for that the store is not.
    expect(() => streams.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.sessionStore<string, number>())).fetch('user-1'))
      .toThrow(/is not a session store/);
  }, 60_000);

  it('answer while the workers process more orders, and after a thread is removed and its tasks moved', async () => {
    const { streams, engine, counts } = await startedWithOrders(300);
    let reads = 0;
    let previous = countsIn(counts);
    const producing = (async () => {
      for (let from = 300; from < 1500; from += 100) {
        await produce(engine, from, from + 100);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    let done = false;
    void producing.then(() => (done = true));
    while (!done || countsIn(counts).get('user-0') !== expectedCounts(1500).get('user-0')) {
      // Counts only grow: each read sees a store as of some moment of its task.
      const now = countsIn(counts);
      for (const [user, n] of previous) expect(now.get(user)).toBeGreaterThanOrEqual(n);
      previous = now;
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(reads).toBeGreaterThan(1);
    await waitFor(() => [...expectedCounts(1500)].every(([user, n]) => counts.get(user) === n), 'every order of 1500 counted');

    expect(await streams.removeStreamThread()).toBe('querier-StreamThread-1');
    await produce(engine, 1500, 1700);
    await waitFor(() => {
      try {
        return [...expectedCounts(1700)].every(([user, n]) => counts.get(user) === n);
      } catch (error) {
        if (isStreamsError(error, 'INVALID_STATE_STORE')) return false;
        throw error;
      }
    }, 'the remaining worker answers for all four tasks');
    expect(countsIn(counts)).toEqual(expectedCounts(1700));
  }, 60_000);

  it('serve /stores over HTTP from the workers\' stores, and /metrics has both workers\' thread metrics', async () => {
    const { streams } = await startedWithOrders(900);
    const http = await startHttpEndpoint(streams, { port: 0 });
    cleanup.push(() => http.close());
    const get = async (path: string) => (await fetch(`http://127.0.0.1:${http.port}${path}`)).json();
    expect(await get('/stores/counts/keys/user-3')).toEqual({ key: 'user-3', value: ordersOf(3, 900).length });
    expect(await get('/stores/session-counts/keys/user-3')).toEqual([{ key: { key: 'user-3', start: ordersOf(3, 900)[0], end: ordersOf(3, 900).at(-1) }, value: ordersOf(3, 900).length }]);
    expect(await get('/stores/window-counts/keys/user-3?from=0&to=0')).toEqual([{ key: { key: 'user-3', start: 0, end: WINDOW_MS }, value: ordersOf(3, 900, 0, WINDOW_MS).length }]);
    expect((await get('/stores/counts') as unknown[]).length).toBe(USERS);
    // Workers report their sensors about once a second.
    const processedBy = (thread: string) => new RegExp(`kafka_streams_stream_thread_metrics_process_total\\{[^}]*thread_id="${thread}"[^}]*\\} [1-9]`);
    await waitFor(async () => {
      const text = await (await fetch(`http://127.0.0.1:${http.port}/metrics`)).text();
      return processedBy('querier-StreamThread-1').test(text) && processedBy('querier-StreamThread-2').test(text);
    }, '/metrics shows records processed by both worker threads');
  }, 60_000);
});
