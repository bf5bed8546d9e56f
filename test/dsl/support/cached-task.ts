import { ManualClock } from '../../../src/common/index.ts';
import { StreamTask } from '../../../src/runtime/index.ts';
import type { ProducedRecord } from '../../../src/runtime/index.ts';
import type { Serde } from '../../../src/serde/index.ts';
import { TaskRecordCache } from '../../../src/state/index.ts';
import type { Topology } from '../../../src/topology/index.ts';

/**
 * Runs a one-sub-topology topology in a StreamTask that has a record cache of `cacheMaxBytes`,
 * committing after every input as the TopologyTestDriver does. Test-only: the driver does not give
 * its tasks a record cache, and caching-on behaviour needs one.
 */
export async function runWithCache<K, V>(
  topology: Topology,
  cacheMaxBytes: number,
  input: { topic: string; keySerde: Serde<K>; valueSerde: Serde<V>; records: ReadonlyArray<{ key: K | null; value: V | null; timestamp: number }> },
): Promise<ProducedRecord[]> {
  const sent: ProducedRecord[] = [];
  const task = new StreamTask({
    topology: { subtopologyId: 0, nodes: [...topology.nodes.values()], stores: [...topology.stores.values()], topicName: (name) => name },
    partition: 0,
    config: { 'application.id': 'cached', 'statestore.cache.max.bytes': cacheMaxBytes },
    collector: { send: (record) => { sent.push(record); }, partitionsFor: () => 1, flush: () => undefined },
    clock: new ManualClock(0),
    createRecordCache: (maxBytes) => new TaskRecordCache(maxBytes),
  });
  await task.initializeIfNeeded();
  task.completeRestoration();
  let offset = 0;
  for (const { key, value, timestamp } of input.records) {
    task.addRecords(input.topic, [{
      offset: offset++,
      key: input.keySerde.serialize(input.topic, key),
      value: input.valueSerde.serialize(input.topic, value),
      timestamp,
      headers: [],
    }]);
    while (task.process()) task.maybePunctuateStreamTime();
    await task.commit();
  }
  return sent;
}
