import type {
  ChangelogSink, PrefetchingStore, RecordCache, RestoreCallback, StateStore, StateStoreContext,
} from '../../../src/state/index.ts';

/** A changelog record as the fake context captured it. */
export interface SentChangelogRecord {
  readonly store: string;
  readonly key: Buffer;
  readonly value: Buffer | null;
  readonly timestamp: number;
}

/** Options for {@link FakeStoreContext}; every field has a test-friendly default. */
export interface FakeStoreContextOptions {
  readonly applicationId?: string;
  readonly appConfigs?: { [key: string]: unknown };
  readonly cache?: RecordCache;
  /** When false, `changelogSinkFor` returns undefined, as for a task that does not log. */
  readonly logging?: boolean;
  /** The task's state directory, for persistent stores. */
  readonly stateDir?: string;
}

/**
 * Stands in for a task: hands stores a changelog sink that records what they send, keeps the
 * restore callbacks they register, and lets a test set the "current record" timestamp.
 */
export class FakeStoreContext implements StateStoreContext {
  readonly applicationId: string;
  readonly taskId = '0_0';
  readonly partition = 0;
  readonly stateDir: string | undefined;
  readonly appConfigs: Readonly<{ [key: string]: unknown }>;
  readonly cache: RecordCache | undefined;
  readonly changelog: SentChangelogRecord[] = [];
  readonly registered: Array<{ store: StateStore; restore: RestoreCallback }> = [];
  /** Stores that registered to read ahead per batch, as a task would call them. */
  readonly prefetching: PrefetchingStore[] = [];
  commitsRequested = 0;
  timestamp = 0;
  private readonly logging: boolean;

  constructor(options: FakeStoreContextOptions = {}) {
    this.applicationId = options.applicationId ?? 'app';
    this.stateDir = options.stateDir;
    this.appConfigs = options.appConfigs ?? {};
    this.cache = options.cache;
    this.logging = options.logging ?? true;
  }

  changelogSinkFor(storeName: string): ChangelogSink | undefined {
    if (!this.logging) return undefined;
    return { send: (key, value, timestamp) => this.changelog.push({ store: storeName, key, value, timestamp }) };
  }

  register(store: StateStore, restore: RestoreCallback): void {
    this.registered.push({ store, restore });
  }

  registerPrefetching(store: PrefetchingStore): void {
    this.prefetching.push(store);
  }

  requestCommit(): void {
    this.commitsRequested++;
  }

  /** What a task does before processing a batch: every registered store reads ahead for these keys. */
  async prefetch(recordKeys: ReadonlyArray<Buffer>): Promise<void> {
    for (const store of this.prefetching) if (store.needsPrefetch()) await store.prefetch(recordKeys);
  }

  recordTimestamp(): number {
    return this.timestamp;
  }

  /** The restore callback registered for `storeName`; fails the test when there is none. */
  restoreCallbackFor(storeName: string): RestoreCallback {
    const found = this.registered.find((r) => r.store.name === storeName);
    if (found === undefined) throw new Error(`store "${storeName}" did not register for restoration`);
    return found.restore;
  }
}
