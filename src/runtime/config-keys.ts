/**
 * Kafka Streams' config keys as kstreams treats them, so a Java application's config carries over:
 * keys kstreams reads, keys that change nothing here (accepted, named in one warning line), and
 * keys whose meaning kstreams does not implement (refused with the reason, never silently ignored).
 */

/** The keys kstreams reads. */
export const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'application.id', 'bootstrap.servers', 'state.dir', 'log.dirs', 'commit.interval.ms', 'poll.ms', 'session.timeout.ms', 'repartition.purge.interval.ms',
  'statestore.cache.max.bytes', 'statestore.key.index.max.keys', 'processing.guarantee', 'num.stream.threads', 'num.standby.replicas',
  'default.key.serde', 'default.value.serde', 'default.dsl.store', 'client.id',
  'default.deserialization.exception.handler', 'errors.dead.letter.queue.topic.name', 'errors.deadletterqueue.topic.name', 'default.timestamp.extractor',
  'processing.exception.handler', 'processing.exception.handler.global.enabled', 'production.exception.handler', 'default.production.exception.handler',
  'request.timeout.ms', 'retry.backoff.ms', 'metadata.max.age.ms', 'security.protocol', 'max.task.idle.ms', 'log.summary.interval.ms',
  'application.server', 'auto.offset.reset',
  // KIP-441's high-availability assignment (see assignment-config.ts), and kstreams' internal probing override for tests.
  'acceptable.recovery.lag', 'max.warmup.replicas', 'probing.rebalance.interval.ms', 'internal.probing.rebalance.interval.ms',
  'metrics.recording.level', 'metrics.sample.window.ms', 'metrics.num.samples',
  // Kafka's internal throttles of on-window-close emission and of left/outer stream-stream join results.
  'emit.interval.ms.kstreams.windowed.aggregation', 'emit.interval.ms.kstreams.outer.join.spurious.results.fix',
]);

/** Kafka Streams' other names for keys kstreams reads (deprecated or renamed in Kafka 3.x/4.x). */
export const KEY_ALIASES: ReadonlyMap<string, string> = new Map([
  ['cache.max.bytes.buffering', 'statestore.cache.max.bytes'],
  ['deserialization.exception.handler', 'default.deserialization.exception.handler'],
]);

/**
 * Keys of Kafka Streams that do not change what a kstreams application computes: tuning of
 * RocksDB, metric reporters, rebalancing and networking details kstreams does its own way.
 */
export const IGNORED_KEYS: ReadonlySet<string> = new Set([
  'buffered.records.per.partition', 'built.in.metrics.version', 'connections.max.idle.ms', 'enable.metrics.push',
  'metric.reporters',
  'rack.aware.assignment.non_overlap_cost', 'rack.aware.assignment.strategy', 'rack.aware.assignment.tags',
  'rack.aware.assignment.traffic_cost', 'receive.buffer.bytes', 'reconnect.backoff.max.ms', 'reconnect.backoff.ms', 'replication.factor',
  'rocksdb.config.setter', 'send.buffer.bytes', 'state.cleanup.delay.ms', 'task.timeout.ms', 'topology.optimization', 'upgrade.from',
  'window.size.ms', 'windowed.inner.class.serde', 'client.rack',
]);

/** Keys whose meaning kstreams does not implement, with what to do instead. */
export const UNSUPPORTED_KEYS: ReadonlyMap<string, string> = new Map([
  ['dsl.store.suppliers.class', 'Java store supplier classes do not apply; use "default.dsl.store" ("leveldb" or "in_memory") or Materialized.as(Stores...)'],
  ['default.client.supplier', 'Java client suppliers do not apply; kstreams reaches Kafka through @platformatic/kafka'],
  ['processor.wrapper.class', 'Java processor wrappers do not apply; wrap processors in the topology itself'],
  ['task.assignor.class', 'kstreams assigns tasks with its own sticky assignor'],
  ['ensure.explicit.internal.resource.naming', 'kstreams does not check that internal topics and stores are named explicitly'],
  ['default.list.key.serde.inner', 'Java list serdes do not apply; give a Serde for lists'],
  ['default.list.key.serde.type', 'Java list serdes do not apply; give a Serde for lists'],
  ['default.list.value.serde.inner', 'Java list serdes do not apply; give a Serde for lists'],
  ['default.list.value.serde.type', 'Java list serdes do not apply; give a Serde for lists'],
  ['group.protocol', 'kstreams joins groups with the classic protocol only; leave "group.protocol" out'],
]);

/**
 * The prefixes of client settings, as Kafka Streams reads them; a later prefix in this list wins
 * over an earlier one for the same setting of the same client.
 */
export const CLIENT_PREFIXES = ['admin.', 'producer.', 'consumer.', 'main.consumer.', 'restore.consumer.', 'global.consumer.', 'topic.'] as const;
export type ClientPrefix = typeof CLIENT_PREFIXES[number];
