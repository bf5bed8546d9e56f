import { partitionForKey } from '../common/index.ts';
import type { ProducedRecord } from '../runtime/index.ts';
import { SESSION_SUFFIX_BYTES, SessionStoreBuilder, TimestampedWindowStoreBuilder, WINDOW_SUFFIX_BYTES, WindowStoreBuilder } from '../state/index.ts';
import type { Topology } from '../topology/index.ts';

/**
 * Changelog records spread over `partitions` partitions by their record key, as a task of a
 * topology that now reads `partitions` partitions would own them: what a scale-out to a new
 * partition count does to state, where the store is keyed by the partition key (aggregations after
 * groupByKey/groupBy, tables, windowed aggregations). Window and session changelog keys carry the
 * window after the record key; the partition is chosen by the record key alone.
 */
export function changelogForPartitions(topology: Topology, applicationId: string, topic: string, records: readonly ProducedRecord[], partitions: number): ProducedRecord[] {
  const suffix = keySuffixOf(topology, applicationId, topic);
  return records.map((record) => {
    const key = record.key ?? Buffer.alloc(0);
    return { ...record, partition: partitionForKey(key.subarray(0, Math.max(0, key.length - suffix)), partitions) };
  });
}

function keySuffixOf(topology: Topology, applicationId: string, topic: string): number {
  for (const store of topology.stores.values()) {
    if (`${applicationId}-${store.builder.name}-changelog` !== topic) continue;
    if (store.builder instanceof SessionStoreBuilder) return SESSION_SUFFIX_BYTES;
    if (store.builder instanceof WindowStoreBuilder || store.builder instanceof TimestampedWindowStoreBuilder) return WINDOW_SUFFIX_BYTES;
  }
  return 0;
}
