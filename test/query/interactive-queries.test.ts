import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  Consumed, KafkaStreams, LogEngine, Materialized, QueryableStoreTypes, Serdes, SessionWindows, StoreQueryParameters, StreamsBuilder, TimeWindows,
  isStreamsError, partitionForKey, setLogLevel,
} from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';

setLogLevel('warn');
const str = Serdes.String();
const PARTITIONS = 4;
const USERS = Array.from({ length: 12 }, (_, i) => `user-${i}`);
/** Click i of user u at time 1000 * i; users click 1 + (index % 3) times. */
const CLICKS = USERS.flatMap((user, u) => Array.from({ length: 1 + (u % 3) }, (_, i) => ({ user, time: 1_000 * i })));

function clickCounts() {
  const builder = new StreamsBuilder();
  const clicks = builder.stream<string, string>('clicks', Consumed.with(str, str)).groupByKey();
  clicks.count(Materialized.as<string, number>('counts'));
  clicks.windowedBy(TimeWindows.ofSizeWithNoGrace(10_000)).count(Materialized.as<string, number>('windowed-counts'));
  clicks.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(5_000)).count(Materialized.as<string, number>('sessions'));
  return builder.build();
}

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function runningApp(extra: { [key: string]: string } = {}): Promise<KafkaStreams> {
  const dir = tempDir();
  const log = await LogEngine.open({ dataDir: join(dir, 'log') });
  cleanup.push(() => log.close());
  await log.createTopic('clicks', { partitions: PARTITIONS });
  await log.produce('clicks', CLICKS.map(({ user, time }) => ({ key: Buffer.from(user), value: Buffer.from('click'), timestamp: time, headers: [] })));
  const streams = new KafkaStreams(clickCounts(), { 'application.id': 'clicks', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 50, 'poll.ms': 10, ...extra }, { engine: log });
  cleanup.push(() => streams.close());
  await streams.start();
  const counts = streams.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>()));
  const deadline = Date.now() + 20_000;
  while ([...counts.all()].reduce((sum, { value }) => sum + value, 0) < CLICKS.length) {
    if (Date.now() > deadline) throw new Error('timed out waiting for every click to be counted');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return streams;
}

const clicksOf = (user: string) => CLICKS.filter((c) => c.user === user).length;

describe('streams.store(StoreQueryParameters...) on a running application', () => {
  it('reads key-value, timestamped, window and session stores over every local task', async () => {
    const streams = await runningApp();
    const counts = streams.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>()));
    for (const user of USERS) expect(counts.get(user)).toBe(clicksOf(user));
    expect(counts.get('nobody')).toBeNull();
    expect(new Set([...counts.all()].map((e) => e.key))).toEqual(new Set(USERS));
    await streams.commit(); // the count of entries is the stores' own, without what waits in their caches
    expect(counts.approximateNumEntries()).toBe(USERS.length);
    // Task after task, each in key order: the keys of one partition stay together, in partition order.
    const partitionsInOrder = [...counts.all()].map((e) => partitionForKey(Buffer.from(e.key), PARTITIONS));
    expect(partitionsInOrder).toEqual([...partitionsInOrder].sort());

    const timestamped = streams.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.timestampedKeyValueStore<string, number>()));
    expect(timestamped.get('user-2')).toEqual({ value: 3, timestamp: 2_000 });

    const windows = streams.store(StoreQueryParameters.fromNameAndType('windowed-counts', QueryableStoreTypes.windowStore<string, number>()));
    expect(windows.fetch('user-1', 0)).toBe(2);
    expect([...windows.fetch('user-2', 0, 100_000)]).toEqual([{ key: 0, value: 3 }]);
    expect([...windows.fetchAll(0, 0)].length).toBe(USERS.length);

    const sessions = streams.store(StoreQueryParameters.fromNameAndType('sessions', QueryableStoreTypes.sessionStore<string, number>()));
    const [session] = [...sessions.fetch('user-2')];
    expect({ start: session!.key.window.start, end: session!.key.window.end, count: session!.value }).toEqual({ start: 0, end: 2_000, count: 3 });
  });

  it('withPartition reads one task only', async () => {
    const streams = await runningApp();
    const user = 'user-5';
    const partition = partitionForKey(Buffer.from(user), PARTITIONS);
    const params = StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>());
    expect(streams.store(params.withPartition(partition)).get(user)).toBe(clicksOf(user));
    expect(streams.store(params.withPartition((partition + 1) % PARTITIONS)).get(user)).toBeNull();
    expect([...streams.store(params.withPartition(partition)).all()].every((e) => partitionForKey(Buffer.from(e.key), PARTITIONS) === partition)).toBe(true);
    expect(() => streams.store(params.withPartition(PARTITIONS)).get(user)).toThrow(/cannot get partition 4 of state store "counts": no local task holds it/);
  });

  it('refuses the wrong store type, an unknown store, and reads before start or after close, with coded errors', async () => {
    const streams = await runningApp();
    const codeOf = (read: () => unknown) => {
      try {
        read();
      } catch (error) {
        return isStreamsError(error) ? `${error.code}: ${error.message}` : String(error);
      }
      return 'no error';
    };
    expect(codeOf(() => streams.store(StoreQueryParameters.fromNameAndType('windowed-counts', QueryableStoreTypes.keyValueStore())).get('x')))
      .toMatch(/^INVALID_STATE_STORE: state store "windowed-counts" is not a key-value store/);
    expect(codeOf(() => streams.store(StoreQueryParameters.fromNameAndType('count', QueryableStoreTypes.keyValueStore())).get('x')))
      .toMatch(/^UNKNOWN_STATE_STORE: .*no such store; stores: counts, sessions, windowed-counts/);
    const counts = streams.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>()));
    await streams.close();
    expect(codeOf(() => counts.get('user-1'))).toMatch(/^INVALID_STATE_STORE: .*NOT_RUNNING, not RUNNING; retry/);
    const unstarted = new KafkaStreams(clickCounts(), { 'application.id': 'clicks', 'state.dir': tempDir() });
    expect(codeOf(() => unstarted.store(StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore()))))
      .toMatch(/^INVALID_STATE_STORE: .*CREATED, not RUNNING; start\(\) it first/);
  });

  it('answers key metadata on a single instance from its own application.server', async () => {
    const streams = await runningApp({ 'application.server': 'localhost:7070' });
    const metadata = streams.queryMetadataForKey('counts', 'user-3', str);
    expect(metadata).toEqual({ activeHost: { host: 'localhost', port: 7070 }, standbyHosts: [], partition: partitionForKey(Buffer.from('user-3'), PARTITIONS) });
    const [self] = streams.metadataForAllStreamsClients();
    expect(self!.topicPartitions.length).toBe(PARTITIONS);
    expect(streams.streamsMetadataForStore('sessions').map((m) => m.hostInfo)).toEqual([{ host: 'localhost', port: 7070 }]);
    expect(() => new KafkaStreams(clickCounts(), { 'application.id': 'clicks', 'application.server': 'localhost' })).toThrow(/"application.server" must be "host:port"/);
  });
});
