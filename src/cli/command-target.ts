import type { ClusterRecord, CommittedPosition } from '../client/index.ts';
import type { StoredRecord } from '../record/index.ts';

/** A partition as `topics describe` shows it. */
export interface PartitionInfo {
  readonly partition: number;
  readonly logStartOffset: number;
  readonly highWatermark: number;
}

/** A topic as `topics describe` shows it: its partitions and the configs set on it (not the defaults). */
export interface TopicInfo {
  readonly name: string;
  readonly partitions: readonly PartitionInfo[];
  readonly configs: ReadonlyArray<readonly [string, string]>;
}

/** What one fetch returned. */
export interface FetchedRecords {
  readonly records: readonly StoredRecord[];
  readonly nextOffset: number;
}

/** Kafka's isolation levels: read_committed hides aborted and still-open transactional records. */
export type IsolationLevel = 'read_uncommitted' | 'read_committed';

/**
 * Membership of a consumer group for `consume --group` (Kafka's subscribe): the group's coordinator
 * shares the topic's partitions among its members and moves them when members come and go.
 */
export interface GroupSession {
  /** The topic's partitions this member reads now; undefined while a rebalance is under way. */
  assigned(): readonly number[] | undefined;
  /** Changes with every rebalance (started or ended), so a reader notices partitions moving. */
  readonly assignment: number;
  /** Resolves at the next new assignment, when `signal` aborts, or after `timeoutMs`. */
  changed(signal?: AbortSignal, timeoutMs?: number): Promise<void>;
  /** Commits as this member of its generation; false when the group refused it because it moved on to another generation. */
  commit(positions: readonly CommittedPosition[]): Promise<boolean>;
  /** Leaves the group, so the other members take its partitions at once. */
  leave(): Promise<void>;
}

/**
 * What the `topics`, `produce`, `consume` and `reset` commands need from where the data lives:
 * the embedded log engine opened in-process, or a Kafka-protocol cluster (`kstreams broker`, a
 * running `kstreams run` serving its engine, Apache Kafka). One command implementation runs on both.
 */
export interface CommandTarget {
  /** Where the commands act, for messages: "data directory ./kstreams-data" or "127.0.0.1:9092". */
  readonly where: string;
  listTopics(): Promise<string[]>;
  /** @throws StreamsError TOPIC_ALREADY_EXISTS, INVALID_TOPIC_NAME, INVALID_CONFIG */
  createTopic(name: string, options: { partitions: number; replicationFactor?: number; configs: Readonly<{ [key: string]: string }> }): Promise<void>;
  /** @throws StreamsError UNKNOWN_TOPIC */
  describeTopic(name: string): Promise<TopicInfo>;
  /** @throws StreamsError UNKNOWN_TOPIC */
  deleteTopic(name: string): Promise<void>;
  /** @throws StreamsError UNKNOWN_TOPIC */
  partitionCount(topic: string): Promise<number>;
  produce(topic: string, records: readonly ClusterRecord[]): Promise<void>;
  /**
   * `earliest` is the first stored offset, `latest` the offset the next record gets — under
   * read_committed, the last stable offset (no open transaction before it).
   */
  offsets(topic: string, partition: number, isolationLevel?: IsolationLevel): Promise<{ earliest: number; latest: number }>;
  /** The first offset whose timestamp is at or after `timestamp`; the latest offset when there is none. */
  offsetForTimestamp(topic: string, partition: number, timestamp: number): Promise<number>;
  /**
   * Records from `offset`, waiting up to `maxWaitMs` when there are none yet; `nextOffset` is where
   * the next fetch starts (past transaction markers and aborted records, which are not returned).
   */
  fetch(topic: string, partition: number, offset: number, options: { maxWaitMs: number; isolationLevel: IsolationLevel; signal?: AbortSignal }): Promise<FetchedRecords>;
  committedOffsets(group: string): Promise<CommittedPosition[]>;
  /** Sets a group's offsets (Kafka's simple commit, outside any group generation). */
  commitOffsets(group: string, positions: readonly CommittedPosition[]): Promise<void>;
  /** Member ids of the group's live members (none on the embedded engine: it has no group members). */
  groupMembers(group: string): Promise<string[]>;
  /**
   * Joins `group` as a consumer of `topic`; resolves once the member has its first assignment.
   * Absent on the embedded engine opened in-process, which has no group coordinator: the command
   * holding its directory is its only reader.
   */
  joinGroup?(group: string, topic: string): Promise<GroupSession>;
  close(): Promise<void>;
}
