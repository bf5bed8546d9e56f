import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { KafkaBroker, LogEngine, QueryableStoreTypes, Serdes, StoreQueryParameters, isStreamsError, setLogLevel } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { CLICKS_PARTITIONS, USERS, clickRecords, clicksOf, settled, startInstance, waitFor } from '../http/fixtures/query-cluster.ts';
import type { Instance } from '../http/fixtures/query-cluster.ts';

setLogLevel('warn');
const str = Serdes.String();
let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

describe('standby copies and stale reads (num.standby.replicas, enableStaleStores)', () => {
  it('names the standby host of every key, and only a stale read may answer from that standby copy', async () => {
    const dir = tempDir();
    const engine = await LogEngine.open({ dataDir: join(dir, 'broker') });
    const broker = new KafkaBroker({ engine, port: 0 });
    const { port } = await broker.start();
    cleanup.push(() => engine.close(), () => broker.close());
    await engine.createTopic('clicks', { partitions: CLICKS_PARTITIONS });
    await engine.createTopic('regions', { partitions: 1 });
    const start = (name: string) => startInstance(`127.0.0.1:${port}`, dir, name, (step) => cleanup.push(step), { 'num.standby.replicas': 1 });
    const instances = [await start('a'), await start('b')];
    await engine.produce('clicks', clickRecords().map((r) => ({ ...r, headers: [] })));
    const standbysKnown = () => instances.every(({ streams }) => streams.metadataForAllStreamsClients().every((m) => m.standbyTopicPartitions.length === CLICKS_PARTITIONS / 2));
    await waitFor(async () => (await settled(instances, 2)) && standbysKnown(), 'two instances, each with the standby copies of the other\'s tasks');

    const byPort = (p: number): Instance => instances.find((i) => i.streams.applicationServer!.port === p)!;
    const params = StoreQueryParameters.fromNameAndType('counts', QueryableStoreTypes.keyValueStore<string, number>());
    for (const [u, user] of USERS.entries()) {
      const { activeHost, standbyHosts, partition } = instances[0]!.streams.queryMetadataForKey('counts', user, str);
      expect(standbyHosts).toHaveLength(1);
      expect(standbyHosts[0]).not.toEqual(activeHost);
      expect(byPort(activeHost.port).streams.store(params.withPartition(partition)).get(user)).toBe(clicksOf(u));
      const standby = byPort(standbyHosts[0]!.port).streams;
      try {
        standby.store(params.withPartition(partition)).get(user);
        expect.unreachable('an active-only read of a partition this instance keeps only a standby copy of');
      } catch (error) {
        expect(isStreamsError(error, 'INVALID_STATE_STORE')).toBe(true);
      }
      // The standby copy follows the changelog, so a stale read catches up with the active task.
      await waitFor(() => standby.store(params.withPartition(partition).enableStaleStores()).get(user) === clicksOf(u), `the standby copy of ${user}`);
    }
  }, 90_000);
});
