import type {
  ChangelogSink, DurableStore, PrefetchingStore, RecordCache, RestoreCallback, StateStore, StateStoreContext, StoreMetricsScope, StoreOperationRecorder,
} from '../../state/index.ts';
import type { TaskMetrics } from './task-metrics.ts';
import type { TaskInternals } from './task-internals.ts';

/** The headers of every changelog record (none); shared, as nothing mutates a record's headers. */
const NO_HEADERS: readonly [] = Object.freeze([]) as readonly [];

/** A store registered by its `init`, with the callback that replays its changelog into it. */
export interface RegisteredStore {
  readonly store: StateStore;
  readonly restore: RestoreCallback;
}

/** Kafka's changelog topic name for a store: `<application.id>-<store>-changelog`. */
export function changelogTopicFor(applicationId: string, storeName: string): string {
  return `${applicationId}-${storeName}-changelog`;
}

/**
 * What a task tells its stores at init: who it is, the shared record cache, and for each logged
 * store a sink that writes to its changelog topic on the task's partition through the collector.
 */
export class TaskStoreContext implements StateStoreContext {
  /** Stores in the order they registered (their topology order): flushed and closed in that order. */
  readonly registered: RegisteredStore[] = [];
  /** The task's stores whose data outlives the process, by store name. */
  readonly durable = new Map<string, DurableStore>();
  /** The task's stores that read ahead once per batch of input records. */
  readonly prefetching: PrefetchingStore[] = [];

  constructor(
    private readonly task: TaskInternals,
    readonly stateDir: string | undefined,
    readonly cache: RecordCache | undefined,
    /** Names of the stores whose builders have logging on. */
    private readonly loggedStores: ReadonlySet<string>,
    private readonly metrics?: TaskMetrics,
  ) {}

  get applicationId(): string {
    return this.task.applicationId;
  }

  get taskId(): string {
    return this.task.taskId;
  }

  get partition(): number {
    return this.task.partition;
  }

  get appConfigs(): Readonly<{ [key: string]: unknown }> {
    return this.task.appConfigs;
  }

  changelogSinkFor(storeName: string): ChangelogSink | undefined {
    if (!this.loggedStores.has(storeName)) return undefined;
    const topic = changelogTopicFor(this.task.applicationId, storeName);
    const partition = this.task.partition;
    const collector = this.task.collector;
    return {
      send: (key, value, timestamp) => collector.send({ topic, partition, key, value, timestamp, headers: NO_HEADERS }),
    };
  }

  register(store: StateStore, restore: RestoreCallback): void {
    this.registered.push({ store, restore });
  }

  registerDurable(store: DurableStore): void {
    this.durable.set(store.name, store);
  }

  registerPrefetching(store: PrefetchingStore): void {
    this.prefetching.push(store);
  }

  requestCommit(): void {
    this.task.requestCommit();
  }

  recordTimestamp(): number {
    return this.task.currentTimestamp;
  }

  storeSensors(storeName: string, scope: StoreMetricsScope): StoreOperationRecorder | undefined {
    return this.metrics?.storeSensors(storeName, scope);
  }
}
