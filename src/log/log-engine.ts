import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIRECTORY, DirLock, StreamsError, getLogger, makeDirectory, storageError, partitionForKey, systemClock, writeFileAtomic, type Clock } from '../common/index.ts';
import { BatchArena, isTransactional, readBatchHeader, type LogRecord, type StoredRecord } from '../record/index.ts';
import { compactSegments, type CompactionResult } from './compaction.ts';
import { setMaxOpenFiles } from './file-handles.ts';
import { GroupOffsetStore, type CommittedOffset, type TopicPartitionOffset } from './group-offsets.ts';
import { PartitionLog } from './partition-log.ts';
import { planRetention } from './retention.ts';
import { partitionDirName } from './segment-files.ts';
import { parseTopicConfig, toConfigInput, type TopicConfig, type TopicConfigInput } from './topic-config.ts';
import { validateTopicName } from './topic-name.ts';
import { startCoordinator } from './txn/engine-coordinator.ts';
import { DEFAULT_TRANSACTION_MAX_TIMEOUT_MS, type TransactionCoordinator } from './txn/transaction-coordinator.ts';
import type { AbortedTransaction, IsolationLevel, ProducerIdentity, TopicPartition, TransactionDescription, TransactionState, TransactionalProducer } from './txn/types.ts';

const log = getLogger('log');
const METADATA_FILE = 'topics.json';
const CLEAN_SHUTDOWN_FILE = '.clean-shutdown';
const METADATA_VERSION = 1;
const DEFAULT_MAX_PARTITIONS_PER_TOPIC = 1000;

/** Options of `LogEngine.open`. */
export interface LogEngineOptions {
  /** The directory holding every topic; created when missing; owned by one process at a time. */
  dataDir: string;
  /** Create a topic with `defaultPartitions` on first produce instead of failing (default false). */
  autoCreateTopics?: boolean;
  defaultPartitions?: number;
  /** Overrides of Kafka's topic defaults for topics created by this engine. */
  defaultTopicConfig?: TopicConfigInput;
  /** The most partitions one topic may have (default 1000); more is refused with INVALID_PARTITIONS. */
  maxPartitionsPerTopic?: number;
  /**
   * How many segment and index files stay open at once (default 1024); others are opened when read
   * or written. Shared by every engine in the process, as the operating system's limit is.
   */
  maxOpenFiles?: number;
  /** How often retention and compaction run in the background (default 300000 ms; 0 = only when called). */
  retentionCheckIntervalMs?: number;
  /** The longest transaction timeout a producer may ask for (Kafka's transaction.max.timeout.ms, default 900000); longer ones are capped. */
  transactionMaxTimeoutMs?: number;
  /** How often transactions open longer than their timeout are aborted (default 10000 ms; 0 = only on open and when called). */
  transactionAbortCheckIntervalMs?: number;
  /**
   * How long a partition remembers an idempotent or transactional producer after its last batch
   * (Kafka's producer.id.expiration.ms, default 86400000 = 1 day); checked with retention.
   */
  producerIdExpirationMs?: number;
  /**
   * How long a transactional id with no open transaction is remembered after its last change
   * (Kafka's transactional.id.expiration.ms, default 604800000 = 7 days); checked with the timeouts.
   */
  transactionalIdExpirationMs?: number;
  clock?: Clock;
}

/** Options of `produce`: the producer to write as (idempotent or transactional). */
export interface ProduceOptions {
  /** From `initProducerId`; with a `transactionalId`, the batches are transactional. */
  producer?: ProducerIdentity | TransactionalProducer;
  /** Add the partitions written to the producer's transaction first (else they must have been added). */
  addPartitions?: boolean;
}

/** A record to produce; without `partition`, Kafka's default partitioner chooses one. */
export interface ProduceRecord extends LogRecord {
  readonly partition?: number;
}

/** Where the records of one `produceRanges` call that went to one partition were stored. */
export interface ProducedRange {
  readonly partition: number;
  /** The offset of the first of them; the others follow, in the order of the call. */
  readonly baseOffset: number;
  readonly count: number;
}

/** Where a produced record was stored. */
export interface ProduceAck {
  readonly partition: number;
  readonly offset: number;
}

/** Options of `fetch`. */
export interface FetchOptions {
  /** About how many bytes of batches to read; at least one batch is returned. */
  maxBytes?: number;
  /** At the end of the partition, wait this long for data to arrive (default 0: return at once). */
  maxWaitMs?: number;
  signal?: AbortSignal;
  /** read_uncommitted (default, as Kafka) or read_committed: only up to the last stable offset, without aborted transactions. */
  isolationLevel?: IsolationLevel;
}

/** A partition as `describeTopic` reports it. */
export interface PartitionDescription {
  readonly partition: number;
  readonly logStartOffset: number;
  readonly highWatermark: number;
  readonly segments: number;
  readonly sizeBytes: number;
}

interface Topic {
  readonly name: string;
  config: TopicConfig;
  readonly partitions: PartitionLog[];
  nextNullKeyPartition: number;
}

interface Metadata {
  version: number;
  topics: Record<string, { partitions: number; config: Record<string, string | number> }>;
}

/**
 * The embedded log engine: topics of partitions of append-only segments, stored as Kafka record
 * batches, with retention, compaction and consumer-group offsets — the broker, in-process.
 *
 * Appends are written to the OS before `produce` resolves, so they survive a crash of this
 * process; whether they survive a power loss depends on `flush.messages` / `flush.ms` (Kafka's
 * defaults leave fsync to the OS; set `flush.messages: 1` to fsync every append).
 *
 * @example
 * const log = await LogEngine.open({ dataDir: './data' });
 * await log.createTopic('orders', { partitions: 4 });
 * const [ack] = await log.produce('orders', [{ key: Buffer.from('u1'), value: Buffer.from('5'), timestamp: Date.now(), headers: [] }]);
 * const records = await log.fetch('orders', ack!.partition, 0);
 * await log.close();
 */
export class LogEngine {
  private readonly topics = new Map<string, Topic>();
  private readonly groups: GroupOffsetStore;
  private readonly defaults: TopicConfig;
  /** Where `produce` encodes its batches; reused by every call, as a batch is written before the call returns. */
  private readonly arena = new BatchArena();
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private transactions!: TransactionCoordinator;
  private stopTransactions: () => void = () => undefined;

  private constructor(
    readonly dataDir: string,
    private readonly lock: DirLock,
    private readonly options: LogEngineOptions,
    private readonly clock: Clock,
  ) {
    this.groups = new GroupOffsetStore(dataDir);
    this.defaults = parseTopicConfig(options.defaultTopicConfig ?? {});
  }

  /** Opens a data directory, recovering every partition (see docs/log-format.md). */
  static async open(options: LogEngineOptions): Promise<LogEngine> {
    makeDirectory(options.dataDir, DATA_DIRECTORY);
    if (options.maxOpenFiles !== undefined) setMaxOpenFiles(options.maxOpenFiles);
    const lock = DirLock.acquire(options.dataDir, { code: 'DATA_DIR_LOCKED', role: DATA_DIRECTORY, advice: 'stop it or choose another directory' });
    try {
      const engine = new LogEngine(options.dataDir, lock, options, options.clock ?? systemClock);
      engine.load();
      engine.startTransactions();
      const interval = options.retentionCheckIntervalMs ?? 300_000;
      if (interval > 0) {
        engine.timer = setInterval(() => engine.runCleanup(), interval);
        engine.timer.unref();
      }
      return engine;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Opens the transaction coordinator: finishes what a crash interrupted, aborts what timed out meanwhile. */
  private startTransactions(): void {
    ({ coordinator: this.transactions, stop: this.stopTransactions } = startCoordinator({
      dataDir: this.dataDir, clock: this.clock,
      maxTimeoutMs: this.options.transactionMaxTimeoutMs ?? DEFAULT_TRANSACTION_MAX_TIMEOUT_MS,
      abortCheckIntervalMs: this.options.transactionAbortCheckIntervalMs ?? 10_000,
      transactionalIdExpirationMs: this.options.transactionalIdExpirationMs ?? 604_800_000,
      findPartition: (tp) => this.topics.get(tp.topic)?.partitions[tp.partition],
      checkPartition: (tp) => void this.partitionLog(tp.topic, tp.partition),
      allPartitions: () => [...this.topics.values()].flatMap((topic) => topic.partitions),
      commitOffsets: (group, offsets) => this.groups.commit(group, offsets, this.clock.nowMs()),
      isClosed: () => this.closed,
    }));
  }

  private load(): void {
    const cleanMarker = join(this.dataDir, CLEAN_SHUTDOWN_FILE);
    const clean = existsSync(cleanMarker);
    rmSync(cleanMarker, { force: true });
    const path = join(this.dataDir, METADATA_FILE);
    if (!existsSync(path)) return;
    const metadata = JSON.parse(readFileSync(path, 'utf8')) as Metadata;
    if (metadata.version !== METADATA_VERSION) {
      throw new StreamsError('INVALID_CONFIG', `${path} has format version ${metadata.version}; this kstreams reads version ${METADATA_VERSION}`);
    }
    for (const [name, entry] of Object.entries(metadata.topics)) {
      const config = parseTopicConfig(entry.config, this.defaults);
      const partitions: PartitionLog[] = [];
      for (let p = 0; p < entry.partitions; p++) {
        partitions.push(PartitionLog.open(name, p, join(this.dataDir, partitionDirName(name, p)), config, this.clock, clean));
      }
      this.topics.set(name, { name, config, partitions, nextNullKeyPartition: 0 });
    }
  }

  /**
   * Creates a topic with `partitions` partitions (default 1) and its config. When a partition
   * cannot be created, the ones already made are removed: a failed create leaves no directories.
   * @throws StreamsError TOPIC_ALREADY_EXISTS, INVALID_TOPIC_NAME, INVALID_CONFIG, INVALID_PARTITIONS
   */
  async createTopic(name: string, options: { partitions?: number; config?: TopicConfigInput } = {}): Promise<void> {
    const { partitions, config } = this.checkNewTopic(name, options);
    this.addTopic(name, partitions, config);
  }

  /**
   * Checks what `createTopic` would check, without creating anything (CreateTopics' validateOnly):
   * the name, that it is free, the partition count (1 to `maxPartitionsPerTopic`) and the config.
   * @throws StreamsError as `createTopic` does.
   */
  checkNewTopic(name: string, options: { partitions?: number; config?: TopicConfigInput } = {}): { partitions: number; config: TopicConfig } {
    this.checkOpen();
    validateTopicName(name);
    if (this.topics.has(name)) throw new StreamsError('TOPIC_ALREADY_EXISTS', `topic "${name}" already exists`);
    const count = options.partitions ?? 1;
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new StreamsError('INVALID_CONFIG', `topic "${name}": partitions must be a whole number >= 1, got ${count}`);
    }
    if (count > this.maxPartitionsPerTopic) {
      throw new StreamsError(
        'INVALID_PARTITIONS',
        `topic "${name}": ${count} partitions exceed this engine's limit of ${this.maxPartitionsPerTopic} per topic; ask for fewer, or raise maxPartitionsPerTopic (kstreams broker --max-partitions-per-topic)`,
      );
    }
    return { partitions: count, config: parseTopicConfig(options.config ?? {}, this.defaults) };
  }

  /** The most partitions a topic may have here (`LogEngineOptions.maxPartitionsPerTopic`). */
  get maxPartitionsPerTopic(): number {
    return this.options.maxPartitionsPerTopic ?? DEFAULT_MAX_PARTITIONS_PER_TOPIC;
  }

  private addTopic(name: string, count: number, config: TopicConfig): Topic {
    const partitions: PartitionLog[] = [];
    for (let p = 0; p < count; p++) {
      const dir = join(this.dataDir, partitionDirName(name, p));
      // No other topic's partition has this directory name, and this topic is new: what is there
      // was left by a create or delete a crash interrupted, and must not come back as the new topic's data.
      if (existsSync(dir) && statSync(dir).isDirectory()) {
        log.warn(`${name}-${p}: removing ${dir}, left over from an earlier topic of that name`);
        rmSync(dir, { recursive: true, force: true });
      }
      const occupied = existsSync(dir); // by something that is not a directory: not ours to remove
      try {
        partitions.push(PartitionLog.open(name, p, dir, config, this.clock, true));
      } catch (error) {
        for (const partition of partitions) partition.delete();
        if (!occupied) rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
    const topic: Topic = { name, config, partitions, nextNullKeyPartition: 0 };
    this.topics.set(name, topic);
    this.saveMetadata();
    return topic;
  }

  /** Deletes a topic, its data and the group offsets committed for it. */
  async deleteTopic(name: string): Promise<void> {
    const topic = this.topic(name);
    this.topics.delete(name);
    this.saveMetadata();
    for (const partition of topic.partitions) partition.delete();
    this.groups.deleteTopic(name);
  }

  /** Topic names, sorted. */
  async listTopics(): Promise<string[]> {
    this.checkOpen();
    return [...this.topics.keys()].sort();
  }

  async describeTopic(name: string): Promise<{ name: string; config: TopicConfig; partitions: PartitionDescription[] }> {
    const topic = this.topic(name);
    return {
      name,
      config: topic.config,
      partitions: topic.partitions.map((p) => ({
        partition: p.partition,
        logStartOffset: p.logStartOffset,
        highWatermark: p.logEndOffset,
        segments: p.segmentCount,
        sizeBytes: p.sizeInBytes,
      })),
    };
  }

  /** Number of partitions of a topic. */
  partitionCount(name: string): number {
    return this.topic(name).partitions.length;
  }

  /**
   * Appends records; the records of one call that go to one partition form one batch. Acks come
   * back in the order of `records`. Either every batch of the call is checked before any is
   * written, or the call fails without appending. With `options.producer` the batches carry its
   * id, epoch and the next sequences (and the transactional bit for a transactional producer,
   * whose partitions must be in its open transaction — or pass `addPartitions: true`).
   * A caller that needs no offset per record saves an object per record with `produceRanges`.
   * @throws StreamsError PRODUCER_FENCED, INVALID_TXN_STATE, TRANSACTION_TIMED_OUT for a producer that may not write
   */
  async produce(topicName: string, records: readonly ProduceRecord[], options: ProduceOptions = {}): Promise<ProduceAck[]> {
    const { ranges, partitionOf } = this.appendRecords(topicName, records, options);
    const acks = new Array<ProduceAck>(records.length);
    if (ranges.length === 1) {
      const { partition, baseOffset } = ranges[0]!;
      for (let i = 0; i < records.length; i++) acks[i] = { partition, offset: baseOffset + i };
      return acks;
    }
    // A partition's records got consecutive offsets in the order of `records`.
    const next = new Map(ranges.map((range) => [range.partition, range.baseOffset]));
    for (let i = 0; i < records.length; i++) {
      const partition = partitionOf[i]!;
      const offset = next.get(partition)!;
      next.set(partition, offset + 1);
      acks[i] = { partition, offset };
    }
    return acks;
  }

  /**
   * `produce`, answered with one range per partition written instead of one ack per record: the
   * records of `records` that went to `partition` got the offsets `baseOffset` to
   * `baseOffset + count - 1`, in the order they come in `records`. For callers that only need to
   * know the records are stored (the runtime's sinks, the command line), it saves allocating an
   * ack per record.
   * @throws StreamsError as `produce`
   * @example
   * const [range] = await log.produceRanges('orders', records.map((r) => ({ ...r, partition: 0 })));
   * // records[i] is at offset range.baseOffset + i of partition 0
   */
  async produceRanges(topicName: string, records: readonly ProduceRecord[], options: ProduceOptions = {}): Promise<ProducedRange[]> {
    return this.appendRecords(topicName, records, options).ranges;
  }

  /** Appends a produce call's records: the ranges written and the partition each record went to. */
  private appendRecords(topicName: string, records: readonly ProduceRecord[], options: ProduceOptions): { ranges: ProducedRange[]; partitionOf: Int32Array } {
    const topic = this.topicForProduce(topicName);
    const producer = options.producer;
    // Partition of each record, and its timestamp checked, in one pass over the records; the
    // common call (all records to one partition) needs no grouping.
    const partitionOf = new Int32Array(records.length);
    let single = true;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const partition = (partitionOf[i] = this.choosePartition(topic, record));
      if (partition !== partitionOf[0]) single = false;
      const timestamp = record.timestamp;
      if (!Number.isSafeInteger(timestamp) || timestamp < -1) {
        throw new StreamsError('INVALID_TIMESTAMP', `${topicName}-${partition}: a record's timestamp is ${timestamp}; timestamps are whole ms from -1 (none) to 2^53; nothing was appended`);
      }
    }
    const byPartition = new Map<number, ProduceRecord[]>();
    if (!single) {
      for (let i = 0; i < records.length; i++) {
        const partition = partitionOf[i]!;
        let list = byPartition.get(partition);
        if (list === undefined) byPartition.set(partition, (list = []));
        list.push(records[i]!);
      }
    } else if (records.length > 0) {
      byPartition.set(partitionOf[0]!, records as ProduceRecord[]);
    }
    const transactional = producer !== undefined && 'transactionalId' in producer;
    if (transactional) {
      const partitions = [...byPartition.keys()].map((partition) => ({ topic: topicName, partition }));
      if (options.addPartitions === true) this.transactions.addPartitions(producer, partitions);
      for (const partition of partitions) this.transactions.checkWrite(producer.producerId, producer.producerEpoch, partition);
    }
    const producerFields = producer === undefined ? undefined : { producerId: producer.producerId, producerEpoch: producer.producerEpoch, transactional };
    // Every partition's batch is encoded and checked before any is written; the batches live in
    // the arena from here until written, all in this one synchronous stretch.
    try {
      const prepared = [...byPartition].map(([partition, list]) => ({ partition, count: list.length, batch: topic.partitions[partition]!.prepare(list, this.arena, producerFields) }));
      return { ranges: prepared.map(({ partition, count, batch }) => ({ partition, baseOffset: topic.partitions[partition]!.appendPrepared(batch), count })), partitionOf };
    } finally {
      this.arena.reset();
    }
  }

  private choosePartition(topic: Topic, record: ProduceRecord): number {
    const count = topic.partitions.length;
    if (record.partition !== undefined) {
      this.checkPartition(topic, record.partition);
      return record.partition;
    }
    if (record.key === null) {
      if (topic.config['cleanup.policy'].compact) {
        throw new StreamsError('INVALID_ARGUMENT', `topic "${topic.name}" is compacted, so every record needs a key; this one has a null key`);
      }
      const partition = topic.nextNullKeyPartition;
      topic.nextNullKeyPartition = (partition + 1) % count;
      return partition;
    }
    return partitionForKey(record.key, count);
  }

  /**
   * Appends record batches encoded by a client (the wire protocol's produce path); returns the
   * first offset and, on a LogAppendTime topic, the append time the batches were stamped with.
   * A retried batch of an idempotent or transactional producer is acknowledged with its first
   * offset and not appended again (`duplicate: true`); a transactional batch needs its partition
   * added to the producer's open transaction.
   * The answer carries the partition's log start offset after the append, as Kafka's Produce
   * response does. With `options.inPlace` the batches are stored from `batches` itself, which gets
   * their offsets written into it — for a caller done with the bytes (the broker's request frames),
   * saving a copy of every batch.
   * @throws StreamsError OUT_OF_ORDER_SEQUENCE, INVALID_PRODUCER_EPOCH, PRODUCER_FENCED, INVALID_TXN_STATE, TRANSACTION_TIMED_OUT besides the checks of a batch
   * @example const { baseOffset } = await engine.appendBatch('orders', 0, batchBytesFromAClient);
   */
  async appendBatch(
    topicName: string, partition: number, batches: Buffer, options: { inPlace?: boolean } = {},
  ): Promise<{ baseOffset: number; logAppendTimeMs: number; duplicate: boolean; logStartOffset: number }> {
    const topic = this.topicForProduce(topicName);
    this.checkPartition(topic, partition);
    const header = readBatchHeader(batches, 0);
    if (header !== null && header.producerId >= 0 && isTransactional(header)) this.transactions.checkWrite(header.producerId, header.producerEpoch, { topic: topicName, partition });
    const log = topic.partitions[partition]!;
    return { ...log.appendBatches(batches, options.inPlace === true), logStartOffset: log.logStartOffset };
  }

  /**
   * Throws what `appendBatch` throws for a topic or partition that cannot take writes (unknown,
   * out of range, the engine closed) or for a batch of `batchBytes` over the topic's
   * max.message.bytes, appending nothing: for a caller that checks every batch of a
   * multi-partition write before the first append.
   */
  checkAppendTarget(topicName: string, partition: number, batchBytes: number): void {
    const topic = this.topicForProduce(topicName);
    this.checkPartition(topic, partition);
    topic.partitions[partition]!.checkSize(batchBytes);
  }

  /**
   * Records from `offset`, about `maxBytes` worth (default 1 MiB, at least one batch). At the end
   * of the partition it waits up to `maxWaitMs` for new data and is woken as soon as it arrives.
   */
  async fetch(topicName: string, partition: number, offset: number, options: FetchOptions = {}): Promise<StoredRecord[]> {
    return (await this.fetchRecords(topicName, partition, offset, options)).records;
  }

  /**
   * `fetch`, with the offset to fetch from next: past the records returned and past markers and
   * aborted data, which are never returned. A reader that tracks its position by `nextOffset`
   * reaches the end (or, at read_committed, the last stable offset) even when the log ends with a marker.
   */
  async fetchRecords(topicName: string, partition: number, offset: number, options: FetchOptions = {}): Promise<{ records: StoredRecord[]; nextOffset: number }> {
    const log_ = this.partitionLog(topicName, partition);
    const maxBytes = options.maxBytes ?? 1_048_576;
    const isolation = options.isolationLevel ?? 'read_uncommitted';
    let read = log_.readRecords(offset, maxBytes, isolation);
    if (read.records.length === 0 && (options.maxWaitMs ?? 0) > 0 && options.signal?.aborted !== true) {
      await log_.waitForData(options.maxWaitMs!, options.signal);
      if (this.closed) return read;
      read = log_.readRecords(read.nextOffset, maxBytes, isolation);
    }
    return read;
  }

  /**
   * The stored batch bytes from the batch holding `offset`, unchanged, as a Fetch response carries
   * them: about `maxBytes` of whole batches, and at least one batch even when it is larger — unless
   * `minOneBatch` is false, when such a batch is left for a later fetch and nothing is returned.
   * At read_committed only the batches before the last stable offset are returned, with the aborted
   * transactions whose data they hold (producer id and first offset), for the client to filter, as
   * Kafka's Fetch does; markers are among the bytes, as in Kafka.
   */
  async fetchBatches(
    topicName: string, partition: number, offset: number, maxBytes: number, minOneBatch = true, isolationLevel: IsolationLevel = 'read_uncommitted',
  ): Promise<{ bytes: Buffer; abortedTransactions: AbortedTransaction[]; lastStableOffset: number }> {
    const read = this.partitionLog(topicName, partition).readBatchesIsolated(offset, maxBytes, isolationLevel);
    const tooLarge = !minOneBatch && read.bytes.length > maxBytes;
    return {
      bytes: tooLarge ? Buffer.alloc(0) : read.bytes,
      abortedTransactions: tooLarge ? [] : read.abortedTransactions.map((t) => ({ producerId: t.producerId, firstOffset: t.firstOffset })),
      lastStableOffset: read.lastStableOffset,
    };
  }

  /** `earliest` is the log start offset; `latest` the offset the next record will get — at read_committed, the last stable offset. */
  async listOffsets(topicName: string, partition: number, options: { isolationLevel?: IsolationLevel } = {}): Promise<{ earliest: number; latest: number }> {
    const log_ = this.partitionLog(topicName, partition);
    return { earliest: log_.logStartOffset, latest: options.isolationLevel === 'read_committed' ? log_.lastStableOffset : log_.logEndOffset };
  }

  /** The first offset of the partition's oldest open transaction, or its log end when none is open. */
  lastStableOffset(topicName: string, partition: number): number {
    return this.partitionLog(topicName, partition).lastStableOffset;
  }

  /**
   * Deletes the partition's records before `beforeOffset` (-1: all of them), as Kafka's
   * DeleteRecords does; an application purges a repartition topic this way once it has committed
   * past the records. Returns the new log start offset (Kafka's low watermark).
   *
   * @throws StreamsError OFFSET_OUT_OF_RANGE when the offset is past the log end.
   * @example await engine.deleteRecords('app-counts-repartition', 0, 1_000);
   */
  async deleteRecords(topicName: string, partition: number, beforeOffset: number): Promise<{ lowWatermark: number }> {
    this.checkOpen();
    const log_ = this.partitionLog(topicName, partition);
    return { lowWatermark: log_.deleteRecordsBefore(beforeOffset === -1 ? log_.logEndOffset : beforeOffset) };
  }

  /** The first offset whose record timestamp is >= `timestamp`, or null when every record is older. */
  async offsetForTimestamp(topicName: string, partition: number, timestamp: number): Promise<number | null> {
    return this.partitionLog(topicName, partition).offsetForTimestamp(timestamp);
  }

  /** Waits until a record is appended to the partition, or `timeoutMs` passes. */
  waitForData(topicName: string, partition: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.partitionLog(topicName, partition).waitForData(timeoutMs, signal);
  }

  /**
   * Kafka's InitProducerId. `null`: an idempotent producer (a fresh producer id, epoch 0). With a
   * transactional id: its producer id with the next epoch — an open transaction of the older epoch
   * is aborted first, and the older epoch is fenced (PRODUCER_FENCED) from then on. The timeout
   * (default 60000 ms) is capped by `transactionMaxTimeoutMs`.
   * @example const producer = { transactionalId: 'app-0', ...(await engine.initProducerId('app-0')) };
   */
  async initProducerId(transactionalId: string | null, options: { transactionTimeoutMs?: number } = {}): Promise<ProducerIdentity> {
    this.checkOpen();
    return this.transactions.initProducerId(transactionalId, options.transactionTimeoutMs);
  }

  /** Kafka's AddPartitionsToTxn: the first add begins a transaction. */
  async addPartitionsToTxn(producer: TransactionalProducer, partitions: readonly TopicPartition[]): Promise<void> {
    this.checkOpen();
    this.transactions.addPartitions(producer, partitions);
  }

  /** Kafka's AddOffsetsToTxn: the group's offsets may be committed in the transaction. */
  async addOffsetsToTxn(producer: TransactionalProducer, groupId: string): Promise<void> {
    this.checkOpen();
    this.transactions.txnOffsetCommit(producer, groupId, []);
  }

  /** Kafka's TxnOffsetCommit: the offsets become the group's committed offsets only when the transaction commits. */
  async txnOffsetCommit(producer: TransactionalProducer, groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.checkOpen();
    this.transactions.txnOffsetCommit(producer, groupId, offsets);
  }

  /** Kafka's EndTxn: COMMIT or ABORT markers in every partition of the transaction, then its offsets applied (commit) or dropped. */
  async endTxn(producer: TransactionalProducer, commit: boolean): Promise<void> {
    this.checkOpen();
    this.transactions.endTxn(producer, commit);
  }

  /** Aborts transactions open longer than their timeout now (a timer does it every `transactionAbortCheckIntervalMs`); returns how many. */
  async abortTimedOutTransactions(): Promise<number> {
    this.checkOpen();
    return this.transactions.abortTimedOut();
  }

  /** Kafka's DescribeTransactions; an unknown id comes back with state Dead and producer id -1 (TRANSACTIONAL_ID_NOT_FOUND). */
  async describeTransactions(ids: readonly string[]): Promise<TransactionDescription[]> {
    this.checkOpen();
    return this.transactions.describe(ids);
  }

  /** Kafka's ListTransactions, optionally only those in `states` or of `producerIds`. */
  async listTransactions(filter: { states?: readonly TransactionState[]; producerIds?: readonly number[] } = {}): Promise<TransactionDescription[]> {
    this.checkOpen();
    return this.transactions.list(filter);
  }

  async commitOffsets(group: string, entries: readonly TopicPartitionOffset[]): Promise<void> {
    this.checkOpen();
    for (const entry of entries) this.checkPartition(this.topic(entry.topic), entry.partition);
    this.groups.commit(group, entries, this.clock.nowMs());
  }

  async fetchOffsets(group: string, partitions?: ReadonlyArray<{ topic: string; partition: number }>): Promise<Array<TopicPartitionOffset & CommittedOffset>> {
    this.checkOpen();
    return this.groups.fetch(group, partitions);
  }

  /**
   * Partitions whose offsets for `group` an open transaction holds (TxnOffsetCommit before EndTxn):
   * Kafka's OffsetFetch with `require_stable` answers UNSTABLE_OFFSET_COMMIT for them.
   */
  async pendingTransactionalOffsets(group: string): Promise<TopicPartition[]> {
    this.checkOpen();
    return this.transactions.pendingOffsetPartitions(group);
  }

  async listGroups(): Promise<string[]> {
    this.checkOpen();
    return this.groups.listGroups();
  }

  /** Applies retention to every `delete` topic now; returns how many segments were deleted. */
  async enforceRetention(): Promise<number> {
    this.checkOpen();
    let deleted = 0;
    const now = this.clock.nowMs();
    for (const topic of this.topics.values()) {
      for (const partition of topic.partitions) {
        const closed = partition.closedSegments().map((s) => ({ baseOffset: s.baseOffset, sizeBytes: s.size, maxTimestamp: s.maxTimestamp }));
        const activeBytes = partition.sizeInBytes - closed.reduce((sum, s) => sum + s.sizeBytes, 0);
        const count = planRetention(closed, activeBytes, topic.config, now);
        if (count > 0) {
          partition.deleteOldestSegments(count);
          deleted += count;
          log.info(`${topic.name}-${partition.partition}: retention deleted ${count} segment(s); log start offset is now ${partition.logStartOffset}`);
        }
      }
    }
    return deleted;
  }

  /** Compacts the closed segments of a `compact` topic (all of them when no name is given). */
  async compact(topicName?: string): Promise<CompactionResult> {
    this.checkOpen();
    const topics = topicName === undefined ? [...this.topics.values()].filter((t) => t.config['cleanup.policy'].compact) : [this.topic(topicName)];
    const total = { segmentsCompacted: 0, recordsBefore: 0, recordsAfter: 0 };
    for (const topic of topics) {
      for (const partition of topic.partitions) {
        const closed = partition.closedSegments();
        if (closed.length === 0) continue;
        const { replaced, replacement, result } = compactSegments(partition.dir, closed, partition.activeSegment, topic.config, this.clock.nowMs(), {
          lastStableOffset: partition.lastStableOffset,
          isAborted: (producerId, offset) => partition.producers.isAborted(producerId, offset),
        });
        if (replaced.length > 0) partition.replaceSegments(replaced, replacement);
        total.segmentsCompacted += result.segmentsCompacted;
        total.recordsBefore += result.recordsBefore;
        total.recordsAfter += result.recordsAfter;
      }
    }
    return total;
  }

  /**
   * Forgets producers that wrote nothing to a partition for `producerIdExpirationMs` and have no
   * transaction open there (run with retention); returns how many partition entries were dropped.
   */
  async expireProducerIds(): Promise<number> {
    this.checkOpen();
    const now = this.clock.nowMs();
    const expirationMs = this.options.producerIdExpirationMs ?? 86_400_000;
    let expired = 0;
    for (const topic of this.topics.values()) for (const partition of topic.partitions) expired += partition.producers.expire(now, expirationMs);
    return expired;
  }

  private runCleanup(): void {
    if (this.closed) return;
    this.expireProducerIds()
      .then(() => this.enforceRetention())
      .then(() => this.compact())
      .catch((error: unknown) => log.error(`background retention/compaction failed: ${(error as Error).message}`));
  }

  /** fsyncs every partition. */
  async flush(): Promise<void> {
    this.checkOpen();
    for (const topic of this.topics.values()) for (const partition of topic.partitions) partition.flush();
  }

  /**
   * Flushes and closes every partition, marks the shutdown clean and releases the directory. The
   * shutdown is not marked clean when a damaged batch was found while reading or a flush failed (a
   * full disk), so the next open verifies every segment; the directory is released all the same.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.stopTransactions();
    const damaged: string[] = [];
    try {
      for (const topic of this.topics.values()) {
        for (const partition of topic.partitions) {
          partition.close();
          if (partition.damageFound) damaged.push(`${topic.name}-${partition.partition}`);
        }
      }
      // A damaged batch found while serving: no clean-shutdown mark, so the next open verifies every
      // segment and cuts the log at the damage (see docs/log-format.md, "Recovery on open").
      if (damaged.length === 0) writeFileSync(join(this.dataDir, CLEAN_SHUTDOWN_FILE), '');
      else log.warn(`damaged batches were found in ${damaged.join(', ')}; the next open runs a full recovery`);
    } catch (error) {
      throw storageError(error, this.dataDir, DATA_DIRECTORY);
    } finally {
      this.lock.release();
    }
  }

  private saveMetadata(): void {
    // Object.fromEntries defines each name as an own key: `__proto__` is a topic, not a prototype.
    const topics = Object.fromEntries([...this.topics.values()].map((topic) => [topic.name, { partitions: topic.partitions.length, config: toConfigInput(topic.config) }]));
    const metadata: Metadata = { version: METADATA_VERSION, topics };
    writeFileAtomic(join(this.dataDir, METADATA_FILE), JSON.stringify(metadata, null, 2));
  }

  private topicForProduce(name: string): Topic {
    this.checkOpen();
    if (!this.topics.has(name) && this.options.autoCreateTopics === true) {
      const { partitions, config } = this.checkNewTopic(name, { partitions: this.options.defaultPartitions ?? 1 });
      return this.addTopic(name, partitions, config);
    }
    return this.topic(name);
  }

  private topic(name: string): Topic {
    this.checkOpen();
    const topic = this.topics.get(name);
    if (topic === undefined) {
      throw new StreamsError('UNKNOWN_TOPIC', `topic "${name}" does not exist; create it first (LogEngine.createTopic or \`kstreams topics create ${name}\`)`, { location: { topic: name } });
    }
    return topic;
  }

  private partitionLog(topicName: string, partition: number): PartitionLog {
    const topic = this.topic(topicName);
    this.checkPartition(topic, partition);
    return topic.partitions[partition]!;
  }

  private checkPartition(topic: Topic, partition: number): void {
    if (!Number.isInteger(partition) || partition < 0 || partition >= topic.partitions.length) {
      throw new StreamsError(
        'PARTITION_OUT_OF_RANGE',
        `topic "${topic.name}" has partitions 0..${topic.partitions.length - 1}; partition ${partition} does not exist`,
        { location: { topic: topic.name, partition } },
      );
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new StreamsError('ENGINE_CLOSED', `the log engine for ${this.dataDir} is closed; open it again with LogEngine.open`);
  }
}
