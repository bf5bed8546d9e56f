import { describe, expect, it } from 'vitest';
import { KEY_QUERY_METADATA_NOT_AVAILABLE, Serdes, isStreamsError, parseHostInfo, partitionForKey } from '../../src/index.ts';
import { StreamsMetadataState } from '../../src/query/index.ts';

const str = Serdes.String();
const topology = {
  subtopologies: [
    { id: 0, partitions: 4, inputTopics: ['orders'], stores: ['totals'] },
    { id: 1, partitions: 2, inputTopics: ['app-counts-repartition'], stores: ['counts'] },
  ],
  globalStores: ['prices'],
};
const A = { host: 'a.internal', port: 7001 };
const B = { host: 'b.internal', port: 7002 };

function twoInstances(): StreamsMetadataState {
  const state = new StreamsMetadataState(topology, A);
  state.update([
    { host: B, activeTasks: ['0_1', '0_3', '1_1'], standbyTasks: ['0_0', '0_2'] },
    { host: A, activeTasks: ['0_0', '0_2', '1_0'], standbyTasks: ['0_1'] },
  ]);
  return state;
}

describe('StreamsMetadataState (which instance holds which key)', () => {
  it('names the active host, the standby hosts and the partition of a key, with Kafka\'s default partitioner', () => {
    const state = twoInstances();
    for (const key of ['alice', 'bob', 'carol', 'dave', 'erin']) {
      const partition = partitionForKey(str.serialize('orders', key)!, 4);
      const metadata = state.keyQueryMetadata('totals', key, str);
      expect(metadata.partition).toBe(partition);
      expect(metadata.activeHost).toEqual(partition % 2 === 0 ? A : B);
      expect(metadata.standbyHosts).toEqual(partition === 3 ? [] : [partition % 2 === 0 ? B : A]);
    }
    const counted = state.keyQueryMetadata('counts', 'alice', str);
    expect(counted.partition).toBe(partitionForKey(Buffer.from('alice'), 2));
  });

  it('answers NOT_AVAILABLE before the first assignment, and refuses a store the topology does not have', () => {
    const state = new StreamsMetadataState(topology, A);
    expect(state.keyQueryMetadata('totals', 'alice', str)).toEqual(KEY_QUERY_METADATA_NOT_AVAILABLE);
    expect(state.metadataForAllStreamsClients()).toEqual([]);
    try {
      state.keyQueryMetadata('total', 'alice', str);
      expect.unreachable();
    } catch (error) {
      expect(isStreamsError(error, 'UNKNOWN_STATE_STORE')).toBe(true);
      expect((error as Error).message).toContain('stores: counts, prices, totals');
    }
  });

  it('lists every instance with its stores and input partitions, active and standby, sorted by host', () => {
    const [first, second] = twoInstances().metadataForAllStreamsClients();
    expect(first!.hostInfo).toEqual(A);
    expect([...first!.stateStoreNames].sort()).toEqual(['counts', 'prices', 'totals']);
    expect(first!.topicPartitions).toEqual([{ topic: 'app-counts-repartition', partition: 0 }, { topic: 'orders', partition: 0 }, { topic: 'orders', partition: 2 }]);
    expect([...first!.standbyStateStoreNames]).toEqual(['totals']);
    expect(first!.standbyTopicPartitions).toEqual([{ topic: 'orders', partition: 1 }]);
    expect(second!.hostInfo).toEqual(B);
  });

  it('lists the instances of one store; a global store lives on every instance and answers locally', () => {
    const state = twoInstances();
    state.update([{ host: A, activeTasks: ['0_0', '0_1', '0_2', '0_3'], standbyTasks: [] }, { host: B, activeTasks: ['1_0', '1_1'], standbyTasks: [] }]);
    expect(state.streamsMetadataForStore('totals').map((m) => m.hostInfo)).toEqual([A]);
    expect(state.streamsMetadataForStore('counts').map((m) => m.hostInfo)).toEqual([B]);
    expect(state.streamsMetadataForStore('prices').map((m) => m.hostInfo)).toEqual([A, B]);
    expect(state.streamsMetadataForStore('nothing')).toEqual([]);
    expect(state.keyQueryMetadata('prices', 'x', str)).toEqual({ activeHost: A, standbyHosts: [], partition: -1 });
  });
});

describe('parseHostInfo ("application.server")', () => {
  it('reads host:port and [ipv6]:port, and refuses anything else with the config key named', () => {
    expect(parseHostInfo('orders-1.internal:7070')).toEqual({ host: 'orders-1.internal', port: 7070 });
    expect(parseHostInfo('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
    for (const bad of ['localhost', 'localhost:0', 'localhost:70000', ':80', 'a:b']) {
      expect(() => parseHostInfo(bad)).toThrow(/"application.server" must be "host:port"/);
    }
  });
});
