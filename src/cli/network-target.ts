import type { Admin, BaseOptions, ClusterTopicMetadata, Consumer, Producer } from '@platformatic/kafka';
import { connectionSecurityOf, fetchedPage, findInClientError, loadKafkaClient, securityFailureOf } from '../client/index.ts';
import type { ClientSecurity, ClusterRecord, CommittedPosition, KafkaClientModule } from '../client/index.ts';
import { StreamsError, partitionForKey, type StreamsErrorCode } from '../common/index.ts';
import type { CommandTarget, FetchedRecords, GroupSession, IsolationLevel, TopicInfo } from './command-target.ts';
import { NetworkGroupSession } from './network-group-session.ts';

/** Kafka's ConfigResource type of a topic, and the config source of a value set on the topic. */
const TOPIC_RESOURCE = 2;
const TOPIC_CONFIG_SOURCE = 1;
const FETCH_MAX_BYTES = 1_048_576;

/** Kafka error ids (as @platformatic/kafka names them) and the code the command line reports. */
const ERROR_CODES: ReadonlyArray<readonly [string, StreamsErrorCode]> = [
  ['TOPIC_ALREADY_EXISTS', 'TOPIC_ALREADY_EXISTS'],
  ['UNKNOWN_TOPIC_OR_PARTITION', 'UNKNOWN_TOPIC'],
  ['UNKNOWN_TOPIC_ID', 'UNKNOWN_TOPIC'],
  ['INVALID_TOPIC_EXCEPTION', 'INVALID_TOPIC_NAME'],
  ['INVALID_CONFIG', 'INVALID_CONFIG'],
  ['INVALID_PARTITIONS', 'INVALID_CONFIG'],
  ['INVALID_REPLICATION_FACTOR', 'INVALID_CONFIG'],
  ['OFFSET_OUT_OF_RANGE', 'OFFSET_OUT_OF_RANGE'],
];


/** A coded error for what the cluster answered, keeping the client's error as the cause. */
function codedError(error: unknown, what: string, where: string): StreamsError {
  if (error instanceof StreamsError) return error;
  for (const [id, code] of ERROR_CODES) {
    const found = findInClientError<{ serverErrorMessage?: string | null; message: string }>(error, 'apiId', id);
    if (found !== undefined) {
      return new StreamsError(code, `${what} at ${where}: ${found.serverErrorMessage ?? found.message} (${id})`, { cause: error });
    }
  }
  return new StreamsError('PROTOCOL_ERROR', `${what} at ${where} failed: ${(error as Error).message}`, { cause: error });
}

/**
 * The command line's target on a Kafka-protocol cluster: `kstreams broker`, a `kstreams run`
 * process serving its engine on loopback, Apache Kafka or Redpanda, through @platformatic/kafka.
 *
 * @example
 * const target = await NetworkTarget.connect('127.0.0.1:9092');
 * console.log(await target.listTopics());
 */
export class NetworkTarget implements CommandTarget {
  private readonly admin: Admin;
  private readonly producer: Producer;
  private readonly consumer: Consumer;
  private readonly fetchMetadata = new Map<string, ClusterTopicMetadata>();

  private readonly clientOptions: BaseOptions;

  private constructor(private readonly client: KafkaClientModule, readonly where: string, servers: string[], private readonly embeddedApplication: string | undefined, security: ClientSecurity | undefined) {
    const { Admin, Consumer, Producer } = client;
    const base = { clientId: 'kstreams-cli', bootstrapBrokers: servers, retries: 3, retryDelay: 200, ...connectionSecurityOf(security) };
    this.clientOptions = base;
    this.admin = new Admin(base);
    this.producer = new Producer({ ...base, acks: -1, autocreateTopics: false });
    // Only used for Fetch and ListOffsets: it never joins its group.
    this.consumer = new Consumer({ ...base, groupId: `kstreams-cli-${process.pid}`, autocommit: false });
  }

  /**
   * Connects (by fetching the cluster's metadata) or fails naming the address. `embeddedApplication`
   * is the application id a `kstreams run` serving its own engine runs: a live member of its group
   * that no group coordinator knows of. `security` is the TLS and SASL of `--command-config`.
   */
  static async connect(bootstrapServer: string, where = bootstrapServer, embeddedApplication?: string, security?: ClientSecurity): Promise<NetworkTarget> {
    const servers = bootstrapServer.split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (const server of servers) {
      if (!/^[^:\s]+:\d+$/.test(server)) throw new StreamsError('INVALID_ARGUMENT', `--bootstrap-server expects host:port[,host:port…], got '${bootstrapServer}'`);
    }
    const target = new NetworkTarget(await loadKafkaClient(), where, servers, embeddedApplication, security);
    try {
      await target.admin.metadata({ topics: [] });
    } catch (cause) {
      await target.close();
      const failure = securityFailureOf(cause, where, security);
      if (failure !== undefined) throw failure;
      throw new StreamsError('INVALID_CONFIG', `cannot reach a Kafka-protocol cluster at ${where}: ${(cause as Error).message}; start it (e.g. \`kstreams broker\`) or fix --bootstrap-server${security === undefined ? ' (a cluster that requires TLS or SASL needs --command-config)' : ''}`, { cause });
    }
    return target;
  }

  private async call<T>(what: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw codedError(error, what, this.where);
    }
  }

  listTopics(): Promise<string[]> {
    return this.call('listing topics', async () => (await this.admin.listTopics({ includeInternals: false })).sort());
  }

  async createTopic(name: string, options: { partitions: number; replicationFactor?: number; configs: Readonly<{ [key: string]: string }> }): Promise<void> {
    await this.call(`creating topic "${name}"`, () => this.admin.createTopics({
      topics: [name], partitions: options.partitions, replicas: options.replicationFactor ?? -1, configs: Object.entries(options.configs).map(([key, value]) => ({ name: key, value })),
    }));
  }

  async describeTopic(name: string): Promise<TopicInfo> {
    const count = await this.partitionCount(name);
    const partitions = [];
    for (let partition = 0; partition < count; partition++) {
      const { earliest, latest } = await this.offsets(name, partition);
      partitions.push({ partition, logStartOffset: earliest, highWatermark: latest });
    }
    const [description] = await this.call(`describing the configs of "${name}"`, () => this.admin.describeConfigs({ resources: [{ resourceType: TOPIC_RESOURCE, resourceName: name }] }));
    const configs = (description?.configs ?? [])
      .filter((c) => c.configSource === TOPIC_CONFIG_SOURCE && c.value !== null)
      .map((c) => [c.name, c.value!] as const)
      .sort(([a], [b]) => a.localeCompare(b));
    return { name, partitions, configs };
  }

  async deleteTopic(name: string): Promise<void> {
    await this.partitionCount(name);
    await this.call(`deleting topic "${name}"`, () => this.admin.deleteTopics({ topics: [name] }));
  }

  async partitionCount(topic: string): Promise<number> {
    return (await this.topicMetadata(topic)).partitionsCount;
  }

  private async topicMetadata(topic: string) {
    const unknown = (cause?: unknown) => new StreamsError('UNKNOWN_TOPIC', `topic "${topic}" does not exist at ${this.where}`, { location: { topic }, cause });
    let metadata;
    try {
      metadata = await this.admin.metadata({ topics: [topic], forceUpdate: true });
    } catch (error) {
      // The client reports a topic missing from the metadata answer as a user error "Unknown topic".
      if (/^Unknown topic /.test((error as Error).message)) throw unknown(error);
      const coded = codedError(error, `looking up topic "${topic}"`, this.where);
      throw coded.code === 'UNKNOWN_TOPIC' ? unknown(error) : coded;
    }
    const found = metadata.topics.get(topic);
    if (found === undefined) throw unknown();
    return found;
  }

  async produce(topic: string, records: readonly ClusterRecord[]): Promise<void> {
    if (records.length === 0) return;
    const count = await this.partitionCount(topic);
    await this.call(`producing to "${topic}"`, () => this.producer.send({
      messages: records.map((r) => ({
        topic,
        ...(r.key === null ? {} : { key: r.key }),
        ...(r.value === null ? {} : { value: r.value }),
        // Kafka's default partitioner (murmur2 of the key), so a key lands where a Java producer puts it.
        ...(r.partition !== undefined ? { partition: r.partition } : r.key === null ? {} : { partition: partitionForKey(r.key, count) }),
        timestamp: BigInt(r.timestamp),
        headers: new Map(r.headers.filter((h) => h.value !== null).map((h) => [Buffer.from(h.key), h.value!])),
      })),
    }));
  }

  async offsets(topic: string, partition: number, isolationLevel: IsolationLevel = 'read_uncommitted'): Promise<{ earliest: number; latest: number }> {
    return { earliest: await this.listOffset(topic, partition, -2n, 'read_uncommitted'), latest: await this.listOffset(topic, partition, -1n, isolationLevel) };
  }

  async offsetForTimestamp(topic: string, partition: number, timestamp: number): Promise<number> {
    const offset = await this.listOffset(topic, partition, BigInt(timestamp), 'read_uncommitted');
    return offset >= 0 ? offset : (await this.offsets(topic, partition)).latest;
  }

  private async listOffset(topic: string, partition: number, timestamp: bigint, isolationLevel: IsolationLevel): Promise<number> {
    const offsets = await this.call(`listing offsets of "${topic}" partition ${partition}`, () => this.consumer.listOffsets({
      topics: [topic], partitions: { [topic]: [partition] }, timestamp, isolationLevel: isolationLevel === 'read_committed' ? 1 : 0,
    }));
    return Number(offsets.get(topic)?.[partition] ?? -1n);
  }

  async fetch(topic: string, partition: number, offset: number, options: { maxWaitMs: number; isolationLevel: IsolationLevel }): Promise<FetchedRecords> {
    // The topic's id and leaders, looked up once per topic rather than once per fetch.
    let metadata = this.fetchMetadata.get(topic);
    if (metadata === undefined) this.fetchMetadata.set(topic, (metadata = await this.topicMetadata(topic)));
    const leader = metadata.partitions[partition]?.leader;
    if (leader === undefined) {
      throw new StreamsError('PARTITION_OUT_OF_RANGE', `topic "${topic}" has no partition ${partition} at ${this.where} (it has ${metadata.partitionsCount})`, { location: { topic, partition } });
    }
    let response;
    try {
      response = await this.call(`fetching "${topic}" partition ${partition}`, () => this.consumer.fetch({
        node: leader, maxWaitTime: options.maxWaitMs, minBytes: 1, maxBytes: FETCH_MAX_BYTES, isolationLevel: options.isolationLevel === 'read_committed' ? 1 : 0,
        topics: [{ topicId: metadata.id, partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset: BigInt(offset), lastFetchedEpoch: -1, partitionMaxBytes: FETCH_MAX_BYTES }] }],
      }));
    } catch (error) {
      this.fetchMetadata.delete(topic);
      throw error;
    }
    // One topic and partition were asked for; an answer without them has nothing to read.
    const partitionResponse = response.responses[0]?.partitions[0];
    return partitionResponse === undefined ? { records: [], nextOffset: offset } : fetchedPage(partitionResponse, offset, options.isolationLevel);
  }

  async committedOffsets(group: string): Promise<CommittedPosition[]> {
    const [offsets] = await this.call(`fetching the offsets of group "${group}"`, () => this.admin.listConsumerGroupOffsets({ groups: [group] }));
    return (offsets?.topics ?? []).flatMap((topic) => topic.partitions
      .filter((p) => p.committedOffset >= 0n)
      .map((p) => ({ topic: topic.name, partition: p.partitionIndex, offset: Number(p.committedOffset) })));
  }

  async commitOffsets(group: string, positions: readonly CommittedPosition[]): Promise<void> {
    const byTopic = new Map<string, Array<{ partition: number; offset: bigint }>>();
    for (const p of positions) {
      let list = byTopic.get(p.topic);
      if (list === undefined) byTopic.set(p.topic, (list = []));
      list.push({ partition: p.partition, offset: BigInt(p.offset) });
    }
    await this.call(`committing offsets of group "${group}"`, () => this.admin.alterConsumerGroupOffsets({
      groupId: group, topics: [...byTopic].map(([name, partitionOffsets]) => ({ name, partitionOffsets })),
    }));
  }

  async groupMembers(group: string): Promise<string[]> {
    const groups = await this.call(`describing group "${group}"`, () => this.admin.describeGroups({ groups: [group] }));
    const members = [...(groups.get(group)?.members.keys() ?? [])];
    return group === this.embeddedApplication ? [...members, 'kstreams run (on the embedded engine)'] : members;
  }

  /**
   * Joins `group` as kafka-console-consumer --group does. The group of a `kstreams run` serving its
   * own engine has a member no coordinator knows of, so it is refused.
   */
  async joinGroup(group: string, topic: string): Promise<GroupSession> {
    if (group === this.embeddedApplication) {
      throw new StreamsError('ILLEGAL_STATE', `group "${group}" has active members at ${this.where} (kstreams run on the embedded engine); consume with another --group or stop its members`);
    }
    await this.partitionCount(topic);
    return NetworkGroupSession.join(this.client, this.clientOptions, group, topic, this.where);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.consumer.close(true), this.producer.close(), this.admin.close()]);
  }
}
