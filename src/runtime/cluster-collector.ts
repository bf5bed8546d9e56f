import { StreamsError, isStreamsError } from '../common/index.ts';
import { RefusedRecordsError } from '../client/index.ts';
import type { Cluster, ClusterRecord } from '../client/index.ts';
import { askHandler } from './task/bad-record-policy.ts';
import type { ErrorHandlerContext, ProductionExceptionHandler } from './task/exception-handler-types.ts';
import type { ProducedRecord, RecordCollector } from './task/record-collector.ts';

/** Bytes of payload per produce call; record headers and framing add a little on top. */
const SLICE_BYTES = 256 * 1024;
/** A generous estimate of a record's framing in a batch (varints, attributes, headers). */
const RECORD_OVERHEAD_BYTES = 32;
/** The codes of a cluster refusing records for what they are. */
const REFUSAL_CODES: ReadonlySet<string> = new Set(['RECORD_TOO_LARGE', 'INVALID_RECORD', 'INVALID_TIMESTAMP']);

/**
 * Collects what tasks produce (sink output and changelog writes) and sends it to the cluster once
 * per loop iteration and at every commit: one produce call per topic, records in the order sent.
 */
export class ClusterCollector implements RecordCollector {
  private buffered = new Map<string, ClusterRecord[]>();
  private count = 0;

  /** Records dropped because the cluster refused them and the production handler resumed. */
  skipped = 0;

  /**
   * @param onRefused `production.exception.handler`: decides about a record the cluster refuses (too
   *   large, a partition that does not exist); without one, every refusal fails the flush.
   * @param transactional the records go out in a transaction (exactly-once). A refusal then fails
   *   the flush whatever the handler would answer, as in Kafka Streams: Kafka's transactional
   *   producer cannot commit a transaction one of whose sends failed.
   */
  constructor(
    /** The cluster, or under exactly-once the thread's transactional sender. */
    private readonly cluster: Pick<Cluster, 'produce'>,
    private readonly partitionCounts: Map<string, number>,
    private readonly onRefused?: ProductionExceptionHandler,
    private readonly transactional = false,
  ) {}

  send(record: ProducedRecord): void {
    let list = this.buffered.get(record.topic);
    if (list === undefined) this.buffered.set(record.topic, (list = []));
    list.push(record.partition === undefined
      ? { key: record.key, value: record.value, timestamp: record.timestamp, headers: record.headers }
      : { key: record.key, value: record.value, timestamp: record.timestamp, headers: record.headers, partition: record.partition });
    this.count++;
  }

  partitionsFor(topic: string): number {
    return this.partitionCounts.get(topic) ?? 1;
  }

  /** Drops what waits to be sent (its transaction was aborted). */
  discard(): void {
    this.buffered = new Map();
    this.count = 0;
  }

  /** Records waiting to be sent. */
  get pending(): number {
    return this.count;
  }

  private async produce(topic: string, records: ClusterRecord[]): Promise<void> {
    try {
      await this.cluster.produce(topic, records);
    } catch (error) {
      if (this.transactional && isStreamsError(error) && REFUSAL_CODES.has(error.code)) {
        throw new StreamsError(error.code, `${error.message}; under exactly_once_v2 a record the cluster refuses fails its transaction, whatever ` +
          'production.exception.handler answers (as in Kafka Streams): make such records fit the topic, or drop them before the sink', { cause: error });
      }
      // A disk that cannot take writes is no fault of the records: never a reason to drop them.
      if (this.onRefused === undefined || this.transactional || !isStreamsError(error) || error.code === 'STORAGE_ERROR') throw error;
      // Find the records the cluster refuses by sending them one at a time; keep the others. Over
      // Kafka a call can be refused for some partitions and written for the others: only the
      // refused partitions' records go again.
      const suspects = error instanceof RefusedRecordsError ? error.refused : records;
      for (const record of suspects) {
        try {
          await this.cluster.produce(topic, [record]);
        } catch (single) {
          if (!isStreamsError(single) || single.code === 'STORAGE_ERROR') throw single;
          await this.handleRefused(this.onRefused, topic, record, single);
        }
      }
    }
  }

  /** Asks the production handler about a refused record: produces its dead-letter records, then resumes or throws. */
  private async handleRefused(handler: ProductionExceptionHandler, topic: string, record: ClusterRecord, error: Error): Promise<void> {
    // Records of every task are sent in batches after processing: no input record, node or task to name.
    const context: ErrorHandlerContext = {
      topic: undefined, partition: -1, offset: -1, headers: record.headers, processorNodeId: '', taskId: '',
      timestamp: record.timestamp, sourceRawKey: null, sourceRawValue: null,
    };
    const refused = { topic, partition: record.partition, key: record.key, value: record.value, timestamp: record.timestamp, headers: record.headers };
    const response = askHandler('production', () => handler(context, refused, error, undefined), error);
    for (const dead of response.deadLetterQueueRecords) {
      const { topic: deadTopic, ...rest } = dead;
      await this.cluster.produce(deadTopic, [rest]);
    }
    if (response.result !== 'resume') throw error;
    this.skipped++;
  }

  async flush(): Promise<void> {
    if (this.count === 0) return;
    const batches = this.buffered;
    this.buffered = new Map();
    this.count = 0;
    // Topics are sent concurrently (one round trip instead of one per topic); within a topic the
    // slices go one after another, so records keep their order.
    await Promise.all([...batches].map(([topic, records]) => this.produceInSlices(topic, records)));
  }

  /** Produces in slices well under a broker's default max.message.bytes (1 MiB per batch). */
  private async produceInSlices(topic: string, records: ClusterRecord[]): Promise<void> {
    let start = 0;
    let bytes = 0;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0) + RECORD_OVERHEAD_BYTES;
      if (bytes >= SLICE_BYTES || i === records.length - 1) {
        await this.produce(topic, records.slice(start, i + 1));
        start = i + 1;
        bytes = 0;
      }
    }
  }
}
