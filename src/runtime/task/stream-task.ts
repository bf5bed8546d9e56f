import { isStreamsError, StreamsError } from '../../common/index.ts';
import type { Clock } from '../../common/index.ts';
import { supplyProcessor } from '../../processor/index.ts';
import type { Cancellable, Header, PunctuationType, Punctuator, Record, RecordMetadata } from '../../processor/index.ts';
import type { DurableStore, RecordCache, RestoreCallback, StateStore } from '../../state/index.ts';
import type { SinkNode, SourceNode } from '../../topology/index.ts';
import type { ConsumedRecord } from './consumed-record.ts';
import { andThen, inOrder } from '../maybe-async.ts';
import { PartitionGroup } from './partition-group.ts';
import { processorFailure } from './processor-failure.ts';
import { ProcessorRuntimeNode } from './processor-runtime-node.ts';
import { PunctuationQueue } from './punctuation-queue.ts';
import type { PunctuationSchedule } from './punctuation-queue.ts';
import type { RecordCollector } from './record-collector.ts';
import type { RuntimeNode } from './runtime-node.ts';
import type { StampedRecord } from './stamped-record.ts';
import { SinkRuntimeNode } from './sink-runtime-node.ts';
import { SourceRuntimeNode } from './source-runtime-node.ts';
import { applicationIdOf, cacheMaxBytesOf, serdeFor } from './task-config.ts';
import { BadRecordPolicy } from './bad-record-policy.ts';
import type { ErrorHandlerContext } from './exception-handler-types.ts';
import type { TaskInternals } from './task-internals.ts';
import { assertTransition } from './task-state.ts';
import type { TaskState } from './task-state.ts';
import { TaskStoreContext } from './task-store-context.ts';
import type { TaskTopology } from './task-topology.ts';
import type { TaskMetrics } from './task-metrics.ts';
import { E2eLatencyNode } from './e2e-latency-node.ts';

/** What a task is built from besides its sub-topology. */
export interface StreamTaskOptions {
  readonly topology: TaskTopology;
  readonly partition: number;
  /** The application's config (Kafka Streams key names); `application.id` is required. */
  readonly config: Readonly<{ [key: string]: unknown }>;
  readonly collector: RecordCollector;
  /** Wall-clock time for wall-clock punctuation and `currentSystemTimeMs()`. */
  readonly clock: Clock;
  /** Makes the task's record cache when `statestore.cache.max.bytes` > 0; without it, no caching. */
  readonly createRecordCache?: (maxBytes: number) => RecordCache;
  /** Global stores, readable by every processor without connecting them. */
  readonly globalStores?: ReadonlyMap<string, StateStore>;
  /** Root for persistent stores; the task's own directory is `<root>/<application.id>/<taskId>`. */
  readonly stateDirRoot?: string;
  /** The task's sensors (Kafka Streams' task and processor-node metrics); without them, nothing is recorded. */
  readonly metrics?: TaskMetrics;
}

/**
 * Runs one sub-topology for one partition: id `<subtopologyId>_<partition>`. It owns its own
 * processors (made from the topology's suppliers), stores, record queues, stream time and
 * punctuation schedules, and talks to the outside only through a RecordCollector and a Clock.
 * Processing is synchronous per record; only store init/flush/close and the collector's flush may
 * return Promises, and only then does a caller need to await.
 *
 * Life cycle: `initializeIfNeeded()` (stores) → `completeRestoration()` (processors) → `addRecords`
 * / `process` / `maybePunctuate*` / `commit` → `close()`.
 *
 * @example
 * const task = new StreamTask({ topology: taskTopology, partition: 0, config, collector, clock });
 * await task.initializeIfNeeded();
 * task.completeRestoration();
 * task.addRecords('orders', [{ offset: 0, key, value, timestamp: 1_000, headers: [] }]);
 * while (task.process()) task.maybePunctuateStreamTime();
 * await task.commit();
 */
export class StreamTask implements TaskInternals {
  readonly taskId: string;
  readonly applicationId: string;
  readonly partition: number;
  readonly appConfigs: Readonly<{ [key: string]: unknown }>;
  readonly collector: RecordCollector;
  /** The input record being processed; undefined inside punctuators and commits. */
  private current: StampedRecord | undefined = undefined;
  /** Its metadata, made the first time someone asks (most records are processed without). */
  private currentMetadataObject: RecordMetadata | undefined = undefined;
  currentTimestamp = -1;
  readonly badRecords: BadRecordPolicy;

  private taskState: TaskState = 'CREATED';
  private commitRequestedFlag = false;
  private commitNeededFlag = false;
  private readonly clock: Clock;
  private readonly topology: TaskTopology;
  private readonly partitionGroup: PartitionGroup;
  private readonly sourcesByTopic = new Map<string, SourceRuntimeNode>();
  private readonly sinks: SinkRuntimeNode[] = [];
  private readonly patternSources: Array<{ pattern: RegExp; node: SourceRuntimeNode }> = [];
  private readonly processors = new Map<string, ProcessorRuntimeNode>();
  private readonly stores = new Map<string, StateStore>();
  /** The stores in flush order, fixed once the task runs. */
  private storeList: StateStore[] | undefined;
  private readonly storeContext: TaskStoreContext;
  private readonly globalStores: ReadonlyMap<string, StateStore>;
  private readonly streamTimePunctuations = new PunctuationQueue();
  private readonly wallClockPunctuations = new PunctuationQueue();
  private readonly consumedOffsets = new Map<string, number>();
  private readonly metrics: TaskMetrics | undefined;

  constructor(options: StreamTaskOptions) {
    this.metrics = options.metrics;
    this.topology = options.topology;
    this.partition = options.partition;
    this.taskId = `${options.topology.subtopologyId}_${options.partition}`;
    this.appConfigs = options.config;
    this.applicationId = applicationIdOf(options.config);
    this.collector = options.collector;
    this.clock = options.clock;
    this.globalStores = options.globalStores ?? new Map();
    this.partitionGroup = new PartitionGroup(options.partition);
    // The global task's stores are the global stores (fed from their topics).
    this.badRecords = new BadRecordPolicy(options.config, this.topology.stores.some((s) => s.globalTopic !== undefined), () => this.recordDropped());
    this.buildGraph();
    const cacheBytes = cacheMaxBytesOf(options.config);
    const cache = cacheBytes > 0 && options.createRecordCache !== undefined ? options.createRecordCache(cacheBytes) : undefined;
    const stateDir = options.stateDirRoot === undefined ? undefined : `${options.stateDirRoot}/${this.applicationId}/${this.taskId}`;
    const logged = new Set(this.topology.stores.filter((s) => s.builder.loggingEnabled && s.globalTopic === undefined).map((s) => s.builder.name));
    this.storeContext = new TaskStoreContext(this, stateDir, cache, logged, this.metrics);
    for (const registration of this.topology.stores) this.stores.set(registration.builder.name, registration.builder.build());
  }

  /** Topic, partition and offset of the input record being processed; undefined inside punctuators. */
  get currentMetadata(): RecordMetadata | undefined {
    const current = this.current;
    if (current === undefined) return undefined;
    return (this.currentMetadataObject ??= { topic: current.topic, partition: current.partition, offset: current.offset });
  }

  get state(): TaskState {
    return this.taskState;
  }

  /** True once records were processed or punctuators ran since the last commit. */
  get commitNeeded(): boolean {
    return this.commitNeededFlag;
  }

  /** True when a processor called `context.commit()` since the last commit. */
  get commitRequested(): boolean {
    return this.commitRequestedFlag;
  }

  /** The real input topics of this task (pattern sources add topics as records arrive). */
  inputTopics(): string[] {
    return [...this.sourcesByTopic.keys()];
  }

  /** True when a source of this task reads `topic`, by name or by pattern. */
  readsTopic(topic: string): boolean {
    return this.sourcesByTopic.has(topic) || this.patternSources.some((p) => p.pattern.test(topic));
  }

  /** CREATED → RESTORING: initialises the stores (they register themselves for restoration). */
  initializeIfNeeded(): void | Promise<void> {
    if (this.taskState !== 'CREATED') return undefined;
    this.transitionTo('RESTORING');
    const stores = inOrder(this.stores.values(), (store) => store.init(this.storeContext, store));
    const sinks = this.sinks.map((sink) => sink.prepare()).filter((p) => p !== undefined);
    return sinks.length === 0 ? stores : Promise.all([stores, ...sinks]).then(() => undefined);
  }

  /** Replays changelog records into a store while RESTORING. */
  restore(storeName: string, records: Parameters<RestoreCallback>[0]): void | Promise<void> {
    this.assertState('RESTORING', 'restore');
    const registered = this.storeContext.registered.find((r) => r.store.name === storeName);
    if (registered === undefined) {
      throw new StreamsError('UNKNOWN_STATE_STORE', `task ${this.taskId} has no registered store "${storeName}" to restore; its stores are ${[...this.stores.keys()].join(', ') || 'none'}`);
    }
    return registered.restore(records);
  }

  /** RESTORING → RUNNING: initialises the processors, parents before children. */
  completeRestoration(): void {
    this.transitionTo('RUNNING');
    for (const node of this.processors.values()) node.init();
  }

  /** RUNNING/RESTORING/CREATED → SUSPENDED: closes processors and drops their punctuation schedules. */
  suspend(): void {
    const wasRunning = this.taskState === 'RUNNING';
    this.transitionTo('SUSPENDED');
    if (wasRunning) {
      for (const node of this.processors.values()) node.close();
    }
    this.streamTimePunctuations.clear();
    this.wallClockPunctuations.clear();
  }

  /** SUSPENDED → RESTORING; `completeRestoration()` then re-initialises the processors. */
  resume(): void {
    this.transitionTo('RESTORING');
  }

  /**
   * Lets the source serdes of `topic` do async set-up for these records (a Schema Registry serde
   * loads schema ids it has not seen) before `addRecords`; undefined when none needs it.
   */
  prepareRecords(topic: string, records: readonly ConsumedRecord[]): Promise<void> | undefined {
    return this.sourceFor(topic).prepare(records);
  }

  /** Buffers input records of `topic` (on this task's partition), in offset order. */
  addRecords(topic: string, records: readonly ConsumedRecord[]): void {
    const source = this.sourceFor(topic);
    this.partitionGroup.queueFor(topic, source).add(records);
  }

  /** Buffers one input record of `topic` (the test driver feeds records one at a time). */
  addRecord(topic: string, record: ConsumedRecord): void {
    this.partitionGroup.queueFor(topic, this.sourceFor(topic)).addOne(record);
  }

  /** Records buffered and not yet processed. */
  bufferedCount(): number {
    return this.partitionGroup.bufferedCount();
  }

  /**
   * Reads ahead, in one asynchronous step per batch, what the buffered records will read from
   * stores that keep their keys on disk only (see `LevelDbKeyValueStore`): call it after adding
   * records and before processing them. Returns nothing (no await needed) when no store needs it.
   */
  prefetchBuffered(): void | Promise<void> {
    const registered = this.storeContext.prefetching;
    if (registered.length === 0 || !registered.some((store) => store.needsPrefetch()) || this.partitionGroup.bufferedCount() === 0) return undefined;
    const stores = registered.filter((store) => store.needsPrefetch());
    const keys = this.partitionGroup.bufferedKeys();
    return Promise.all(stores.map((store) => store.prefetch(keys))).then(() => undefined);
  }

  /**
   * Processes the buffered record with the smallest timestamp through the graph; false when none
   * is buffered. Stream time moves to the record's timestamp when that is larger.
   */
  process(): boolean {
    this.assertState('RUNNING', 'process records');
    const next = this.partitionGroup.nextRecord();
    if (next === undefined) return false;
    this.current = next;
    this.currentMetadataObject = undefined;
    this.currentTimestamp = next.record.timestamp;
    const metrics = this.metrics;
    if (metrics === undefined) next.source.process(next.record);
    else if (metrics.debug) this.processMeasured(next.source, next.record, metrics);
    else {
      next.source.e2eLatency!.record(metrics.nowMs - next.record.timestamp, metrics.nowMs);
      next.source.process(next.record);
    }
    this.consumedOffsets.set(next.topic, next.offset);
    this.commitNeededFlag = true;
    return true;
  }

  /** Processes one record with the DEBUG-level task sensors: latency, lateness, count. */
  private processMeasured(source: SourceRuntimeNode, record: Record<unknown, unknown>, metrics: TaskMetrics): void {
    const nowMs = metrics.nowMs;
    source.e2eLatency!.record(nowMs - record.timestamp, nowMs);
    metrics.lateness.record(Math.max(0, this.partitionGroup.streamTimeMs - record.timestamp), nowMs);
    const started = performance.now();
    source.process(record);
    metrics.process.record(performance.now() - started, nowMs);
  }

  /** Fires stream-time punctuators due at the current stream time; nothing before the first record. */
  maybePunctuateStreamTime(): boolean {
    this.assertState('RUNNING', 'punctuate');
    const streamTime = this.partitionGroup.streamTimeMs;
    if (streamTime < 0) return false;
    return this.firePunctuations(this.streamTimePunctuations, streamTime);
  }

  /** Fires wall-clock punctuators due at the clock's current time. */
  maybePunctuateSystemTime(): boolean {
    this.assertState('RUNNING', 'punctuate');
    return this.firePunctuations(this.wallClockPunctuations, this.clock.nowMs());
  }

  /**
   * Flushes the stores (caching stores forward their dirty entries downstream while flushing),
   * then the collector, so outputs and changelogs are durable before input offsets are committed.
   */
  commit(): void | Promise<void> {
    if (this.taskState !== 'RUNNING' && this.taskState !== 'SUSPENDED') {
      throw new StreamsError('ILLEGAL_STATE', `task ${this.taskId} cannot commit while ${this.taskState}; commit a RUNNING or SUSPENDED task`);
    }
    this.current = undefined;
    this.currentMetadataObject = undefined;
    const flushed = this.flushStoresFrom(0);
    return flushed instanceof Promise ? flushed.then(() => this.flushCollector()) : this.flushCollector();
  }

  // Commits run once per record in the test driver: plain loops, no closure unless a flush is async.
  private flushStoresFrom(index: number): void | Promise<void> {
    const stores = (this.storeList ??= [...this.stores.values()]);
    for (let i = index; i < stores.length; i++) {
      const flushed = stores[i]!.flush();
      if (flushed instanceof Promise) return flushed.then(() => this.flushStoresFrom(i + 1));
    }
    return undefined;
  }

  private flushCollector(): void | Promise<void> {
    const flushed = this.collector.flush();
    if (flushed instanceof Promise) return flushed.then(() => this.markCommitted());
    this.markCommitted();
    return undefined;
  }

  private markCommitted(): void {
    this.commitNeededFlag = false;
    this.commitRequestedFlag = false;
  }

  /** Offsets to commit per input topic: the next offset to read (last processed + 1). */
  committableOffsets(): Map<string, number> {
    const offsets = new Map<string, number>();
    for (const [topic, offset] of this.consumedOffsets) offsets.set(topic, offset + 1);
    return offsets;
  }

  /** The task's stores whose data outlives the process (LevelDB), by name; known once initialised. */
  durableStores(): ReadonlyMap<string, DurableStore> {
    return this.storeContext.durable;
  }

  /** Names of the task's own stores (not global ones). */
  storeNames(): string[] {
    return [...this.stores.keys()];
  }

  /** A store of this task by name, for the test driver and interactive queries. */
  getStore(name: string): StateStore | undefined {
    return this.stores.get(name);
  }

  /**
   * Closes cleanly: suspends (processors closed), flushes stores and collector when the task ran,
   * closes the stores, → CLOSED.
   */
  close(): void | Promise<void> {
    if (this.taskState === 'CLOSED') return undefined;
    const ran = this.taskState === 'RUNNING';
    if (this.taskState !== 'SUSPENDED') this.suspend();
    const flushed = ran ? this.commit() : undefined;
    return andThen(flushed, () => andThen(
      inOrder(this.stores.values(), (store) => (store.isOpen() ? store.close() : undefined)),
      () => this.transitionTo('CLOSED'),
    ));
  }

  // --- TaskInternals, used by the runtime nodes ---

  streamTimeMs(): number {
    return this.partitionGroup.streamTimeMs;
  }

  wallClockMs(): number {
    return this.clock.nowMs();
  }

  schedule(nodeName: string, intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    if (!Number.isInteger(intervalMs) || intervalMs < 1) {
      throw new StreamsError('INVALID_ARGUMENT', `processor "${nodeName}" in task ${this.taskId} scheduled a punctuation every ${intervalMs} ms; the interval must be a whole number of milliseconds >= 1`);
    }
    if (type === 'stream-time') {
      // Aligned to 0: fires with the first record, then whenever stream time crosses a boundary.
      return this.streamTimePunctuations.schedule(nodeName, type, intervalMs, punctuator, 0);
    }
    if (type === 'wall-clock') {
      return this.wallClockPunctuations.schedule(nodeName, type, intervalMs, punctuator, this.clock.nowMs() + intervalMs);
    }
    throw new StreamsError('INVALID_ARGUMENT', `processor "${nodeName}" used punctuation type ${JSON.stringify(type)}; use 'stream-time' or 'wall-clock'`);
  }

  findStore(name: string): StateStore | undefined {
    return this.stores.get(name);
  }

  findGlobalStore(name: string): StateStore | undefined {
    return this.globalStores.get(name);
  }

  recordDropped(): void {
    this.metrics?.recordDropped();
  }

  recordSkipped(topic: string, offset: number): void {
    this.consumedOffsets.set(topic, offset);
    this.commitNeededFlag = true;
  }

  errorContext(nodeName: string, headers: readonly Header[], timestamp: number): ErrorHandlerContext {
    const metadata = this.currentMetadata;
    const raw = this.current?.raw;
    return {
      topic: metadata?.topic,
      partition: metadata?.partition ?? -1,
      offset: metadata?.offset ?? -1,
      headers,
      processorNodeId: nodeName,
      taskId: this.taskId,
      timestamp,
      sourceRawKey: raw?.key ?? null,
      sourceRawValue: raw?.value ?? null,
    };
  }

  /** Input records dropped by the bad-record policy so far. */
  get skippedRecords(): number {
    return this.badRecords.skipped;
  }

  requestCommit(): void {
    this.commitRequestedFlag = true;
  }

  // --- internals ---

  private firePunctuations(queue: PunctuationQueue, nowMs: number): boolean {
    const punctuated = queue.mayPunctuate(nowMs, this.punctuate);
    if (punctuated) this.commitNeededFlag = true;
    return punctuated;
  }

  private readonly punctuate = (schedule: PunctuationSchedule, timestampMs: number): void => {
    this.current = undefined;
    this.currentMetadataObject = undefined;
    this.currentTimestamp = timestampMs;
    const started = this.metrics === undefined ? 0 : performance.now();
    try {
      schedule.punctuator(timestampMs);
    } catch (e) {
      const failure = processorFailure(this, schedule.nodeName, 'punctuate', e);
      // As in Kafka 4.x, the processing handler decides about a punctuator's own failure (no record).
      if (isStreamsError(e) || this.badRecords.isDecided(e)) throw failure;
      const context = this.errorContext(schedule.nodeName, [], timestampMs);
      this.badRecords.handleProcessingError(failure, e instanceof Error ? e : new Error(String(e)), context, null, this.collector);
    }
    if (this.metrics !== undefined) this.recordPunctuation(this.metrics, performance.now() - started);
  };

  private recordPunctuation(metrics: TaskMetrics, latencyMs: number): void {
    const nowMs = metrics.nowMs;
    metrics.thread.punctuate.record(1, nowMs);
    metrics.thread.punctuateLatency.record(latencyMs, nowMs);
    if (metrics.debug) metrics.punctuate.record(latencyMs, nowMs);
  }

  private buildGraph(): void {
    const runtimeNodes = new Map<string, RuntimeNode & { children?: RuntimeNode[] }>();
    for (const node of this.topology.nodes) {
      if (node.kind === 'source') runtimeNodes.set(node.name, this.buildSource(node));
      else if (node.kind === 'sink') {
        const sink = this.buildSink(node);
        this.sinks.push(sink);
        runtimeNodes.set(node.name, sink);
      }
      else {
        const processor = supplyProcessor(node.supplier);
        const runtime = new ProcessorRuntimeNode(node.name, processor, node.stores, this);
        this.processors.set(node.name, runtime);
        runtimeNodes.set(node.name, runtime);
      }
    }
    for (const node of this.topology.nodes) {
      if (node.kind === 'sink') continue;
      const parent = runtimeNodes.get(node.name)!;
      for (const childName of node.children) {
        const child = runtimeNodes.get(childName);
        if (child === undefined) {
          throw new StreamsError('TOPOLOGY_ERROR', `node "${node.name}" has child "${childName}", which is not in sub-topology ${this.topology.subtopologyId}`);
        }
        parent.children!.push(child);
      }
    }
    if (this.metrics !== undefined) this.attachLatencySensors(this.metrics, runtimeNodes);
  }

  /** Gives source nodes their e2e-latency sensor, and wraps terminal nodes to record theirs. */
  private attachLatencySensors(metrics: TaskMetrics, runtimeNodes: ReadonlyMap<string, RuntimeNode & { children?: RuntimeNode[] }>): void {
    const terminal = new Map<string, E2eLatencyNode>();
    for (const node of this.topology.nodes) {
      const runtime = runtimeNodes.get(node.name)!;
      if (runtime instanceof SourceRuntimeNode) runtime.e2eLatency = metrics.sourceNode(node.name);
      else if (node.kind === 'sink' || node.children.length === 0) terminal.set(node.name, new E2eLatencyNode(runtime, metrics.terminalNode(node.name), metrics));
    }
    for (const runtime of runtimeNodes.values()) {
      const children = runtime.children;
      if (children === undefined) continue;
      for (let i = 0; i < children.length; i++) children[i] = terminal.get(children[i]!.name) ?? children[i]!;
    }
  }

  private buildSource(node: SourceNode): SourceRuntimeNode {
    const description = `source "${node.name}"`;
    const source = new SourceRuntimeNode(
      node.name,
      serdeFor('key', node.keySerde, this.appConfigs, description),
      serdeFor('value', node.valueSerde, this.appConfigs, description),
      node.timestampExtractor,
      this,
    );
    for (const topic of node.topics) this.sourcesByTopic.set(this.topology.topicName(topic), source);
    if (node.pattern !== undefined) this.patternSources.push({ pattern: node.pattern, node: source });
    return source;
  }

  private buildSink(node: SinkNode): SinkRuntimeNode {
    const description = `sink "${node.name}"`;
    return new SinkRuntimeNode(
      node.name,
      typeof node.topic === 'string' ? this.topology.topicName(node.topic) : node.topic,
      serdeFor('key', node.keySerde, this.appConfigs, description),
      serdeFor('value', node.valueSerde, this.appConfigs, description),
      node.partitioner,
      this,
    );
  }

  private sourceFor(topic: string): SourceRuntimeNode {
    const direct = this.sourcesByTopic.get(topic);
    if (direct !== undefined) return direct;
    const byPattern = this.patternSources.find((p) => p.pattern.test(topic));
    if (byPattern === undefined) {
      throw new StreamsError(
        'UNKNOWN_TOPIC',
        `task ${this.taskId} does not read topic "${topic}"; its source topics are ${this.inputTopics().map((t) => `"${t}"`).join(', ') || 'none'}`,
      );
    }
    this.sourcesByTopic.set(topic, byPattern.node);
    return byPattern.node;
  }

  private assertState(expected: TaskState, action: string): void {
    if (this.taskState !== expected) {
      throw new StreamsError('ILLEGAL_STATE', `task ${this.taskId} cannot ${action} while ${this.taskState}; it must be ${expected}`);
    }
  }

  private transitionTo(next: TaskState): void {
    assertTransition(this.taskId, this.taskState, next);
    this.taskState = next;
  }
}
