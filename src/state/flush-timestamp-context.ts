import type {
  ChangelogSink, DurableStore, PrefetchingStore, RecordCache, RestoreCallback, StateStore, StateStoreContext,
} from './api.ts';

/**
 * The context a caching store hands to the layers below it. While the cache writes a flushed entry
 * down, `recordTimestamp()` answers that entry's timestamp instead of the current record's, so the
 * changelog record carries the time of the write that produced it (Kafka swaps the record context
 * the same way during a cache flush).
 */
export class FlushTimestampContext implements StateStoreContext {
  private flushing = false;
  private flushTimestamp = 0;

  constructor(private readonly outer: StateStoreContext) {}

  get applicationId(): string {
    return this.outer.applicationId;
  }

  get taskId(): string {
    return this.outer.taskId;
  }

  get partition(): number {
    return this.outer.partition;
  }

  get stateDir(): string | undefined {
    return this.outer.stateDir;
  }

  get appConfigs(): Readonly<{ [key: string]: unknown }> {
    return this.outer.appConfigs;
  }

  get cache(): RecordCache | undefined {
    return this.outer.cache;
  }

  changelogSinkFor(storeName: string): ChangelogSink | undefined {
    return this.outer.changelogSinkFor(storeName);
  }

  register(store: StateStore, restore: RestoreCallback): void {
    this.outer.register(store, restore);
  }

  registerDurable(store: DurableStore): void {
    this.outer.registerDurable?.(store);
  }

  registerPrefetching(store: PrefetchingStore): void {
    this.outer.registerPrefetching?.(store);
  }

  requestCommit(): void {
    this.outer.requestCommit?.();
  }

  recordTimestamp(): number {
    return this.flushing ? this.flushTimestamp : this.outer.recordTimestamp();
  }

  /** Runs `write` with `recordTimestamp()` answering `timestamp`. */
  runAt(timestamp: number, write: () => void): void {
    const wasFlushing = this.flushing;
    const previous = this.flushTimestamp;
    this.flushing = true;
    this.flushTimestamp = timestamp;
    try {
      write();
    } finally {
      this.flushing = wasFlushing;
      this.flushTimestamp = previous;
    }
  }
}
