import { RecordQueue, UNKNOWN_TIME } from './record-queue.ts';
import type { SourceRuntimeNode } from './source-runtime-node.ts';
import type { StampedRecord } from './stamped-record.ts';

/**
 * The input partitions of one task. The next record is the head with the smallest timestamp across
 * partitions, so a task sees its inputs in event-time order as far as they are buffered; stream
 * time is the largest timestamp taken so far and never goes back.
 */
export class PartitionGroup {
  private readonly queues = new Map<string, RecordQueue>();
  /** The same queues in creation order: the per-record loops walk an array, not a Map iterator. */
  private readonly queueList: RecordQueue[] = [];
  streamTimeMs = UNKNOWN_TIME;

  constructor(readonly partition: number) {}

  /** The queue of `topic`, created on first use with the source node that reads the topic. */
  queueFor(topic: string, source: SourceRuntimeNode): RecordQueue {
    let queue = this.queues.get(topic);
    if (queue === undefined) {
      queue = new RecordQueue(topic, this.partition, source);
      this.queues.set(topic, queue);
      this.queueList.push(queue);
    }
    return queue;
  }

  /** Takes the buffered record with the smallest timestamp (ties: the queue created first). */
  nextRecord(): StampedRecord | undefined {
    let best: RecordQueue | undefined;
    let bestTimestamp = Number.POSITIVE_INFINITY;
    const queues = this.queueList;
    for (let i = 0; i < queues.length; i++) {
      const queue = queues[i]!;
      const head = queue.head();
      if (head !== undefined && head.record.timestamp < bestTimestamp) {
        best = queue;
        bestTimestamp = head.record.timestamp;
      }
    }
    if (best === undefined) return undefined;
    const next = best.poll();
    if (next.record.timestamp > this.streamTimeMs) this.streamTimeMs = next.record.timestamp;
    return next;
  }

  /** The distinct key bytes of the records buffered across all partitions. */
  bufferedKeys(): Buffer[] {
    const distinct = new Map<string, Buffer>();
    for (const queue of this.queues.values()) queue.forEachBufferedKey((key) => distinct.set(key.toString('latin1'), key));
    return [...distinct.values()];
  }

  /** Records buffered across all partitions. */
  bufferedCount(): number {
    const queues = this.queueList;
    let total = 0;
    for (let i = 0; i < queues.length; i++) total += queues[i]!.size();
    return total;
  }
}
