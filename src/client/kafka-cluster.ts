import { NO_CLIENT_SETTINGS } from './client-settings.ts';
import type { ClientSettings } from './client-settings.ts';
import type { Admin, Consumer, Producer, ProducerOptions } from '@platformatic/kafka';
import { StreamsError, getLogger } from '../common/index.ts';
import { clientErrorHas } from './client-errors.ts';
import { BatchAttributes } from '../record/index.ts';
import type { StoredRecord } from '../record/index.ts';
import type { Cluster, ClusterRecord, CommittedPosition, FetchedPage, IsolationLevel, TopicPartitionRef, TopicSpec, TransactionalSender } from './cluster.ts';
import { fetchedPage } from './kafka-fetched-batches.ts';
import { KafkaBatchProducer, type BatchProducerOptions } from './kafka-batch-producer.ts';
import { KafkaTransactionalSender } from './kafka-transactional-sender.ts';
import type { GroupMembership, GroupSnapshot, TopicPartitions } from './group-membership.ts';
import { loadKafkaClient, type KafkaClientModule } from './kafka-client-module.ts';
import { connectionSecurityOf } from './security/connection-options.ts';
import { securityFailureOf } from './security/connection-failure.ts';

const log = getLogger('client');
/** The transaction timeout of exactly-once producers, Kafka Streams' `transaction.timeout.ms` under EOS. */
const TRANSACTION_TIMEOUT_MS = 10_000;
/** How long group calls keep retrying a retriable answer (a fresh cluster's coordinator still loading). */
const GROUP_RETRY_MS = 30_000;
/** How long a read_committed offset fetch waits out a transaction holding the offsets: beyond the client's default 60 s transaction timeout. */
const STABLE_OFFSETS_WAIT_MS = 90_000;

/** True when the client marked the error (or one it wraps) with `flag`: `canRetry`, `needsRejoin`. */
function flagged(error: unknown, flag: 'canRetry' | 'needsRejoin'): boolean {
  return clientErrorHas(error, flag, true);
}

/** Kafka's error ids in a client error (ResponseError nests one ProtocolError per failed partition). */
function kafkaErrorIds(error: unknown): string[] {
  const nested = (error as { errors?: unknown[] }).errors ?? [error];
  return nested.map((e) => (e as { apiId?: string }).apiId).filter((id): id is string => id !== undefined);
}

/** A fetch the cluster refused, as a coded error that says which partition, offset and Kafka error. */
function fetchError(error: unknown, topic: string, partition: number, offset: number): unknown {
  const ids = kafkaErrorIds(error);
  if (ids.length === 0) return error;
  const code = ids.includes('OFFSET_OUT_OF_RANGE') ? 'OFFSET_OUT_OF_RANGE' : 'PROTOCOL_ERROR';
  return new StreamsError(code, `fetching topic "${topic}" partition ${partition} at offset ${offset} failed: the cluster answered ${ids.join(', ')}`,
    { cause: error, location: { topic, partition, offset } });
}

/** How the batch producer sends, from the producer's options (the client's defaults where unset: a 5 s produce timeout). */
function batchOptionsOf(options: ProducerOptions<Buffer, Buffer, Buffer, Buffer>): BatchProducerOptions {
  const retries = options.retries;
  const retryDelay = options.retryDelay;
  return {
    acks: options.acks ?? -1, timeoutMs: options.timeout ?? 5_000,
    retries: typeof retries === 'number' ? retries : retries === true ? Number.MAX_SAFE_INTEGER : 0,
    retryDelayMs: typeof retryDelay === 'number' ? retryDelay : 200,
    compression: options.compression ?? 'none',
  };
}

/** OffsetFetch's request shape: each topic once, with its partitions. */
function byTopic(partitions: readonly TopicPartitionRef[]): Array<{ name: string; partitionIndexes: number[] }> {
  const topics = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    const listed = topics.get(topic);
    if (listed === undefined) topics.set(topic, [partition]);
    else listed.push(partition);
  }
  return [...topics].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
}

/** The client's isolation option (0 read_uncommitted, 1 read_committed); none given: the client's default, read_committed. */
function isolationOf(level: IsolationLevel | undefined): { isolationLevel?: number } {
  return level === undefined ? {} : { isolationLevel: level === 'read_committed' ? 1 : 0 };
}

/**
 * Runs a group call, retrying with backoff while the cluster answers with a retriable error —
 * COORDINATOR_NOT_AVAILABLE while a fresh cluster creates its offsets topic, NOT_COORDINATOR after
 * the coordinator moved. The consumer itself does not retry (see the constructor).
 */
async function retryingGroupCall<T>(what: string, call: () => Promise<T>, retryIf = (error: unknown) => flagged(error, 'canRetry'), retryMs = GROUP_RETRY_MS): Promise<T> {
  const deadline = Date.now() + retryMs;
  for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 1_000)) {
    try {
      return await call();
    } catch (error) {
      if (!retryIf(error) || Date.now() + delayMs > deadline) throw error;
      log.info(`${what}: ${(error as Error).message}; retrying in ${delayMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/**
 * The Cluster of a Kafka-protocol cluster — Apache Kafka, Redpanda, or `kstreams broker` — reached
 * through @platformatic/kafka: what `KafkaStreams` runs on when `bootstrap.servers` is set. It
 * also makes the instance a member of the application's group, so several instances share the
 * tasks; committed offsets belong to that group.
 *
 * @example
 * const cluster = await KafkaCluster.connect({ bootstrapServers: ['127.0.0.1:9092'], clientId: 'orders-app', groupId: 'orders-app' });
 */
/** Where the cluster is, who this client is, and its client settings (Kafka's keys mapped by the runtime). */
export interface KafkaClusterOptions {
  readonly bootstrapServers: string[];
  readonly clientId: string;
  readonly groupId: string;
  readonly clients?: ClientSettings;
}

export class KafkaCluster implements Cluster, GroupMembership {
  private readonly admin: Admin;
  private readonly producer: Producer;
  /** Sends what `produce` writes: finished batches over the producer's connections. */
  private readonly batches: KafkaBatchProducer;
  private readonly consumer: Consumer;
  readonly commandLineTarget: string;
  private readonly producerOptions: ProducerOptions<Buffer, Buffer, Buffer, Buffer>;
  private readonly transactionalProducers: Producer[] = [];
  /** Set once the group fenced this static member; every later fetch and commit throws it. */
  private fencedBy: StreamsError | undefined;
  /** Set by `joinGroup()`: joins again with the same options. */
  private rejoin: (() => Promise<void>) | undefined;

  private constructor(private readonly client: KafkaClientModule, options: KafkaClusterOptions) {
    const { Admin, Consumer, Producer } = client;
    this.commandLineTarget = `--bootstrap-server ${options.bootstrapServers.join(',')}`;
    const settings = options.clients ?? NO_CLIENT_SETTINGS;
    const base = { clientId: options.clientId, bootstrapBrokers: options.bootstrapServers, retries: 5, retryDelay: 200, ...connectionSecurityOf(settings.security) };
    this.admin = new Admin({ ...base, ...settings.admin });
    // acks=all whatever the settings say: at-least-once needs every acknowledged write replicated.
    this.producerOptions = { ...base, ...settings.producer, acks: -1, autocreateTopics: false };
    this.producer = new Producer(this.producerOptions);
    this.batches = new KafkaBatchProducer(client, this.producer, batchOptionsOf(this.producerOptions));
    // No retries inside the consumer: it would rejoin the group on its own, without our assignor.
    this.consumer = new Consumer({ ...base, ...settings.consumer, retries: 0, groupId: options.groupId, autocommit: false, maxWaitTime: 0, minBytes: 0 });
  }

  /** Connects (by fetching the cluster's metadata) or fails naming the servers. */
  static async connect(options: KafkaClusterOptions): Promise<KafkaCluster> {
    const cluster = new KafkaCluster(await loadKafkaClient(), options);
    try {
      await cluster.admin.metadata({ topics: [] });
    } catch (cause) {
      await cluster.close();
      const security = securityFailureOf(cause, options.bootstrapServers.join(', '), options.clients?.security);
      if (security !== undefined) throw security;
      throw new StreamsError('INVALID_CONFIG', `cannot reach the Kafka cluster at ${options.bootstrapServers.join(', ')} ("bootstrap.servers"): ${(cause as Error).message}; ` +
        `start it (e.g. \`kstreams broker\`) or fix the addresses${options.clients?.security === undefined ? ' (a cluster that requires TLS or SASL needs "security.protocol")' : ''}`, { cause });
    }
    return cluster;
  }

  async partitionCount(topic: string): Promise<number | undefined> {
    try {
      const metadata = await this.admin.metadata({ topics: [topic], forceUpdate: true });
      return metadata.topics.get(topic)?.partitionsCount;
    } catch {
      return undefined;
    }
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    for (const spec of specs) {
      if ((await this.partitionCount(spec.name)) !== undefined) continue;
      await this.admin.createTopics({
        topics: [spec.name], partitions: spec.partitions, replicas: -1,
        configs: Object.entries(spec.config).map(([name, value]) => ({ name, value })),
      }).catch(async (cause: Error) => {
        // Another instance may have created it meanwhile.
        if ((await this.partitionCount(spec.name)) === undefined) throw cause;
      });
    }
  }

  async produce(topic: string, records: readonly ClusterRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.batches.produce(topic, records);
  }

  /**
   * A producer of its own per transactional id (a producer carries one transaction at a time),
   * with the settings of the main one; its offsets are committed as this instance's group member.
   */
  async transactionalSender(transactionalId: string): Promise<TransactionalSender> {
    // A fresh cluster answers COORDINATOR_NOT_AVAILABLE while it creates its transaction log; a
    // producer whose first transaction failed to begin is unusable, so each attempt gets its own.
    return retryingGroupCall(`initialising the transactional producer "${transactionalId}"`, async () => {
      // The next transaction's first AddPartitionsToTxn often meets CONCURRENT_TRANSACTIONS while the
      // coordinator still writes the last one's markers: retried after a few ms, not the default 200.
      // The client sends its request timeout as the transaction timeout: 10 s, Kafka Streams' transaction.timeout.ms.
      // Its InitProducerId carries producer id 0 and epoch 0 unless told otherwise, which a broker
      // takes for a stale producer of an id that has another: -1 / -1 is a new start, which fences.
      const producer = new this.client.Producer({
        ...this.producerOptions, idempotent: true, transactionalId, retries: 50, retryDelay: 10, timeout: TRANSACTION_TIMEOUT_MS, producerId: -1n, producerEpoch: -1,
      });
      try {
        const batches = new KafkaBatchProducer(this.client, producer, batchOptionsOf({ ...this.producerOptions, retries: 50, retryDelay: 10, timeout: TRANSACTION_TIMEOUT_MS }));
        const sender = await KafkaTransactionalSender.open(producer, batches, this.consumer, transactionalId);
        this.transactionalProducers.push(producer);
        return sender;
      } catch (error) {
        await producer.close();
        throw error;
      }
    });
  }

  async fetch(topic: string, partition: number, offset: number, maxBytes: number, isolationLevel?: IsolationLevel): Promise<FetchedPage> {
    if (this.fencedBy !== undefined) throw this.fencedBy;
    const metadata = await this.admin.metadata({ topics: [topic] });
    const topicMetadata = metadata.topics.get(topic);
    const leader = topicMetadata?.partitions[partition]?.leader;
    if (topicMetadata === undefined || leader === undefined) {
      throw new StreamsError('UNKNOWN_TOPIC', `topic "${topic}" partition ${partition} is not in the cluster's metadata`, { location: { topic, partition } });
    }
    let response: Awaited<ReturnType<Consumer['fetch']>>;
    try {
      response = await this.consumer.fetch({
        node: leader, maxWaitTime: 0, minBytes: 0, maxBytes, ...isolationOf(isolationLevel),
        topics: [{ topicId: topicMetadata.id, partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset: BigInt(offset), lastFetchedEpoch: -1, partitionMaxBytes: maxBytes }] }],
      });
    } catch (error) {
      // A partition created a moment ago, or whose leader is moving, answers with a retriable error
      // (as Kafka's consumers treat it): nothing is fetched this time, and the caller asks again.
      if (flagged(error, 'canRetry')) return { records: [], nextOffset: offset };
      throw fetchError(error, topic, partition, offset);
    }
    const partitionResponse = response.responses[0]?.partitions[0];
    return partitionResponse === undefined ? { records: [], nextOffset: offset } : fetchedPage(partitionResponse, offset, isolationLevel);
  }

  async offsets(topic: string, partition: number, isolationLevel?: IsolationLevel): Promise<{ earliest: number; latest: number }> {
    const at = async (timestamp: bigint) => Number((await this.consumer.listOffsets({ topics: [topic], partitions: { [topic]: [partition] }, timestamp, ...isolationOf(isolationLevel) })).get(topic)?.[partition] ?? 0n);
    // A topic created a moment ago may not have a leader yet on a multi-component cluster (Apache Kafka).
    return retryingGroupCall(`listing offsets of "${topic}" partition ${partition}`, async () => ({ earliest: await at(-2n), latest: await at(-1n) }));
  }

  async deleteRecords(topic: string, partition: number, beforeOffset: number): Promise<void> {
    await this.admin.deleteRecords({ topics: [{ name: topic, partitions: [{ partition, offset: BigInt(beforeOffset) }] }] });
  }

  /**
   * Commits through the group. During a rebalance the group refuses commits of the old generation;
   * those are skipped (logged): the records after the last commit are processed again by whoever
   * owns them next — at least once, never lost.
   */
  async commitOffsets(_group: string, positions: readonly CommittedPosition[]): Promise<void> {
    if (this.fencedBy !== undefined) throw this.fencedBy;
    const offsets = positions.map((p) => ({ topic: p.topic, partition: p.partition, offset: BigInt(p.offset), leaderEpoch: -1 }));
    try {
      // A rebalance is not waited out: a commit of the old generation is dropped (below).
      await retryingGroupCall('commit', () => this.consumer.commit({ offsets }), (error) => flagged(error, 'canRetry') && !flagged(error, 'needsRejoin'));
    } catch (error) {
      if (!flagged(error, 'needsRejoin')) throw error;
      log.info(`commit skipped: the group is rebalancing (${(error as Error).message}); uncommitted records will be processed again by their next owner`);
    }
  }

  async committedOffsets(group: string, isolationLevel?: IsolationLevel, partitions?: readonly TopicPartitionRef[]): Promise<CommittedPosition[]> {
    const requireStable = isolationLevel === 'read_committed';
    const request = partitions === undefined ? group : { groupId: group, topics: byTopic(partitions) };
    // UNSTABLE_OFFSET_COMMIT is retriable: it clears when the transaction's markers are written, or
    // when the coordinator aborts a transaction its producer left open (transaction timeout).
    const [offsets] = await retryingGroupCall('fetching committed offsets', () => this.admin.listConsumerGroupOffsets({ groups: [request], requireStable }),
      undefined, requireStable ? STABLE_OFFSETS_WAIT_MS : GROUP_RETRY_MS);
    return (offsets?.topics ?? []).flatMap((topic) => topic.partitions
      .filter((p) => p.committedOffset >= 0n)
      .map((p) => ({ topic: topic.name, partition: p.partitionIndex, offset: Number(p.committedOffset) })));
  }

  async joinGroup(options: Parameters<GroupMembership['joinGroup']>[0]): Promise<void> {
    this.consumer.topics.trackAll(...options.topics);
    this.consumer.on('consumer:group:rebalance', () => options.onRebalance());
    this.consumer.on('consumer:heartbeat:error', (event: { error?: unknown }) => this.noticeFencing(event.error));
    this.consumer.on('consumer:group:join', (event: { assignments?: Array<{ topic: string; partitions: number[] }> }) => {
      options.onAssignment((event.assignments ?? []) as TopicPartitions);
    });
    const joinOptions: NonNullable<Parameters<Consumer['joinGroup']>[0]> = {
      sessionTimeout: options.sessionTimeoutMs,
      rebalanceTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.max(100, Math.floor(options.sessionTimeoutMs / 10)),
      // A getter: the client re-sends these options at every rejoin, and the userData must be current then.
      protocols: [{ name: 'kstreams', version: 1, get metadata() { return options.userData(); } }],
      partitionAssigner: (_current, members) => {
        const assignment = options.assignor([...members.values()].map((m) => ({ memberId: m.memberId, userData: Buffer.from(m.metadata ?? Buffer.alloc(0)) })));
        return [...members.keys()].map((memberId) => ({
          memberId,
          assignments: new Map((assignment.get(memberId) ?? []).map((tp) => [tp.topic, { topic: tp.topic, partitions: [...tp.partitions] }])),
        }));
      },
    };
    this.rejoin = async () => {
      await retryingGroupCall(`rejoining group "${this.consumer.groupId}"`, () => this.consumer.joinGroup(joinOptions));
    };
    await retryingGroupCall(`joining group "${this.consumer.groupId}"`, () => this.consumer.joinGroup(joinOptions));
    log.info(`joined group "${this.consumer.groupId}" as ${this.consumer.memberId}`);
  }

  async rejoinGroup(): Promise<void> {
    if (this.rejoin === undefined) throw new StreamsError('ILLEGAL_STATE', 'cannot rejoin a group before joining it');
    await this.rejoin();
  }

  async describeGroupMembers(groupId: string): Promise<GroupSnapshot> {
    const group = (await this.admin.describeGroups({ groups: [groupId] })).get(groupId);
    if (group === undefined) return { stable: false, members: [] };
    return {
      stable: group.state === 'STABLE',
      members: [...group.members.values()].map((m) => ({
        memberId: m.id,
        userData: Buffer.from(m.metadata?.metadata ?? Buffer.alloc(0)),
        assignment: [...(m.assignments?.values() ?? [])].map((a) => ({ topic: a.topic, partitions: [...a.partitions] })),
      })),
    };
  }

  /**
   * A static member whose group.instance.id another instance took is fenced for good (Kafka
   * Streams fails with FencedInstanceIdException): its partitions belong to the newer instance, so
   * it must stop fetching and committing rather than process them twice.
   */
  private noticeFencing(error: unknown): void {
    if (this.fencedBy !== undefined || !clientErrorHas(error, 'apiId', 'FENCED_INSTANCE_ID')) return;
    this.fencedBy = new StreamsError('FENCED_INSTANCE_ID', `group "${this.consumer.groupId}" fenced this instance: another instance joined with the same ` +
      `group.instance.id "${this.consumer.groupInstanceId}"; give every instance its own "group.instance.id"`, { cause: error });
  }

  /**
   * A static member (group.instance.id) closes without LeaveGroup, as Kafka Streams does: the group
   * keeps its assignment until session.timeout.ms, so a restart within it resumes with no rebalance.
   * The client sends LeaveGroup only for a member id it knows, so forgetting the id stops the
   * heartbeats and leaves the member in place.
   */
  private async stopHeartbeatsWithoutLeaving(): Promise<void> {
    if (this.consumer.memberId === null) return;
    log.info(`closing static member "${this.consumer.groupInstanceId}" of group "${this.consumer.groupId}" without leaving it: its partitions wait for it until the session times out`);
    this.consumer.memberId = null;
    await this.consumer.leaveGroup(false);
  }

  async leaveGroup(): Promise<void> {
    await this.consumer.leaveGroup();
  }

  async close(): Promise<void> {
    if (this.consumer.groupInstanceId !== null) await this.stopHeartbeatsWithoutLeaving();
    await Promise.allSettled([this.consumer.close(true), this.producer.close(), this.admin.close(), ...this.transactionalProducers.map((p) => p.close())]);
  }
}
