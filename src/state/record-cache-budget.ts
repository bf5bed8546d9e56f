import { StreamsError } from '../common/index.ts';

/**
 * The bytes the record caches of one stream thread may hold together (Kafka's ThreadCache size):
 * `statestore.cache.max.bytes` is the instance's total, split evenly over its stream threads, and
 * the tasks of a thread share their thread's part. A write that takes the thread over its part
 * evicts from the store written to, so a busy store cannot keep its task's neighbours' entries.
 *
 * @example
 * const budget = new RecordCacheBudget(10 * 1024 * 1024 / numStreamThreads);
 * const caches = tasks.map(() => new TaskRecordCache(budget));
 */
export class RecordCacheBudget {
  /** Bytes the caches sharing this budget hold now. */
  used = 0;

  constructor(private bytes: number) {
    RecordCacheBudget.check(bytes);
  }

  /** The bound; the caches evict down to it at their next write. */
  get maxBytes(): number {
    return this.bytes;
  }

  /** Moves the bound, as Kafka does when a stream thread is added or removed. */
  resize(bytes: number): void {
    RecordCacheBudget.check(bytes);
    this.bytes = bytes;
  }

  private static check(bytes: number): void {
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw new StreamsError('INVALID_CONFIG', `record cache size must be a whole number of bytes >= 0, got ${bytes}; check "statestore.cache.max.bytes"`);
    }
  }
}
