import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { KafkaBroker, LogEngine, Serdes, setLogLevel } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import {
  CLICKS_PARTITIONS, USERS, clickRecords, expectEveryKeyFromEveryInstance, freePort, getJson, settled, startInstance, waitFor,
} from './fixtures/query-cluster.ts';
import type { Entry, Instance } from './fixtures/query-cluster.ts';

// Info lines (rebalances, assignments) are kept and printed only if a test fails: they tell why instances did not settle.
setLogLevel('info');
const str = Serdes.String();

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

/** A `kstreams broker` in this process with the clicks topic; instances of the click-count application on it. */
async function clickCluster() {
  const dir = tempDir();
  const engine = await LogEngine.open({ dataDir: join(dir, 'broker') });
  const broker = new KafkaBroker({ engine, port: 0 });
  const { port } = await broker.start();
  cleanup.push(() => engine.close(), () => broker.close());
  await engine.createTopic('clicks', { partitions: CLICKS_PARTITIONS });
  await engine.createTopic('regions', { partitions: 2 });
  await engine.produce('regions', [['user-1', 'eu'], ['user-2', 'us']].map(([user, region]) => ({ key: Buffer.from(user!), value: Buffer.from(region!), timestamp: 0, headers: [] })));
  const bootstrap = `127.0.0.1:${port}`;
  return {
    dir,
    bootstrap,
    start: (name: string): Promise<Instance> => startInstance(bootstrap, dir, name, (step) => cleanup.push(step)),
    produceClicks: () => engine.produce('clicks', clickRecords().map((r) => ({ ...r, headers: [] }))),
  };
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
    // A global store lives on every instance: asked for all of it, one instance answers (no copies).
    expect((await getJson(`${instances[1]!.base}/stores/regions-store`)).body).toEqual([{ key: 'user-1', value: 'eu' }, { key: 'user-2', value: 'us' }]);
    for (const { base } of instances) expect((await getJson(`${base}/stores/regions-store/keys/user-2`)).body).toEqual({ key: 'user-2', value: 'us' });
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
