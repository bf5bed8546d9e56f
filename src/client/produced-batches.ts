import { encodeBatch } from '../record/index.ts';
import type { ClusterRecord } from './cluster.ts';

/** One partition's records of a produce call, encoded as one record batch (offsets from 0). */
export interface PartitionBatch {
  readonly partition: number;
  readonly bytes: Uint8Array;
}

/**
 * The records of one produce call as one Kafka record batch per partition, in the order they
 * came, ready for `EmbeddedCluster.appendProducedBatches` — so the thread that produced them
 * encodes them (a stream thread in a worker thread), not the thread that owns the engine.
 * Undefined when the log alone can place or refuse them: a record without a partition (the
 * engine picks one), or a timestamp the log refuses (its own check names the record).
 *
 * @example
 * const batches = producedBatches([{ key: Buffer.from('k'), value: null, timestamp: 0, headers: [], partition: 1 }]);
 */
export function producedBatches(records: readonly ClusterRecord[]): PartitionBatch[] | undefined {
  const byPartition = new Map<number, ClusterRecord[]>();
  for (const record of records) {
    const { partition, timestamp } = record;
    if (partition === undefined || !Number.isSafeInteger(timestamp) || timestamp < -1) return undefined;
    let list = byPartition.get(partition);
    if (list === undefined) byPartition.set(partition, (list = []));
    list.push(record);
  }
  return [...byPartition].map(([partition, list]) => ({ partition, bytes: encodeBatch(list, { baseOffset: 0 }) }));
}
