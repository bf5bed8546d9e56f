import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { KafkaBroker, KafkaStreams, LogEngine, Serdes, setLogLevel, startHttpEndpoint } from '../../src/index.ts';
import type { StartedHttpEndpoint } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { clickCounts, clickCountsConfig } from './fixtures/click-counts.ts';

setLogLevel('warn');
const str = Serdes.String();
const PARTITIONS = 6;
const USERS = Array.from({ length: 30 }, (_, i) => `user-${i}`);
const clicksOf = (u: number) => 1 + (u % 4);

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

interface Entry {
  readonly key: string;
  readonly value: number;
}

/** An answer of the endpoint: its status and JSON body (typed as the test expects it, and compared in full). */
async function getJson<T = unknown>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() as T };
}

/** An instance in this process: its KafkaStreams and the base URL of its endpoint. */
interface Instance {
  readonly streams: KafkaStreams;
  readonly http: StartedHttpEndpoint;
  readonly base: string;
}

/** A broker with the clicks topic, and a way to start instances of the click-count application on it. */
async function clickCluster() {
  const dir = tempDir();
  const engine = await LogEngine.open({ dataDir: join(dir, 'broker') });
  const broker = new KafkaBroker({ engine, port: 0 });
  const { port } = await broker.start();
  cleanup.push(() => engine.close(), () => broker.close());
  await engine.createTopic('clicks', { partitions: PARTITIONS });
  const bootstrap = `127.0.0.1:${port}`;
  return {
    dir,
    bootstrap,
    async start(name: string): Promise<Instance> {
      const httpPort = await freePort();
      const streams = new KafkaStreams(clickCounts(), clickCountsConfig(bootstrap, join(dir, name), httpPort, name));
      const http = await startHttpEndpoint(streams, { port: httpPort });
      cleanup.push(() => http.close());
      await streams.start();
      cleanup.push(() => streams.close());
      return { streams, http, base: `http://127.0.0.1:${httpPort}` };
    },
    async produceClicks(): Promise<void> {
      await engine.produce('clicks', USERS.flatMap((user, u) => Array.from({ length: clicksOf(u) }, (_, i) => ({
        key: Buffer.from(user), value: Buffer.from('click'), timestamp: 1_000 * i, headers: [],
      }))));
    },
  };
}

/** True once every instance in `local` sees `hosts` instances that together own every task, and every count is in. */
async function settled(local: readonly Instance[], hosts: number): Promise<boolean> {
  for (const { streams } of local) {
    const all = streams.metadataForAllStreamsClients();
    if (all.length !== hosts || all.some((m) => m.topicPartitions.length === 0) || all.flatMap((m) => m.topicPartitions).length !== PARTITIONS) return false;
  }
  const { status, body } = await getJson<Entry[]>(`${local[0]!.base}/stores/counts`);
  return status === 200 && body.length === USERS.length && body.every((e) => e.value === clicksOf(Number(e.key.slice(5))));
}

/** Asks every instance for every key; each must answer it right, locally or by forwarding to the owner. */
async function expectEveryKeyFromEveryInstance(bases: readonly string[]): Promise<void> {
  for (const base of bases) {
    for (const [u, user] of USERS.entries()) {
      expect(await getJson(`${base}/stores/counts/keys/${user}`)).toEqual({ status: 200, body: { key: user, value: clicksOf(u) } });
    }
    expect((await getJson(`${base}/stores/counts/keys/nobody`)).status).toBe(404);
  }
}

describe('interactive queries across three instances on `kstreams broker` (application.server + HTTP forwarding)', () => {
  it('answers every key from every instance, and again after one instance closes and its tasks move', async () => {
    const cluster = await clickCluster();
    const instances = [await cluster.start('a'), await cluster.start('b'), await cluster.start('c')];
    await cluster.produceClicks();
    await waitFor(() => settled(instances, 3), 'three instances sharing six tasks, every count in');
    // Each instance owns a share, so most answers below come through forwarding.
    for (const { streams } of instances) expect(streams.metadataForAllStreamsClients().map((m) => m.topicPartitions.length)).toEqual([2, 2, 2]);
    for (const { streams } of instances) {
      for (const user of USERS) {
        const owner = streams.queryMetadataForKey('counts', user, str);
        expect(owner).toEqual(instances[0]!.streams.queryMetadataForKey('counts', user, str));
        expect(instances.some((i) => i.streams.applicationServer!.port === owner.activeHost.port)).toBe(true);
      }
    }
    await expectEveryKeyFromEveryInstance(instances.map((i) => i.base));

    const windows = await getJson(`${instances[1]!.base}/stores/windowed-counts/keys/user-3?from=0&to=60000`);
    expect(windows).toEqual({ status: 200, body: [{ key: { key: 'user-3', start: 0, end: 60_000 }, value: 4 }] });
    const ranged = await getJson<Entry[]>(`${instances[2]!.base}/stores/counts?from=user-1&to=user-12`);
    expect(ranged.body.map((e) => e.key).sort()).toEqual(['user-1', 'user-10', 'user-11', 'user-12']);
    const localOnly = await getJson<Entry[]>(`${instances[0]!.base}/stores/counts?scope=local`);
    expect(localOnly.body.length).toBeGreaterThan(0);
    expect(localOnly.body.length).toBeLessThan(USERS.length);

    const [a, b, c] = instances;
    await c!.streams.close();
    await c!.http.close();
    await waitFor(() => settled([a!, b!], 2), 'two instances sharing the six tasks after the third left');
    await expectEveryKeyFromEveryInstance([a!.base, b!.base]);
  }, 90_000);

  it('after an instance is killed (no goodbye), the others answer every key once its session has timed out', async () => {
    const cluster = await clickCluster();
    const a = await cluster.start('a');
    const b = await cluster.start('b');
    const httpPort = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/http/fixtures/query-instance.ts', cluster.bootstrap, join(cluster.dir, 'c'), String(httpPort), 'c'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    cleanup.push(async () => {
      child.kill('SIGKILL');
      await exited;
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('running') && resolve());
      child.on('exit', (code) => reject(new Error(`the third instance exited early (${code})`)));
    });
    await cluster.produceClicks();
    await waitFor(() => settled([a, b], 3), 'three instances sharing six tasks, every count in');
    await expectEveryKeyFromEveryInstance([a.base, b.base, `http://127.0.0.1:${httpPort}`]);

    child.kill('SIGKILL');
    await exited;
    await waitFor(() => settled([a, b], 2), 'the killed instance\'s tasks taken over');
    await expectEveryKeyFromEveryInstance([a.base, b.base]);
  }, 90_000);
});
