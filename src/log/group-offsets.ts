import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/index.ts';

/** A committed position of a consumer group in one partition. */
export interface CommittedOffset {
  readonly offset: number;
  readonly metadata: string;
  readonly commitTimestamp: number;
}

/** One entry of a commit or a fetch. */
export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly metadata?: string;
}

type GroupTable = Record<string, Record<string, Record<string, CommittedOffset>>>;

const FILE = 'consumer-offsets.json';

/**
 * Consumer groups' committed offsets, durable across restarts: every commit rewrites one small
 * JSON file atomically (temp file, fsync, rename), so a crash leaves the previous or the new
 * commit, never a torn one.
 */
export class GroupOffsetStore {
  private groups: GroupTable;

  constructor(private readonly dataDir: string) {
    const path = join(dataDir, FILE);
    this.groups = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as GroupTable) : {};
  }

  commit(group: string, entries: readonly TopicPartitionOffset[], nowMs: number): void {
    const table = (this.groups[group] ??= {});
    for (const entry of entries) {
      (table[entry.topic] ??= {})[String(entry.partition)] = { offset: entry.offset, metadata: entry.metadata ?? '', commitTimestamp: nowMs };
    }
    this.persist();
  }

  /** Committed offsets of a group, for the given partitions or all it has. */
  fetch(group: string, partitions?: ReadonlyArray<{ topic: string; partition: number }>): Array<TopicPartitionOffset & CommittedOffset> {
    const table = this.groups[group] ?? {};
    const all: Array<TopicPartitionOffset & CommittedOffset> = [];
    for (const [topic, byPartition] of Object.entries(table)) {
      for (const [partition, committed] of Object.entries(byPartition)) all.push({ topic, partition: Number(partition), ...committed });
    }
    if (partitions === undefined) return all;
    return all.filter((e) => partitions.some((p) => p.topic === e.topic && p.partition === e.partition));
  }

  listGroups(): string[] {
    return Object.keys(this.groups).sort();
  }

  deleteGroup(group: string): void {
    delete this.groups[group];
    this.persist();
  }

  /** Forgets every group's offsets for a deleted topic. */
  deleteTopic(topic: string): void {
    for (const table of Object.values(this.groups)) delete table[topic];
    this.persist();
  }

  private persist(): void {
    writeFileAtomic(join(this.dataDir, FILE), JSON.stringify(this.groups));
  }
}
