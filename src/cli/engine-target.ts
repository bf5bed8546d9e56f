import { StreamsError } from '../common/index.ts';
import type { ClusterRecord, CommittedPosition } from '../client/index.ts';
import { DEFAULT_TOPIC_CONFIG, LogEngine, toConfigEntries } from '../log/index.ts';
import type { CommandTarget, FetchedRecords, IsolationLevel, TopicInfo } from './command-target.ts';

const DEFAULT_CONFIGS = new Map(toConfigEntries(DEFAULT_TOPIC_CONFIG));

/**
 * The command line's target when it opens a data directory itself: the embedded log engine,
 * in-process. Under read_committed it reads up to the last stable offset and leaves out aborted
 * transactions, as a Kafka consumer does.
 */
export class EngineTarget implements CommandTarget {
  private constructor(
    private readonly engine: LogEngine,
    readonly where: string,
  ) {}

  /** @throws StreamsError DATA_DIR_LOCKED when another process holds the directory without serving it. */
  static async open(dataDir: string): Promise<EngineTarget> {
    return new EngineTarget(await LogEngine.open({ dataDir, retentionCheckIntervalMs: 0 }), `data directory ${dataDir}`);
  }

  listTopics(): Promise<string[]> {
    return this.engine.listTopics();
  }

  async createTopic(name: string, options: { partitions: number; replicationFactor?: number; configs: Readonly<{ [key: string]: string }> }): Promise<void> {
    if ((options.replicationFactor ?? 1) !== 1) {
      throw new StreamsError('INVALID_CONFIG', `--replication-factor ${options.replicationFactor}: the embedded log engine keeps one copy of each partition (replication factor 1)`);
    }
    await this.engine.createTopic(name, { partitions: options.partitions, config: options.configs });
  }

  async describeTopic(name: string): Promise<TopicInfo> {
    const description = await this.engine.describeTopic(name);
    return {
      name,
      partitions: description.partitions.map((p) => ({ partition: p.partition, logStartOffset: p.logStartOffset, highWatermark: p.highWatermark })),
      configs: toConfigEntries(description.config).filter(([key, value]) => DEFAULT_CONFIGS.get(key) !== value),
    };
  }

  deleteTopic(name: string): Promise<void> {
    return this.engine.deleteTopic(name);
  }

  async partitionCount(topic: string): Promise<number> {
    return this.engine.partitionCount(topic);
  }

  async produce(topic: string, records: readonly ClusterRecord[]): Promise<void> {
    await this.engine.produceRanges(topic, records);
  }

  offsets(topic: string, partition: number, isolationLevel?: IsolationLevel): Promise<{ earliest: number; latest: number }> {
    return this.engine.listOffsets(topic, partition, isolationLevel === undefined ? {} : { isolationLevel });
  }

  async offsetForTimestamp(topic: string, partition: number, timestamp: number): Promise<number> {
    return (await this.engine.offsetForTimestamp(topic, partition, timestamp)) ?? (await this.engine.listOffsets(topic, partition)).latest;
  }

  /** The next offset moves past transaction markers and aborted batches, so a reader never parks on them. */
  fetch(topic: string, partition: number, offset: number, options: { maxWaitMs: number; isolationLevel: IsolationLevel; signal?: AbortSignal }): Promise<FetchedRecords> {
    return this.engine.fetchRecords(topic, partition, offset, {
      maxWaitMs: options.maxWaitMs, isolationLevel: options.isolationLevel, ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  async committedOffsets(group: string): Promise<CommittedPosition[]> {
    return (await this.engine.fetchOffsets(group)).map(({ topic, partition, offset }) => ({ topic, partition, offset }));
  }

  commitOffsets(group: string, positions: readonly CommittedPosition[]): Promise<void> {
    return this.engine.commitOffsets(group, positions);
  }

  async groupMembers(): Promise<string[]> {
    return [];
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
