import type { HostInfo } from './host-info.ts';
import { UNAVAILABLE_HOST } from './host-info.ts';

/** A topic partition, as metadata lists them. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/**
 * What one application instance holds (Kafka's StreamsMetadata): its host, the stores of its
 * active tasks with their input partitions, and the same for its standby copies.
 */
export interface StreamsMetadata {
  readonly hostInfo: HostInfo;
  readonly stateStoreNames: ReadonlySet<string>;
  readonly topicPartitions: readonly TopicPartition[];
  readonly standbyStateStoreNames: ReadonlySet<string>;
  readonly standbyTopicPartitions: readonly TopicPartition[];
}

/**
 * Where a key's data lives (Kafka's KeyQueryMetadata): the instance whose active task owns the
 * key's partition, the instances keeping standby copies of it, and the partition.
 */
export interface KeyQueryMetadata {
  readonly activeHost: HostInfo;
  readonly standbyHosts: readonly HostInfo[];
  /** The store's partition the key belongs to; -1 when not known (or for a global store). */
  readonly partition: number;
}

/** Kafka's `KeyQueryMetadata.NOT_AVAILABLE`: asked before the instances have exchanged their hosts. */
export const KEY_QUERY_METADATA_NOT_AVAILABLE: KeyQueryMetadata = Object.freeze({ activeHost: UNAVAILABLE_HOST, standbyHosts: [], partition: -1 });
