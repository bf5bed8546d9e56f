import type { LogEngine } from '../log/index.ts';
import type { GroupCoordinator } from './group-coordinator.ts';

/** What every API handler gets: the engine, the coordinator, and how clients reach this broker. */
export interface BrokerContext {
  readonly engine: LogEngine;
  readonly groups: GroupCoordinator;
  /** The address clients are told to connect to (Metadata, FindCoordinator). */
  readonly advertisedHost: string;
  readonly advertisedPort: number;
  /** Create a topic on first Produce or Metadata request for it (Kafka's `auto.create.topics.enable`). */
  readonly autoCreateTopics: boolean;
  /** Partitions of topics created without a count. */
  readonly defaultPartitions: number;
  /** The most partitions one CreateTopics request may create in all. */
  readonly maxPartitionsPerRequest: number;
  /** The largest Fetch response (Kafka's broker `fetch.max.bytes`); a client's `max_bytes` is capped to it. */
  readonly fetchMaxBytes: number;
}

/** The broker's node id: one node, id 0. */
export const NODE_ID = 0;
