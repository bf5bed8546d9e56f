import type { ClusterMetadata, Connection, Producer } from '@platformatic/kafka';
import { getLogger, partitionForKey, StreamsError } from '../common/index.ts';
import { clientErrorHas } from './client-errors.ts';
import { encodeBatch } from '../record/index.ts';
import type { ClusterRecord } from './cluster.ts';
import { compressBatch, type CompressionName } from './compress-batch.ts';
import type { KafkaClientModule } from './kafka-client-module.ts';
import { RefusedRecordsError, refusalCodeOf } from './refused-records-error.ts';
import { encodeProduceRequest, PRODUCE_VERSIONS, type PartitionRecordBatch } from './produce-request.ts';

const log = getLogger('client');
/** Produce's API key. */
const PRODUCE = 0;

/**
 * The producer id, epoch and transactional id a transactional producer writes under, and its next
 * sequence number per partition (advanced here as the cluster acknowledges batches).
 */
export interface ProducerIdentity {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  /** Next sequence per `topic\0partition`, from 0 under a fresh producer id or epoch. */
  readonly sequences: Map<string, number>;
  /** Registers partitions with the open transaction before anything is written to them (AddPartitionsToTxn). */
  addPartitions(topic: string, partitions: readonly number[]): Promise<void>;
}

/** How batches are sent: acks, the broker's wait for replication, retries of retriable errors, and compression. */
export interface BatchProducerOptions {
  readonly acks: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly compression: CompressionName;
}

/** A partition's finished batch, waiting for its acknowledgement, and the records it holds. */
interface PendingBatch extends PartitionRecordBatch {
  readonly records: number;
  readonly own: readonly ClusterRecord[];
}

/** A batch the cluster did not take this time, and why. */
interface FailedBatch {
  readonly pending: PendingBatch;
  readonly error: Error;
  /** Kafka's error code when the cluster answered (a partition error), else undefined (a network error). */
  readonly code: number | undefined;
  readonly message: string | null;
}

/** One partition's answer in a Produce response, as @platformatic/kafka parses it. */
interface PartitionAnswer {
  readonly index: number;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}
interface ProduceAnswer {
  readonly responses: ReadonlyArray<{ readonly name: string; readonly partitionResponses: readonly PartitionAnswer[] }>;
}

/** True unless the error, or one it wraps, is marked not retriable — @platformatic/kafka's own retry rule. */
function retriable(error: unknown): boolean {
  return (error as { findBy?: unknown } | null)?.findBy !== undefined && !clientErrorHas(error, 'canRetry', false);
}

/** Kafka's sequence numbers wrap from 2^31 - 1 to 0. */
function advanceSequence(sequence: number, records: number): number {
  return (sequence + records) % 2 ** 31;
}

/**
 * Produces through @platformatic/kafka's connections with kstreams' own record batch encoder: the
 * records of each partition become one finished batch v2 (`encodeBatch`, one allocation, CRC-32C
 * in native code), the batches of each leader one Produce request, written with the client's
 * connection (so TLS, SASL and the connection pool are the client's). The client's `send` would
 * build each batch field by field, one small buffer per field of every record.
 *
 * Partitions follow Kafka's producer: the record's own partition, else murmur2 of the key, else
 * (no key) one partition for all keyless records of the call, the next one at each call (Kafka's
 * sticky partitioner). Retriable answers (a leader moving, a partition not ready, a dropped
 * connection) are retried, only for the partitions that got them, with fresh metadata; a batch
 * is resent byte for byte, so an idempotent producer's sequence numbers stay valid. Calls for
 * the same partition must not overlap (the collector sends a topic's slices one after another).
 *
 * @example
 * const batches = new KafkaBatchProducer(client, producer, { acks: -1, timeoutMs: 5000, retries: 5, retryDelayMs: 200, compression: 'none' });
 * await batches.produce('words', [{ key: Buffer.from('a'), value: Buffer.from('1'), timestamp: Date.now(), headers: [] }]);
 */
export class KafkaBatchProducer {
  private version: Promise<number> | undefined;
  private keylessPartition = 0;

  constructor(
    private readonly client: KafkaClientModule,
    private readonly producer: Producer,
    private readonly options: BatchProducerOptions,
  ) {}

  /** Writes `records` to `topic`; resolves once every batch is acknowledged under `acks`. */
  async produce(topic: string, records: readonly ClusterRecord[], identity?: ProducerIdentity): Promise<void> {
    if (records.length === 0) return;
    let metadata = await this.producer.metadata({ topics: [topic] });
    const byPartition = this.partitioned(topic, records, this.partitionCount(metadata, topic));
    if (identity !== undefined) await identity.addPartitions(topic, [...byPartition.keys()]);
    let pending: PendingBatch[] = [];
    for (const [partition, own] of byPartition) pending.push({ partition, records: own.length, own, batch: this.encode(topic, partition, own, identity) });
    const version = await this.produceVersion();
    for (let attempt = 0; ; attempt++) {
      let failed: FailedBatch[];
      try {
        failed = await this.sendOnce(version, topic, metadata, pending, identity);
      } catch (error) {
        // No connection to a leader, or no fresh metadata: nothing was written this time.
        failed = pending.map((p) => ({ pending: p, error: error as Error, code: undefined, message: null }));
      }
      if (failed.length === 0) return;
      if (attempt >= this.options.retries || !failed.every((f) => retriable(f.error))) throw this.failure(version, topic, failed);
      log.info(`producing to "${topic}": ${failed[0]!.error.message} (${failed.length} partition(s)); retrying in ${this.options.retryDelayMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs));
      pending = failed.map((f) => f.pending);
      metadata = await this.producer.metadata({ topics: [topic], forceUpdate: true }).catch(() => metadata);
    }
  }

  private partitionCount(metadata: ClusterMetadata, topic: string): number {
    const count = metadata.topics.get(topic)?.partitionsCount;
    if (count === undefined) throw new StreamsError('UNKNOWN_TOPIC', `topic "${topic}" is not in the cluster's metadata`, { location: { topic } });
    return count;
  }

  /** Records per partition, in the order given. */
  private partitioned(topic: string, records: readonly ClusterRecord[], count: number): Map<number, ClusterRecord[]> {
    const keyless = this.keylessPartition++ % count;
    const byPartition = new Map<number, ClusterRecord[]>();
    for (const record of records) {
      const partition = record.partition ?? (record.key === null ? keyless : partitionForKey(record.key, count));
      if (!Number.isInteger(partition) || partition < 0 || partition >= count) {
        throw new StreamsError('PARTITION_OUT_OF_RANGE', `cannot produce to topic "${topic}" partition ${partition}: it has partitions 0 to ${count - 1}`, { location: { topic, partition } });
      }
      const list = byPartition.get(partition);
      if (list === undefined) byPartition.set(partition, [record]);
      else list.push(record);
    }
    return byPartition;
  }

  private encode(topic: string, partition: number, records: readonly ClusterRecord[], identity: ProducerIdentity | undefined): Buffer {
    const batch = encodeBatch(records, identity === undefined ? { baseOffset: 0 } : {
      baseOffset: 0, transactional: true, producerId: identity.producerId, producerEpoch: identity.producerEpoch,
      baseSequence: identity.sequences.get(`${topic}\0${partition}`) ?? 0,
    });
    return compressBatch(this.client, batch, this.options.compression);
  }

  /** The newest Produce version both this writer and the cluster speak, asked once. */
  private produceVersion(): Promise<number> {
    this.version ??= this.producer.listApis().then((apis) => {
      const produce = apis.find((api) => api.apiKey === PRODUCE);
      const version = Math.min(produce?.maxVersion ?? -1, PRODUCE_VERSIONS.max);
      if (produce === undefined || version < Math.max(produce.minVersion, PRODUCE_VERSIONS.min)) {
        throw new StreamsError('UNSUPPORTED_VERSION', `the cluster serves Produce versions ${produce?.minVersion ?? '-'} to ${produce?.maxVersion ?? '-'}; kstreams needs one of ${PRODUCE_VERSIONS.min} to ${PRODUCE_VERSIONS.max}`);
      }
      return version;
    }).catch((error: unknown) => {
      this.version = undefined;
      throw error;
    });
    return this.version;
  }

  /** One Produce request per leader, concurrently; returns the batches the cluster did not take. */
  private async sendOnce(version: number, topic: string, metadata: ClusterMetadata, pending: readonly PendingBatch[], identity: ProducerIdentity | undefined): Promise<FailedBatch[]> {
    const partitions = metadata.topics.get(topic)!.partitions;
    const byLeader = new Map<number, PendingBatch[]>();
    for (const p of pending) {
      const leader = partitions[p.partition]?.leader ?? -1;
      const list = byLeader.get(leader);
      if (list === undefined) byLeader.set(leader, [p]);
      else list.push(p);
    }
    const connections = await this.producer.connectToBrokers([...byLeader.keys()].filter((leader) => leader >= 0));
    const failed: FailedBatch[] = [];
    await Promise.all([...byLeader].map(async ([leader, batches]) => {
      const connection = connections.get(leader);
      if (connection === undefined) {
        const error = new this.client.ProtocolError('LEADER_NOT_AVAILABLE');
        for (const p of batches) failed.push({ pending: p, error, code: undefined, message: null });
        return;
      }
      let answer: ProduceAnswer;
      try {
        answer = await this.request(connection, version, topic, batches, identity);
      } catch (error) {
        for (const p of batches) failed.push({ pending: p, error: error as Error, code: undefined, message: null });
        return;
      }
      const answers = new Map(answer.responses.flatMap((t) => t.partitionResponses).map((a) => [a.index, a]));
      for (const p of batches) {
        const own = answers.get(p.partition);
        if (own !== undefined && own.errorCode === 0) {
          if (identity !== undefined) {
            const key = `${topic}\0${p.partition}`;
            identity.sequences.set(key, advanceSequence(identity.sequences.get(key) ?? 0, p.records));
          }
          continue;
        }
        const code = own?.errorCode ?? -1;
        failed.push({ pending: p, error: new this.client.ProtocolError(code, own?.errorMessage ?? null), code, message: own?.errorMessage ?? null });
      }
    }));
    return failed;
  }

  /** Sends one Produce request on `connection`; partition errors come back in the answer, not as a rejection. */
  private request(connection: Connection, version: number, topic: string, batches: readonly PendingBatch[], identity: ProducerIdentity | undefined): Promise<ProduceAnswer> {
    const body = encodeProduceRequest(
      { version, transactionalId: identity?.transactionalId ?? null, acks: this.options.acks, timeoutMs: this.options.timeoutMs },
      [{ topic, partitions: batches }],
    );
    const parse = (this.client as unknown as Record<string, { parseResponse: (...args: unknown[]) => ProduceAnswer }>)[`produceV${version}`]!.parseResponse;
    const flexible = version >= 9;
    return new Promise((resolve, reject) => {
      connection.send(PRODUCE, version, () => this.client.Writer.create().append(body), (...args: unknown[]) => {
        try {
          return parse(...args);
        } catch (error) {
          // The client's parser throws on any partition error; the answer it carries says which.
          const response = (error as { response?: ProduceAnswer }).response;
          if (response === undefined) throw error;
          return response;
        }
      }, flexible, flexible, (error, answer) => (error === null ? resolve(answer!) : reject(error)));
    });
  }

  /**
   * The error of a produce that failed for good: the cluster's answer per partition, as the client
   * reports it; a RefusedRecordsError, carrying it, when the cluster refused every failed batch for
   * what its records are (the batches not named there were written).
   */
  private failure(version: number, topic: string, failed: readonly FailedBatch[]): Error {
    const answered = failed.filter((f) => f.code !== undefined);
    if (answered.length === 0) return failed[0]!.error;
    const errors = Object.fromEntries(answered.map((f): [string, [number, string | null]] => [`/responses/${topic}/partition_responses/${f.pending.partition}`, [f.code!, f.message]]));
    const answer = new this.client.ResponseError(PRODUCE, version, errors, undefined);
    const code = refusalCodeOf(failed[0]!.code ?? -1);
    if (code === undefined || !failed.every((f) => f.code !== undefined && refusalCodeOf(f.code) !== undefined)) return answer;
    const partitions = failed.map((f) => f.pending.partition);
    const why = failed.map((f) => `partition ${f.pending.partition}: ${f.error.message}${f.message === null ? '' : ` (${f.message})`}`).join('; ');
    return new RefusedRecordsError(code, `the cluster refused ${failed.reduce((n, f) => n + f.pending.records, 0)} record(s) for topic "${topic}" — ${why}`,
      failed.flatMap((f) => f.pending.own), { cause: answer, location: partitions.length === 1 ? { topic, partition: partitions[0]! } : { topic } });
  }
}
