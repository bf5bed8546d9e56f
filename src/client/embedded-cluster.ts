import { LogEngine } from '../log/index.ts';
import type { Cluster, ClusterRecord, CommittedPosition, FetchedPage, IsolationLevel, TopicPartitionRef, TopicSpec, TransactionalSender } from './cluster.ts';
import { EmbeddedTransactionalSender } from './embedded-transactional-sender.ts';
import type { PartitionBatch } from './produced-batches.ts';

/**
 * The Cluster of an in-process log engine: what `KafkaStreams` runs on when no
 * `bootstrap.servers` is configured. It owns the engine when it opened it.
 *
 * @example
 * const cluster = await EmbeddedCluster.open('./state/log');
 */
export class EmbeddedCluster implements Cluster {
  private constructor(
    readonly engine: LogEngine,
    private readonly ownsEngine: boolean,
  ) {}

  get commandLineTarget(): string {
    return `--data-dir ${this.engine.dataDir}`;
  }

  static async open(dataDir: string): Promise<EmbeddedCluster> {
    return new EmbeddedCluster(await LogEngine.open({ dataDir }), true);
  }

  /** Uses an engine the caller opened (and will close). */
  static of(engine: LogEngine): EmbeddedCluster {
    return new EmbeddedCluster(engine, false);
  }

  async partitionCount(topic: string): Promise<number | undefined> {
    return (await this.engine.listTopics()).includes(topic) ? this.engine.partitionCount(topic) : undefined;
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    const existing = new Set(await this.engine.listTopics());
    for (const spec of specs) {
      if (!existing.has(spec.name)) await this.engine.createTopic(spec.name, { partitions: spec.partitions, config: spec.config });
    }
  }

  async produce(topic: string, records: readonly ClusterRecord[]): Promise<void> {
    await this.engine.produceRanges(topic, records);
  }

  /**
   * Appends batches `producedBatches` encoded, one per partition, as `produce` appends records: all
   * or none. What can refuse such a batch is its topic, its partition, and its size against the
   * topic's max.message.bytes: all three are checked for every batch before the first append. The
   * bytes are stored as they are (their offsets written into them): the caller gives them up.
   */
  async appendProducedBatches(topic: string, batches: readonly PartitionBatch[]): Promise<void> {
    for (const { partition, bytes } of batches) this.engine.checkAppendTarget(topic, partition, bytes.byteLength);
    for (const { partition, bytes } of batches) {
      await this.engine.appendBatch(topic, partition, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { inPlace: true });
    }
  }

  fetch(topic: string, partition: number, offset: number, maxBytes: number, isolationLevel?: IsolationLevel): Promise<FetchedPage> {
    return this.engine.fetchRecords(topic, partition, offset, { maxBytes, ...(isolationLevel === undefined ? {} : { isolationLevel }) });
  }

  /**
   * The stored batch bytes from the batch holding `offset`, about `maxBytes` of them, for a
   * read_uncommitted reader that decodes them elsewhere (`storedBatchesPage`): a stream thread in
   * a worker thread, so the decoding is not done by the thread that owns the engine.
   */
  async fetchStoredBatches(topic: string, partition: number, offset: number, maxBytes: number): Promise<Buffer> {
    return (await this.engine.fetchBatches(topic, partition, offset, maxBytes)).bytes;
  }

  offsets(topic: string, partition: number, isolationLevel?: IsolationLevel): Promise<{ earliest: number; latest: number }> {
    return this.engine.listOffsets(topic, partition, isolationLevel === undefined ? {} : { isolationLevel });
  }

  transactionalSender(transactionalId: string): Promise<TransactionalSender> {
    return EmbeddedTransactionalSender.open(this.engine, transactionalId);
  }

  async deleteRecords(topic: string, partition: number, beforeOffset: number): Promise<void> {
    await this.engine.deleteRecords(topic, partition, beforeOffset);
  }

  commitOffsets(group: string, positions: readonly CommittedPosition[]): Promise<void> {
    return this.engine.commitOffsets(group, positions);
  }

  /** The engine applies a transaction's offsets when it commits, so every answer is already stable. */
  async committedOffsets(group: string, _isolationLevel?: IsolationLevel, partitions?: readonly TopicPartitionRef[]): Promise<CommittedPosition[]> {
    const wanted = partitions === undefined ? undefined : new Set(partitions.map((p) => `${p.partition}:${p.topic}`));
    return (await this.engine.fetchOffsets(group))
      .filter((p) => wanted === undefined || wanted.has(`${p.partition}:${p.topic}`))
      .map(({ topic, partition, offset }) => ({ topic, partition, offset }));
  }

  async close(): Promise<void> {
    if (this.ownsEngine) await this.engine.close();
  }
}
