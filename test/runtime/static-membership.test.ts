import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { KafkaCluster } from '../../src/client/index.ts';
import { Consumed, KafkaStreams, Materialized, Produced, Serdes, StreamsBuilder, setLogLevel, setLogSink } from '../../src/index.ts';
import { resolveConfig } from '../../src/runtime/streams-config.ts';
import { referenceKafkaForFile } from '../reference/reference-tools.ts';
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

/** A cluster the test writes orders to and reads totals and changelog ends from. */
interface Target {
  readonly bootstrap: string;
  readonly client: KafkaCluster;
  /** The group coordinator's log says it never rebalanced (checked where the broker runs in this process). */
  readonly brokerLines: boolean;
}

async function latestTotals(client: KafkaCluster): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (let p = 0; p < 6; p++) {
    const { latest } = await client.offsets('totals', p);
    for (let offset = 0; offset < latest;) {
      const { records, nextOffset } = await client.fetch('totals', p, offset, 1 << 20);
      for (const r of records) totals.set(r.key!.toString(), long.deserialize('totals', r.value)!);
      offset = nextOffset;
    }
  }
  return totals;
}


/** The instance's active tasks once it is RUNNING (none while it rebalances or restores). */
const runningTasks = (streams: KafkaStreams) => (streams.state === 'RUNNING' ? streams.metadataForLocalThreads().flatMap((t) => t.activeTasks).sort() : []);

const reference = referenceKafkaForFile();

async function kstreamsBroker(): Promise<Target> {
  const { bootstrap } = await startInProcessBroker(tempDir(), cleanup);
  return connectTarget(bootstrap, true);
}

async function connectTarget(bootstrap: string, brokerLines: boolean): Promise<Target> {
  const client = await KafkaCluster.connect({ bootstrapServers: [bootstrap], clientId: 'rolling-test', groupId: 'rolling-test' });
  cleanup.push(() => client.close());
  await client.ensureTopics([{ name: 'orders', partitions: 6, config: {} }, { name: 'totals', partitions: 6, config: {} }]);
  return { bootstrap, client, brokerLines };
}

const targets = [
  { name: 'kstreams broker', skip: false, connect: kstreamsBroker },
  { name: 'Apache Kafka', skip: !reference.available, connect: () => connectTarget(reference.bootstrap, false) },
];

describe.each(targets)('static membership (group.instance.id): rolling restart on $name', ({ name: targetName, skip, connect }) => {
  it.skipIf(skip)('restarts three instances one after another under load: no rebalance, no task moves, no restore from scratch', async () => {
    const dir = tempDir();
    const { bootstrap, client, brokerLines } = await connect();
    const applicationId = `rolling-${Math.random().toString(36).slice(2, 8)}`;
    const config = (name: string) => ({
      'application.id': applicationId, 'bootstrap.servers': bootstrap, 'state.dir': join(dir, name), 'commit.interval.ms': 50, 'poll.ms': 10,
      'session.timeout.ms': 20_000, 'client.id': name, 'group.instance.id': name, 'statestore.cache.max.bytes': 0,
    });
    const lines: string[] = [];
    const previousSink = setLogSink((_level, _component, message) => void lines.push(message));
    cleanup.push(async () => setLogSink(previousSink));
    setLogLevel('info');
    cleanup.push(async () => setLogLevel('warn'));

    const names = ['a', 'b', 'c'];
    const instances = new Map<string, KafkaStreams>();
    for (const name of names) {
      const streams = new KafkaStreams(spending(), config(name));
      await streams.start();
      instances.set(name, streams);
    }
    cleanup.push(() => Promise.all([...instances.values()].map((s) => s.close())));
    // Settled: the group is stable with all three, and each runs the two tasks it was given.
    await waitFor(async () => names.every((n) => runningTasks(instances.get(n)!).length === 2) &&
      (await client.describeGroupMembers(applicationId)).stable && (await client.describeGroupMembers(applicationId)).members.length === 3, 'two running tasks per instance');
    const owners = new Map(names.map((n) => [n, runningTasks(instances.get(n)!)]));
    expect([...owners.values()].flat().sort()).toEqual(['0_0', '0_1', '0_2', '0_3', '0_4', '0_5']);

    // Orders keep arriving during the whole rolling restart.
    const expected = new Map<string, number>();
    let sent = 0;
    let producing = true;
    const load = (async () => {
      while (producing) {
        const user = `user-${sent % 17}`;
        expected.set(user, (expected.get(user) ?? 0) + sent);
        await client.produce('orders', [{ key: Buffer.from(user), value: long.serialize('orders', sent), timestamp: sent, headers: [] }]);
        sent++;
      }
    })();
    cleanup.push(async () => {
      producing = false;
      await load.catch(() => undefined);
    });
    await waitFor(() => sent > 300, '300 orders under way');
    lines.length = 0;

    const pauses: number[] = [];
    for (const name of names) {
      const before = sent;
      const stopped = Date.now();
      await instances.get(name)!.close();
      const restarted = new KafkaStreams(spending(), config(name));
      instances.set(name, restarted);
      await restarted.start();
      await waitFor(() => runningTasks(restarted).join() === owners.get(name)!.join(), `${name} running its own tasks again`);
      pauses.push(Date.now() - stopped);
      // The others never stopped: their tasks stay where they were, running.
      for (const other of names) expect(runningTasks(instances.get(other)!)).toEqual(owners.get(other));
      await waitFor(() => sent > before + 100, 'more orders after the restart');
    }
    producing = false;
    await load;
    await waitFor(async () => sameTotals(await latestTotals(client), expected), `totals of all ${sent} orders`);
    console.log(`${targetName}: rolling restart of 3 static members under load, pause per restart (close → own tasks running) ${pauses.map((p) => `${p} ms`).join(', ')}`);

    // Only each restarted instance took an assignment (its own); the others were never handed a new one.
    expect(lines.filter((line) => line.startsWith('tasks of this instance:'))).toHaveLength(3);
    expect(lines.filter((line) => line.startsWith('tasks moved away'))).toEqual([]);
    if (brokerLines) {
      expect(lines.filter((line) => /is rebalancing|left the group|timed out/.test(line))).toEqual([]);
      expect(lines.filter((line) => /static member "[abc]-1" rejoined/.test(line))).toHaveLength(3);
    }
    // A restarted task reads its store from disk and replays at most the tail past its checkpoint.
    const restored = lines.map((line) => Number(/task 0_\d: restored .*: (\d+) records/.exec(line)?.[1] ?? 0)).reduce((sum, n) => sum + n, 0);
    let changelogRecords = 0;
    for (let p = 0; p < 6; p++) changelogRecords += (await client.offsets(`${applicationId}-totals-store-changelog`, p)).latest;
    expect(changelogRecords).toBeGreaterThan(300); // a restore from scratch would replay these
    expect(restored).toBeLessThan(changelogRecords / 10);
  }, 90_000);

  it.skipIf(skip)('fails the older of two instances started with the same group.instance.id (FENCED_INSTANCE_ID), so no partition is processed twice', async () => {
    const dir = tempDir();
    const { bootstrap } = await connect();
    const applicationId = `twins-${Math.random().toString(36).slice(2, 8)}`;
    const config = (name: string) => ({
      'application.id': applicationId, 'bootstrap.servers': bootstrap, 'state.dir': join(dir, name), 'poll.ms': 10,
      'session.timeout.ms': 10_000, 'group.instance.id': 'twin',
    });
    const lines: string[] = [];
    const previousSink = setLogSink((level, _component, message) => void lines.push(`${level} ${message}`));
    cleanup.push(async () => setLogSink(previousSink));
    const older = new KafkaStreams(spending(), config('older'));
    const failures: unknown[] = [];
    older.setUncaughtExceptionHandler((error) => {
      failures.push(error);
      return 'SHUTDOWN_CLIENT';
    });
    await older.start();
    cleanup.push(() => older.close());
    await waitFor(() => runningTasks(older).length === 6, 'the first instance running every task');
    const newer = new KafkaStreams(spending(), config('newer'));
    await newer.start();
    cleanup.push(() => newer.close());
    await waitFor(() => older.state === 'ERROR', 'the older instance failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ code: 'FENCED_INSTANCE_ID', message: expect.stringContaining('same group.instance.id "twin-1"') });
    await waitFor(() => runningTasks(newer).length === 6, 'the newer instance running every task');
    expect(newer.state).toBe('RUNNING');
  }, 60_000);
});

describe('group.instance.id in the streams config', () => {
  it('goes to the main consumer with the thread index appended, as in Kafka Streams; a malformed id is refused', () => {
    expect(resolveConfig({ 'application.id': 'app', 'group.instance.id': 'host-a' }).clients.consumer).toEqual({ groupInstanceId: 'host-a-1' });
    expect(resolveConfig({ 'application.id': 'app', 'group.instance.id': 'x', 'main.consumer.group.instance.id': 'host.b' }).clients.consumer).toEqual({ groupInstanceId: 'host.b-1' });
    expect(() => resolveConfig({ 'application.id': 'app', 'group.instance.id': 'host a' })).toThrow(/"group.instance.id" must be 1 to 249 characters of letters, digits/);
    expect(() => resolveConfig({ 'application.id': 'app', 'group.instance.id': '' })).toThrow(/got ""/);
  });
});

function sameTotals(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return a.size === b.size && [...b].every(([user, total]) => a.get(user) === total);
}
