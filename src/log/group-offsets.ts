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

/** group → topic → partition → offset. Maps, not objects: group and topic names are data, and `__proto__` is a legal name. */
type GroupTable = Map<string, Map<string, Map<number, CommittedOffset>>>;

const FILE = 'consumer-offsets.json';

/**
 * Consumer groups' committed offsets, durable across restarts: every commit rewrites one small
 * JSON file atomically (temp file, fsync, rename), so a crash leaves the previous or the new
 * commit, never a torn one. Names reach the file only as JSON keys built with `Object.fromEntries`
 * and come back through `Object.entries`, so no name is ever looked up on an object's prototype.
 */
export class GroupOffsetStore {
  private readonly groups: GroupTable;

  constructor(private readonly dataDir: string) {
    const path = join(dataDir, FILE);
    this.groups = existsSync(path) ? fromJson(JSON.parse(readFileSync(path, 'utf8')) as unknown) : new Map();
  }

  commit(group: string, entries: readonly TopicPartitionOffset[], nowMs: number): void {
    const table = getOrAdd(this.groups, group, () => new Map<string, Map<number, CommittedOffset>>());
    for (const entry of entries) {
      getOrAdd(table, entry.topic, () => new Map<number, CommittedOffset>()).set(entry.partition, { offset: entry.offset, metadata: entry.metadata ?? '', commitTimestamp: nowMs });
    }
    this.persist();
  }

  /** Committed offsets of a group, for the given partitions or all it has. */
  fetch(group: string, partitions?: ReadonlyArray<{ topic: string; partition: number }>): Array<TopicPartitionOffset & CommittedOffset> {
    const all: Array<TopicPartitionOffset & CommittedOffset> = [];
    for (const [topic, byPartition] of this.groups.get(group) ?? []) {
      for (const [partition, committed] of byPartition) all.push({ topic, partition, ...committed });
    }
    if (partitions === undefined) return all;
    return all.filter((e) => partitions.some((p) => p.topic === e.topic && p.partition === e.partition));
  }

  listGroups(): string[] {
    return [...this.groups.keys()].sort();
  }

  deleteGroup(group: string): void {
    this.groups.delete(group);
    this.persist();
  }

  /** Forgets every group's offsets for a deleted topic. */
  deleteTopic(topic: string): void {
    for (const table of this.groups.values()) table.delete(topic);
    this.persist();
  }

  private persist(): void {
    writeFileAtomic(join(this.dataDir, FILE), JSON.stringify(toJson(this.groups)));
  }
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/** The file's shape: `{"<group>": {"<topic>": {"<partition>": {offset, metadata, commitTimestamp}}}}`. */
function toJson(groups: GroupTable): object {
  return Object.fromEntries([...groups].map(([group, topics]) => [
    group,
    Object.fromEntries([...topics].map(([topic, partitions]) => [topic, Object.fromEntries([...partitions].map(([p, c]) => [String(p), c]))])),
  ]));
}

function fromJson(json: unknown): GroupTable {
  const groups: GroupTable = new Map();
  for (const [group, topics] of Object.entries(json as Record<string, Record<string, Record<string, CommittedOffset>>>)) {
    const table = new Map<string, Map<number, CommittedOffset>>();
    for (const [topic, partitions] of Object.entries(topics)) {
      table.set(topic, new Map(Object.entries(partitions).map(([p, c]) => [Number(p), c])));
    }
    groups.set(group, table);
  }
  return groups;
}
