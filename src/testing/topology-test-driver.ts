import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, StreamsError, partitionForKey } from '../common/index.ts';
import type { Header } from '../processor/index.ts';
import { MetricsRegistry, metricsSettingsOf, type StreamsMetric } from '../metrics/index.ts';
import { andThen, inOrder, planTasks, StreamTask, TaskMetrics } from '../runtime/index.ts';
import type { ConsumedRecord, ProducedRecord, TaskTopology } from '../runtime/index.ts';
import type { Serde } from '../serde/index.ts';
import { TaskRecordCache, TimestampedKeyValueStoreFacade, TimestampedWindowStoreFacade, isTimestampedKeyValueStore, isTimestampedWindowStore } from '../state/index.ts';
import type {
  KeyValueStore, ReadOnlyKeyValueStore, ReadOnlySessionStore, ReadOnlyWindowStore, SessionStore, StateStore, TimestampedKeyValueStore,
  TimestampedWindowStore, ValueAndTimestamp, WindowStore,
} from '../state/index.ts';
import type { Topology } from '../topology/index.ts';
import { changelogForPartitions } from './changelog-partitions.ts';
import { DriverCollector } from './driver-collector.ts';
import { TestInputTopic } from './test-input-topic.ts';
import type { InputTopicOptions } from './test-input-topic.ts';
import { TestOutputTopic } from './test-output-topic.ts';

/** The application id the driver uses when the config has none (Kafka's driver sets a dummy one too). */
const DEFAULT_APPLICATION_ID = 'topology-test-driver';

/** Options beyond Kafka's driver: several partitions, and starting from another driver's changelogs. */
export interface TopologyTestDriverOptions {
  /** Wall-clock time the driver starts at (ms). */
  readonly initialWallClockMs?: number;
  /**
   * Partitions of every topic (default 1, as Kafka's driver). With more, each sub-topology runs one
   * task per partition, input records go to the partition Kafka's murmur2 partitioner picks for
   * their serialized key (null keys: round robin), and repartitioned records go to the partition
   * their sink chose — so a topology that forgets to repartition gives other results.
   */
  readonly partitions?: number;
  /**
   * A closed driver of the same topology whose changelog records restore this driver's stores
   * before it starts: a restart, as the runtime does after a crash (in-memory stores included).
   * With another partition count than the closed driver's, changelog records are spread over the
   * new partitions by their record key: a scale-out, for stores keyed by the partition key.
   */
  readonly restoreFrom?: TopologyTestDriver;
}

/**
 * The driver's wall clock moves only when told, so emissions the runtime throttles by wall-clock
 * time (emit-on-window-close, outer-join non-matches) happen as soon as they are due — which is
 * what Kafka Streams' own driver shows (checked record by record in test/reference).
 */
const NO_WALL_CLOCK_THROTTLING = {
  'emit.interval.ms.kstreams.windowed.aggregation': 0,
  'emit.interval.ms.kstreams.outer.join.spurious.results.fix': 0,
};

let driverCount = 0;

/**
 * Runs a topology in-process, synchronously and deterministically, for example-based tests (Kafka
 * Streams' TopologyTestDriver). Every sub-topology runs as one task on partition 0; global stores
 * are fed from their topics. After each piped record the driver processes it, then every record it
 * caused on internal repartition topics (fed to the sub-topology that reads them), punctuates
 * stream time and commits, as if committing after every input, so caches flush each time.
 *
 * Which methods return Promises: store init, flush and close may do I/O, so everything that
 * processes (`pipeInput…` on input topics, `advanceWallClockTime`, `close`) returns a Promise to
 * await; the constructor starts initialisation and those calls wait for it. Reading output topics
 * and stores is synchronous. With in-memory stores no step awaits anything at all.
 *
 * Unlike Kafka's driver, DSL stores without a supplier are kept in memory unless the config sets
 * `default.dsl.store` (the runtime's default is LevelDB): per-record commits would otherwise make
 * every test pay for a disk write per record.
 *
 * @example
 * const driver = new TopologyTestDriver(topology, { 'application.id': 'wc' });
 * const lines = driver.createInputTopic('lines', Serdes.String(), Serdes.String());
 * const counts = driver.createOutputTopic('counts', Serdes.String(), Serdes.Long());
 * await lines.pipeInput('k1', 'hello kafka', 1_000);
 * counts.readKeyValuesToList();   // [{ key: 'hello', value: 1 }, { key: 'kafka', value: 1 }]
 * await driver.close();
 */
export class TopologyTestDriver {
  private readonly clock: ManualClock;
  private readonly collector: DriverCollector;
  /** Global task first, then the sub-topologies in topological order. */
  private readonly tasks: StreamTask[] = [];
  /** The tasks reading each topic, by partition (the global task reads every partition). */
  private readonly taskByTopic = new Map<string, StreamTask[]>();
  /** The next offset of each topic, by partition. */
  private readonly offsets = new Map<string, number[]>();
  private readonly partitions: number;
  private nextNullKeyPartition = 0;
  /** Records produced to topics the topology reads, waiting to be fed back in. */
  private readonly feedback: ProducedRecord[] = [];
  /** The global task, and every record piped to its topics: a restart restores global stores from them. */
  private globalTask: StreamTask | undefined;
  private readonly globalInputs: Array<{ topic: string; key: Buffer | null; value: Buffer | null; timestamp: number; headers: readonly Header[] }> = [];
  private readonly ownedStateDir: string | undefined;
  /** Work still running because a store returned a Promise; the next operation waits for it. */
  private pending: Promise<void> | undefined;
  private closed = false;
  private readonly metricsRegistry: MetricsRegistry;
  /** The sensors of every (non-global) task; their clock is the driver's wall clock. */
  private readonly taskMetrics: TaskMetrics[] = [];

  constructor(topology: Topology, config: Readonly<{ [key: string]: unknown }> = {}, clockOrOptions: number | TopologyTestDriverOptions = 0) {
    const options: TopologyTestDriverOptions = typeof clockOrOptions === 'number' ? { initialWallClockMs: clockOrOptions } : clockOrOptions;
    this.partitions = options.partitions ?? 1;
    if (!Number.isInteger(this.partitions) || this.partitions < 1) {
      throw new StreamsError('INVALID_ARGUMENT', `TopologyTestDriver: partitions must be a whole number >= 1, got ${options.partitions}`);
    }
    // DSL stores stay in memory unless the test asks for `default.dsl.store`: the driver commits
    // after every record, and a LevelDB write per record would make every test slow.
    const appConfig = { 'default.dsl.store': 'in_memory', ...NO_WALL_CLOCK_THROTTLING, ...config, 'application.id': config['application.id'] ?? DEFAULT_APPLICATION_ID };
    this.clock = new ManualClock(options.initialWallClockMs ?? 0);
    const plan = planTasks(topology, String(appConfig['application.id']));
    this.collector = new DriverCollector(plan.sinkTopics, this.partitions, (record) => {
      if (this.taskByTopic.has(record.topic)) this.feedback.push(record);
    });
    const configuredDir = config['state.dir'];
    this.ownedStateDir = typeof configuredDir === 'string' ? undefined : join(tmpdir(), `kstreams-test-driver-${process.pid}-${++driverCount}`);
    const stateDirRoot = typeof configuredDir === 'string' ? configuredDir : this.ownedStateDir!;

    const globalStores = new Map<string, StateStore>();
    // Task-level metrics as Kafka's driver has them: thread id "main", mock wall-clock time.
    this.metricsRegistry = new MetricsRegistry(metricsSettingsOf(appConfig, () => this.clock.nowMs()));
    const threadPunctuation = { punctuate: this.metricsRegistry.newStats(), punctuateLatency: this.metricsRegistry.newStats() };
    const makeTask = (taskTopology: TaskTopology, partition: number, metrics?: TaskMetrics) => new StreamTask({
      topology: taskTopology,
      partition,
      config: appConfig,
      collector: this.collector,
      clock: this.clock,
      globalStores,
      stateDirRoot,
      createRecordCache: (maxBytes) => new TaskRecordCache(maxBytes, metrics?.cacheHitRatio),
      ...(metrics === undefined ? {} : { metrics }),
    });
    const makeMeteredTask = (taskTopology: TaskTopology, partition: number) => {
      const metrics = new TaskMetrics(this.metricsRegistry, 'main', `${taskTopology.subtopologyId}_${partition}`, threadPunctuation);
      this.taskMetrics.push(metrics);
      return makeTask(taskTopology, partition, metrics);
    };
    if (plan.global !== undefined) {
      const globalTask = makeTask(plan.global, 0);
      for (const registration of plan.global.stores) globalStores.set(registration.builder.name, globalTask.getStore(registration.builder.name)!);
      this.addTask(globalTask, true);
      this.globalTask = globalTask;
    }
    for (const subtopology of plan.subtopologies) {
      for (let partition = 0; partition < this.partitions; partition++) this.addTask(makeMeteredTask(subtopology, partition), false);
    }
    const previous = options.restoreFrom;
    const applicationId = String(appConfig['application.id']);
    // Changelog topics outlive a restart: the new driver starts with what the old one logged,
    // spread over the new partition count when it changed (a scale-out).
    for (const topic of previous?.producedTopicNames() ?? []) {
      if (!topic.endsWith('-changelog')) continue;
      const logged = previous!.producedRecords(topic);
      this.collector.preload(topic, previous!.partitions === this.partitions ? logged : changelogForPartitions(topology, applicationId, topic, logged, this.partitions));
    }
    // In-memory stores initialise right here; stores doing I/O finish before the first operation runs.
    const initialised = andThen(
      inOrder(this.tasks, (task) => andThen(
        andThen(task.initializeIfNeeded(), () => (previous === undefined ? undefined : restoreTask(task, this, applicationId))),
        () => task.completeRestoration(),
      )),
      // Global stores have no changelog: as in Kafka Streams, they are rebuilt from their topics.
      () => (previous === undefined ? undefined : this.replayGlobalInputs(previous.globalInputs)),
    );
    if (initialised instanceof Promise) this.track(initialised);
  }

  /** Every record produced to `topic` so far (changelogs included), in order, with its partition. */
  producedRecords(topic: string): readonly ProducedRecord[] {
    return this.collector.producedTo(topic) ?? [];
  }

  /**
   * An input topic to pipe records into. `name` must be read by the topology (a source topic,
   * a topic matching a source pattern, or a global store's topic).
   */
  createInputTopic<K, V>(name: string, keySerde: Serde<K>, valueSerde: Serde<V>, options: InputTopicOptions = {}): TestInputTopic<K, V> {
    this.tasksFor(name);
    return new TestInputTopic(this, name, keySerde, valueSerde, {
      startTimestamp: options.startTimestamp ?? this.clock.nowMs(),
      ...(options.autoAdvance === undefined ? {} : { autoAdvance: options.autoAdvance }),
    });
  }

  /**
   * An output topic to read what the topology produced to `name`, from the oldest record no output
   * topic on `name` has read yet (reading consumes, as in Kafka).
   */
  createOutputTopic<K, V>(name: string, keySerde: Serde<K>, valueSerde: Serde<V>): TestOutputTopic<K, V> {
    return new TestOutputTopic(this.collector, name, keySerde, valueSerde);
  }

  /**
   * Used by input topics: processes one serialized record and everything it causes. Returns
   * undefined when that finished synchronously (and throws when it failed), else a Promise of it.
   */
  pipeSerialized(topic: string, key: Buffer | null, value: Buffer | null, timestamp: number, headers: readonly Header[]): void | Promise<void> {
    this.checkOpen();
    // Per-record hot path of every test: no closure, no Promise unless a store went asynchronous.
    if (this.pending !== undefined) return this.track(this.pending.then(() => this.pipeNow(topic, key, value, timestamp, headers)));
    const result = this.pipeNow(topic, key, value, timestamp, headers);
    return result instanceof Promise ? this.track(result) : undefined;
  }

  private pipeNow(topic: string, key: Buffer | null, value: Buffer | null, timestamp: number, headers: readonly Header[]): void | Promise<void> {
    const tasks = this.tasksFor(topic);
    if (tasks[0] === this.globalTask) this.globalInputs.push({ topic, key, value, timestamp, headers });
    const partition = tasks.length === 1 ? 0 : key === null ? this.nextNullKeyPartition++ % tasks.length : partitionForKey(key, tasks.length);
    tasks[partition]!.addRecord(topic, this.consumed(topic, partition, key, value, timestamp, headers));
    return this.processAll();
  }

  /**
   * Moves wall-clock time on by `ms` and fires the wall-clock punctuators that are due — each at
   * most once, however many intervals passed, as in Kafka — then commits.
   */
  advanceWallClockTime(ms: number): Promise<void> {
    if (!Number.isInteger(ms) || ms < 0) {
      return Promise.reject(new StreamsError('INVALID_ARGUMENT', `advanceWallClockTime: expected a whole number of milliseconds >= 0, got ${ms}`));
    }
    return this.run(() => {
      this.clock.advance(ms);
      for (const metrics of this.taskMetrics) metrics.nowMs = this.clock.nowMs();
      return andThen(
        inOrder(this.tasks, (task) => (task.maybePunctuateSystemTime() ? task.commit() : undefined)),
        () => this.processAll(),
      );
    });
  }

  /**
   * The metrics of the driver's tasks, as Kafka's `TopologyTestDriver.metrics()`: the task,
   * processor-node, state-store and record-cache levels (thread id `main`), with the driver's mock
   * wall clock as their time, recorded as `metrics.recording.level` says.
   *
   * @example
   * const dropped = driver.metrics().find((m) => m.name === 'dropped-records-total')?.value;
   */
  metrics(): StreamsMetric[] {
    return this.metricsRegistry.metrics();
  }

  /**
   * The store named `name` (of any sub-topology, or global), or undefined when there is none. With
   * several partitions, the one of partition 0; `getStateStores` gives every partition's.
   */
  getStateStore<S extends StateStore = StateStore>(name: string): S | undefined {
    return this.getStateStores<S>(name)[0];
  }

  /** The store named `name` of every partition, in partition order (one for a global store). */
  getStateStores<S extends StateStore = StateStore>(name: string): S[] {
    return this.tasks.flatMap((task) => {
      const store = task.getStore(name);
      return store === undefined ? [] : [store as S];
    });
  }

  /**
   * Every row of the key-value store named `name`, across all partitions (values without their
   * timestamps), or undefined when there is no such store: the final table a property compares.
   */
  keyValueStoreEntries<K, V>(name: string): Array<{ key: K; value: V }> | undefined {
    const stores = this.getStateStores(name);
    if (stores.length === 0) return undefined;
    return stores.flatMap((store) => [...keyValueView<K, V>(store).all()]);
  }

  /**
   * The key-value store named `name` for reading, or undefined; throws when the store is of another
   * kind. A KTable's store keeps a timestamp with each value; here it reads as plain values, as in
   * Kafka's driver. (`getStateStore` gives the store itself, for writes.)
   */
  getKeyValueStore<K, V>(name: string): ReadOnlyKeyValueStore<K, V> | undefined {
    const store = this.getStateStore(name);
    if (store === undefined) return undefined;
    return keyValueView<K, V>(store);
  }

  /**
   * The window store named `name` for reading, or undefined when there is none; throws when the
   * named store is not a window store. A windowed aggregation's store keeps a timestamp with each
   * window; here it reads as plain values, as in Kafka's driver.
   */
  getWindowStore<K, V>(name: string): ReadOnlyWindowStore<K, V> | undefined {
    const store = this.storeOfKind<WindowStore<K, unknown>>(name, 'window', ['fetch', 'fetchAll']);
    if (store === undefined) return undefined;
    return isTimestampedWindowStore(store) ? new TimestampedWindowStoreFacade(store as TimestampedWindowStore<K, V>) : (store as WindowStore<K, V>);
  }

  /** The window store named `name` with each window's value and timestamp, or undefined. */
  getTimestampedWindowStore<K, V>(name: string): ReadOnlyWindowStore<K, ValueAndTimestamp<V>> | undefined {
    return this.storeOfKind<TimestampedWindowStore<K, V>>(name, 'window', ['fetch', 'fetchAll']);
  }

  /**
   * The session store named `name`, or undefined when there is none; throws when the named store is
   * not a session store (one with `findSessions` and `fetchSession`).
   */
  getSessionStore<K, V>(name: string): ReadOnlySessionStore<K, V> | undefined {
    return this.storeOfKind<SessionStore<K, V>>(name, 'session', ['findSessions', 'fetchSession']);
  }

  /** Topics the topology produced at least one record to, changelog and repartition topics included. */
  producedTopicNames(): Set<string> {
    return this.collector.topicNames();
  }

  /** Closes every processor and store (after a last commit) and removes the driver's own state directory. */
  close(): Promise<void> {
    if (this.closed) return this.pending ?? Promise.resolve();
    const done = this.run(() => andThen(
      inOrder([...this.tasks].reverse(), (task) => task.close()),
      () => {
        if (this.ownedStateDir !== undefined) rmSync(this.ownedStateDir, { recursive: true, force: true });
      },
    ));
    this.closed = true;
    return done;
  }

  private storeOfKind<S extends StateStore>(name: string, kind: string, methods: readonly string[]): S | undefined {
    const store = this.getStateStore(name);
    if (store === undefined) return undefined;
    const record = store as unknown as { [method: string]: unknown };
    if (!methods.every((m) => typeof record[m] === 'function')) {
      throw new StreamsError('INVALID_ARGUMENT', `state store "${name}" is not a ${kind} store; use getStateStore("${name}") or the getter for its kind`);
    }
    return store as S;
  }

  /** Feeds a closed driver's global-topic records to this driver's global task. */
  private replayGlobalInputs(records: TopologyTestDriver['globalInputs']): void | Promise<void> {
    if (this.globalTask === undefined || records.length === 0) return undefined;
    for (const { topic, key, value, timestamp, headers } of records) {
      this.globalInputs.push({ topic, key, value, timestamp, headers });
      this.globalTask.addRecord(topic, this.consumed(topic, 0, key, value, timestamp, headers));
    }
    return this.processAll();
  }

  private addTask(task: StreamTask, global: boolean): void {
    this.tasks.push(task);
    for (const topic of task.inputTopics()) {
      const tasks = this.taskByTopic.get(topic) ?? [];
      if (global) tasks.length = 0;
      tasks.push(task);
      this.taskByTopic.set(topic, tasks);
    }
  }

  /**
   * Processes buffered records task by task, committing after each one as Kafka's driver does, then
   * records fed back from repartition topics. Stays synchronous while commits are; continues after
   * a commit that returns a Promise. (A plain loop: no closure per record on this hot path.)
   */
  private processAll(): void | Promise<void> {
    const tasks = this.tasks;
    for (;;) {
      let task: StreamTask | undefined;
      for (let i = 0; i < tasks.length; i++) {
        if (tasks[i]!.bufferedCount() > 0) {
          task = tasks[i];
          break;
        }
      }
      if (task !== undefined) {
        // Stores with their keys on disk only read ahead for the record first (as the runtime does per batch).
        const prefetched = task.prefetchBuffered();
        if (prefetched instanceof Promise) return prefetched.then(() => andThen(this.processNext(task), () => this.processAll()));
        const committed = this.processNext(task);
        if (committed instanceof Promise) return committed.then(() => this.processAll());
        continue;
      }
      const record = this.feedback.shift();
      if (record === undefined) return undefined;
      const readers = this.taskByTopic.get(record.topic)!;
      const partition = readers.length === 1 ? 0 : record.partition ?? (record.key === null ? 0 : partitionForKey(record.key, readers.length));
      readers[partition]!.addRecord(record.topic, this.consumed(record.topic, partition, record.key, record.value, record.timestamp, record.headers));
    }
  }

  private processNext(task: StreamTask): void | Promise<void> {
    task.process();
    task.maybePunctuateStreamTime();
    return task.commit();
  }

  private consumed(topic: string, partition: number, key: Buffer | null, value: Buffer | null, timestamp: number, headers: readonly Header[]): ConsumedRecord {
    let offsets = this.offsets.get(topic);
    if (offsets === undefined) {
      offsets = [];
      this.offsets.set(topic, offsets);
    }
    const offset = offsets[partition] ?? 0;
    offsets[partition] = offset + 1;
    return { offset, key, value, timestamp, headers };
  }

  /** The tasks reading `topic`, by partition; pattern sources pick up new topics here. */
  private tasksFor(topic: string): StreamTask[] {
    const known = this.taskByTopic.get(topic);
    if (known !== undefined) return known;
    const readers = this.tasks.filter((task) => task.readsTopic(topic));
    if (readers.length > 0) {
      this.taskByTopic.set(topic, readers);
      return readers;
    }
    const sources = [...this.taskByTopic.keys()].map((t) => `"${t}"`).join(', ');
    throw new StreamsError(
      'UNKNOWN_TOPIC_IN_DRIVER',
      `Unknown topic: ${topic} is not read by the topology; its source topics are ${sources.length === 0 ? 'none' : sources}`,
    );
  }

  /**
   * Runs an operation after any unfinished one, synchronously when nothing is pending and the
   * operation itself does not return a Promise. Failures always surface as a rejected Promise.
   */
  private run(operation: () => void | Promise<void>): Promise<void> {
    try {
      this.checkOpen();
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.pending !== undefined) return this.track(this.pending.then(operation));
    try {
      const result = operation();
      return result instanceof Promise ? this.track(result) : Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new StreamsError('ILLEGAL_STATE', 'the TopologyTestDriver is closed; create a new driver for another test');
  }

  private track(work: Promise<void>): Promise<void> {
    const tracked = work.finally(() => {
      if (this.pending === tracked) this.pending = undefined;
    });
    this.pending = tracked;
    // The caller, or the next operation chained on `pending`, sees a failure; never left unhandled.
    tracked.catch(() => undefined);
    return tracked;
  }
}

/**
 * Replays into a task's stores what was logged to their changelogs for the task's partition (the
 * previous driver's records, carried over into `driver`), as the runtime restores a task after a restart.
 */
function restoreTask(task: StreamTask, driver: TopologyTestDriver, applicationId: string): void | Promise<void> {
  return inOrder(task.storeNames(), (storeName) => {
    const changelog = driver.producedRecords(`${applicationId}-${storeName}-changelog`).filter((r) => (r.partition ?? 0) === task.partition);
    if (changelog.length === 0) return undefined;
    return task.restore(storeName, changelog.map((r) => ({ key: r.key ?? Buffer.alloc(0), value: r.value, timestamp: r.timestamp })));
  });
}

/** The store as a key-value store, when it is one. */
function keyValueView<K, V>(store: StateStore): ReadOnlyKeyValueStore<K, V> {
  if (isTimestampedKeyValueStore(store)) return new TimestampedKeyValueStoreFacade(store as TimestampedKeyValueStore<K, V>);
  const candidate = store as Partial<KeyValueStore<K, V>>;
  if (typeof candidate.get !== 'function' || typeof candidate.put !== 'function' || typeof candidate.all !== 'function') {
    throw new StreamsError('INVALID_ARGUMENT', `state store "${store.name}" is not a key-value store; use getStateStore("${store.name}") for it`);
  }
  return store as KeyValueStore<K, V>;
}
