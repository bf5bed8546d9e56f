import type { Topology } from '../topology/index.ts';
import { cacheMaxBytesOf } from './task/task-config.ts';
import type { StreamsConfig } from './streams-config-shape.ts';

/**
 * One stream thread's part of `statestore.cache.max.bytes`, as Kafka Streams splits it: the total
 * over the stream threads, and over one more when the topology has global stores (the global
 * thread's share, which kstreams' global task keeps unused).
 */
export function threadCacheBytes(config: StreamsConfig, topology: Topology, streamThreads: number): number {
  const hasGlobal = [...topology.stores.values()].some((store) => store.globalTopic !== undefined);
  return Math.floor(cacheMaxBytesOf(config) / (Math.max(1, streamThreads) + (hasGlobal ? 1 : 0)));
}
