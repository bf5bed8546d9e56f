import { StreamsError, partitionForKey } from '../common/index.ts';
import type { HostInfo } from './host-info.ts';
import { UNAVAILABLE_HOST, sameHost } from './host-info.ts';
import { KEY_QUERY_METADATA_NOT_AVAILABLE } from './streams-metadata.ts';
import type { KeyQueryMetadata, StreamsMetadata, TopicPartition } from './streams-metadata.ts';

/** The stores of an application's topology, as the metadata needs them. */
export interface QueryableTopology {
  /** Sub-topologies with their partition count (= tasks), input topics and store names. */
  readonly subtopologies: ReadonlyArray<{ readonly id: number; readonly partitions: number; readonly inputTopics: readonly string[]; readonly stores: readonly string[] }>;
  /** Global stores: every instance holds all of their data. */
  readonly globalStores: readonly string[];
}

/** One instance of the application with the tasks (`<subtopology>_<partition>`) it runs and keeps standby copies of. */
export interface InstanceTasks {
  readonly host: HostInfo;
  readonly activeTasks: readonly string[];
  readonly standbyTasks: readonly string[];
}

/** Turns a key into bytes, as the producer of the store's input topic did (a Serde fits). */
export interface KeySerializer<K> {
  serialize(topic: string, key: K): Buffer | null;
}

/**
 * Answers "which instance holds what" from the latest group assignment (Kafka's
 * StreamsMetadataState): the runtime calls `update` after every rebalance with each instance's
 * `application.server` and tasks; the answers are built from that snapshot. A key's partition
 * is Kafka's default partitioner (murmur2) over the key serialized for the store's first input
 * topic, so it matches the partition a Java or kstreams producer wrote the key to.
 *
 * @example
 * const state = new StreamsMetadataState(topology, { host: 'a', port: 1 });
 * state.update([{ host: { host: 'a', port: 1 }, activeTasks: ['0_0'], standbyTasks: ['0_1'] }, ...]);
 * state.keyQueryMetadata('counts', 'alice', Serdes.String()); // { activeHost, standbyHosts, partition }
 */
export class StreamsMetadataState {
  private instances: readonly InstanceTasks[] | undefined;

  constructor(private readonly topology: QueryableTopology, private readonly localHost: HostInfo | undefined) {}

  /** Takes the instances of the latest assignment (those without `application.server` are left out by the caller). */
  update(instances: readonly InstanceTasks[]): void {
    this.instances = [...instances].sort((a, b) => a.host.host.localeCompare(b.host.host) || a.host.port - b.host.port);
  }

  /** True once the first assignment is known. */
  get initialized(): boolean {
    return this.instances !== undefined;
  }

  /** Every instance with its stores and partitions (Kafka's `metadataForAllStreamsClients`). */
  metadataForAllStreamsClients(): StreamsMetadata[] {
    return (this.instances ?? []).map((instance) => this.metadataOf(instance));
  }

  /** The instances holding part of `storeName`, active or standby (Kafka's `streamsMetadataForStore`); every instance for a global store. */
  streamsMetadataForStore(storeName: string): StreamsMetadata[] {
    const all = this.metadataForAllStreamsClients();
    if (this.topology.globalStores.includes(storeName)) return all;
    return all.filter((m) => m.stateStoreNames.has(storeName) || m.standbyStateStoreNames.has(storeName));
  }

  /** The metadata of this instance, or undefined without `application.server` or before the first assignment. */
  localMetadata(): StreamsMetadata | undefined {
    const local = this.localHost;
    return local === undefined ? undefined : this.metadataForAllStreamsClients().find((m) => sameHost(m.hostInfo, local));
  }

  /**
   * Where `key` of `storeName` lives: the active instance, standby instances and the partition
   * (Kafka's `queryMetadataForKey`). Before the first assignment: KEY_QUERY_METADATA_NOT_AVAILABLE.
   */
  keyQueryMetadata<K>(storeName: string, key: K, keySerializer: KeySerializer<K>): KeyQueryMetadata {
    if (this.topology.globalStores.includes(storeName)) return { activeHost: this.localHost ?? UNAVAILABLE_HOST, standbyHosts: [], partition: -1 };
    const sub = this.subtopologyOf(storeName);
    if (this.instances === undefined) return KEY_QUERY_METADATA_NOT_AVAILABLE;
    const topic = sub.inputTopics[0]!;
    const bytes = keySerializer.serialize(topic, key);
    if (bytes === null) throw new StreamsError('INVALID_ARGUMENT', `queryMetadataForKey("${storeName}"): the key serializer turned the key into null; a null key has no partition`);
    const partition = partitionForKey(bytes, sub.partitions);
    const taskId = `${sub.id}_${partition}`;
    const active = this.instances.find((i) => i.activeTasks.includes(taskId));
    return {
      activeHost: active?.host ?? UNAVAILABLE_HOST,
      standbyHosts: this.instances.filter((i) => i.standbyTasks.includes(taskId)).map((i) => i.host),
      partition,
    };
  }

  private subtopologyOf(storeName: string): QueryableTopology['subtopologies'][number] {
    const sub = this.topology.subtopologies.find((s) => s.stores.includes(storeName));
    if (sub === undefined) {
      throw new StreamsError('UNKNOWN_STATE_STORE', `the topology has no state store "${storeName}"; stores: ${this.storeNames().join(', ') || 'none'}`);
    }
    return sub;
  }

  private storeNames(): string[] {
    return [...this.topology.subtopologies.flatMap((s) => s.stores), ...this.topology.globalStores].sort();
  }

  private metadataOf(instance: InstanceTasks): StreamsMetadata {
    const active = this.describeTasks(instance.activeTasks);
    const standby = this.describeTasks(instance.standbyTasks);
    return {
      hostInfo: instance.host,
      stateStoreNames: new Set([...active.stores, ...this.topology.globalStores]),
      topicPartitions: active.partitions,
      standbyStateStoreNames: standby.stores,
      standbyTopicPartitions: standby.partitions,
    };
  }

  private describeTasks(taskIds: readonly string[]): { stores: Set<string>; partitions: TopicPartition[] } {
    const stores = new Set<string>();
    const partitions: TopicPartition[] = [];
    for (const taskId of taskIds) {
      const [subId, partition] = taskId.split('_').map(Number);
      const sub = this.topology.subtopologies.find((s) => s.id === subId);
      if (sub === undefined || partition === undefined) continue;
      for (const store of sub.stores) stores.add(store);
      for (const topic of sub.inputTopics) partitions.push({ topic, partition });
    }
    partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    return { stores, partitions };
  }
}
