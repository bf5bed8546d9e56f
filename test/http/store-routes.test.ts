import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  Consumed, KafkaBroker, KafkaStreams, LogEngine, Materialized, Serdes, StreamsBuilder, TimeWindows, setLogLevel, startHttpEndpoint,
} from '../../src/index.ts';
import type { StartedHttpEndpoint } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';

setLogLevel('warn');
const str = Serdes.String();
const PARTITIONS = 6;
const USERS = Array.from({ length: 30 }, (_, i) => `user-${i}`);
const clicksOf = (u: number) => 1 + (u % 4);

function clickCounts() {
  const builder = new StreamsBuilder();
  const clicks = builder.stream<string, string>('clicks', Consumed.with(str, str)).groupByKey();
  clicks.count(Materialized.as<string, number>('counts'));
  clicks.windowedBy(TimeWindows.ofSizeWithNoGrace(60_000)).count(Materialized.as<string, number>('windowed-counts'));
  return builder.build();
}

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await Promise.resolve().then(check).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Instance {
  readonly name: string;
  readonly streams: KafkaStreams;
  readonly http: StartedHttpEndpoint;
  readonly base: string;
}

interface Entry {
  readonly key: string;
  readonly value: number;
}

/** An answer of the endpoint: its status and JSON body (typed as the test expects it, and compared in full). */
async function getJson<T = unknown>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() as T };
}

describe('interactive queries across three instances on `kstreams broker` (application.server + HTTP forwarding)', () => {
  it('answers every key from every instance, and again after one instance leaves and its tasks move', async () => {
    const dir = tempDir();
    const engine = await LogEngine.open({ dataDir: join(dir, 'broker') });
    const broker = new KafkaBroker({ engine, port: 0 });
    const { port: brokerPort } = await broker.start();
    cleanup.push(() => engine.close(), () => broker.close());
    await engine.createTopic('clicks', { partitions: PARTITIONS });

    const start = async (name: string): Promise<Instance> => {
      const httpPort = await freePort();
      const streams = new KafkaStreams(clickCounts(), {
        'application.id': 'clicks', 'bootstrap.servers': `127.0.0.1:${brokerPort}`, 'state.dir': join(dir, name), 'commit.interval.ms': 50, 'poll.ms': 10,
        'session.timeout.ms': 3_000, 'client.id': name, 'application.server': `127.0.0.1:${httpPort}`,
      });
      const http = await startHttpEndpoint(streams, { port: httpPort });
      cleanup.push(() => http.close());
      await streams.start();
      cleanup.push(() => streams.close());
      return { name, streams, http, base: `http://127.0.0.1:${httpPort}` };
    };
    const instances = [await start('a'), await start('b'), await start('c')];

    await engine.produce('clicks', USERS.flatMap((user, u) => Array.from({ length: clicksOf(u) }, (_, i) => ({
      key: Buffer.from(user), value: Buffer.from('click'), timestamp: 1_000 * i, headers: [],
    }))));

    /** True once every instance knows `count` hosts that together own every task, and every count is in. */
    const settled = async (live: readonly Instance[]) => {
      for (const { streams } of live) {
        const all = streams.metadataForAllStreamsClients();
        if (all.length !== live.length || all.some((m) => m.topicPartitions.length === 0)) return false;
        if (all.flatMap((m) => m.topicPartitions).length !== PARTITIONS) return false;
      }
      const { status, body } = await getJson<Entry[]>(`${live[0]!.base}/stores/counts`);
      return status === 200 && body.length === USERS.length && body.every((e) => e.value === clicksOf(Number(e.key.slice(5))));
    };
    const expectEveryKeyFromEveryInstance = async (live: readonly Instance[]) => {
      for (const { base, streams } of live) {
        for (const [u, user] of USERS.entries()) {
          const { status, body } = await getJson(`${base}/stores/counts/keys/${user}`);
          expect({ status, body }).toEqual({ status: 200, body: { key: user, value: clicksOf(u) } });
          const owner = streams.queryMetadataForKey('counts', user, str).activeHost;
          expect(live.some((i) => i.streams.applicationServer!.port === owner.port)).toBe(true);
        }
        expect((await getJson(`${base}/stores/counts/keys/nobody`)).status).toBe(404);
      }
    };

    await waitFor(() => settled(instances), 'three instances sharing six tasks, every count in');
    // Each instance owns a share: the answers above come from forwarding, not from a single full copy.
    for (const { streams } of instances) expect(streams.metadataForAllStreamsClients().map((m) => m.topicPartitions.length)).toEqual([2, 2, 2]);
    await expectEveryKeyFromEveryInstance(instances);

    const windows = await getJson(`${instances[1]!.base}/stores/windowed-counts/keys/user-3?from=0&to=60000`);
    expect(windows).toEqual({ status: 200, body: [{ key: { key: 'user-3', start: 0, end: 60_000 }, value: 4 }] });
    const ranged = await getJson<Entry[]>(`${instances[2]!.base}/stores/counts?from=user-1&to=user-12`);
    expect(ranged.body.map((e) => e.key).sort()).toEqual(['user-1', 'user-10', 'user-11', 'user-12']);
    const localOnly = await getJson<Entry[]>(`${instances[0]!.base}/stores/counts?scope=local`);
    expect(localOnly.body.length).toBeLessThan(USERS.length);

    const [a, b, c] = instances;
    await c!.streams.close();
    await c!.http.close();
    await waitFor(() => settled([a!, b!]), 'two instances sharing the six tasks after the third left');
    await expectEveryKeyFromEveryInstance([a!, b!]);
  }, 90_000);
});
