import { StreamsError } from '../common/index.ts';
import type { Cluster, TopicSpec } from '../client/index.ts';
import type { OffsetReset, Topology } from '../topology/index.ts';
import type { TaskPlan } from './task-plan.ts';
import type { TaskTopology } from './task/task-topology.ts';
import { changelogTopicFor } from './task/task-store-context.ts';

/**
 * Kafka Streams' settings for repartition topics: records are kept until the application has
 * consumed them (it purges them after committing), in 50 MB segments so purging frees space soon.
 */
const REPARTITION_TOPIC_CONFIG = { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'segment.bytes': '52428800', 'message.timestamp.type': 'CreateTime' };

/** The application's repartition topics by full name, with the partition count fixed for each (if any). */
export function repartitionTopicsOf(topology: Topology, applicationId: string): Map<string, number | undefined> {
  const topics = new Map<string, number | undefined>();
  for (const [name, internal] of topology.internalTopics) if (internal.kind === 'repartition') topics.set(`${applicationId}-${name}`, internal.partitions);
  return topics;
}

/** A sub-topology with the partition count its tasks run on. */
export interface PlannedSubtopology {
  readonly topology: TaskTopology;
  readonly partitions: number;
  /** The run-time names of the topics its sources read. */
  readonly inputTopics: readonly string[];
  /**
   * Input topics with a reset policy of their own: a source's `Consumed.withOffsetResetPolicy`, and
   * `earliest` for repartition topics (as in Kafka Streams). The others follow `auto.offset.reset`.
   */
  readonly offsetResets: ReadonlyMap<string, OffsetReset>;
}

/**
 * Works out every sub-topology's partition count and creates the internal topics, as Kafka
 * Streams does at startup: user source topics must exist and, within a sub-topology, have equal
 * partition counts (co-partitioning). A repartition topic read together with user topics takes
 * their count (so a re-keyed stream meets the table it joins, partition for partition); one read
 * alone takes its fixed count or the largest count of the sub-topologies writing to it. Counts are
 * resolved until nothing changes, since internal topics can also flow back (foreign-key joins).
 * A changelog gets its store's sub-topology's count; compacted unless the store asks for more
 * (windowed stores: compacted and deleted after the store's retention plus a day).
 */
export async function prepareTopics(topology: Topology, plan: TaskPlan, applicationId: string, cluster: Cluster): Promise<PlannedSubtopology[]> {
  const repartitionTopics = repartitionTopicsOf(topology, applicationId);
  const subs = plan.subtopologies.map((sub) => {
    if (sub.nodes.some((n) => n.kind === 'source' && n.pattern !== undefined)) {
      throw new StreamsError('TOPOLOGY_ERROR', 'pattern sources are not supported by the runtime yet; name the source topics');
    }
    const inputs = sub.nodes.flatMap((n) => (n.kind === 'source' ? n.topics.map((t) => sub.topicName(t)) : []));
    const outputs = sub.nodes.flatMap((n) => (n.kind === 'sink' && typeof n.topic === 'string' ? [sub.topicName(n.topic)] : []));
    return { sub, inputs, outputs, external: inputs.filter((t) => !repartitionTopics.has(t)), partitions: undefined as number | undefined };
  });
  const counts = new Map<string, number>();
  for (const { external } of subs) {
    for (const topic of external) {
      const count = await cluster.partitionCount(topic);
      if (count === undefined) {
        throw new StreamsError('UNKNOWN_TOPIC', `source topic "${topic}" does not exist; create it first (e.g. \`kstreams topics create ${topic} --partitions N ${cluster.commandLineTarget}\`)`, { location: { topic } });
      }
      counts.set(topic, count);
    }
  }
  for (const [topic, fixed] of repartitionTopics) if (fixed !== undefined) counts.set(topic, fixed);
  for (let changed = true; changed;) {
    changed = false;
    for (const entry of subs) {
      if (entry.partitions !== undefined) continue;
      const known = entry.external.length > 0 ? entry.external : entry.inputs;
      if (known.every((t) => counts.has(t))) {
        entry.partitions = Math.max(...known.map((t) => counts.get(t)!));
        changed = true;
      }
    }
    for (const topic of repartitionTopics.keys()) {
      if (counts.has(topic)) continue;
      const reader = subs.find((e) => e.external.length > 0 && e.inputs.includes(topic) && e.partitions !== undefined);
      const writers = subs.filter((e) => e.outputs.includes(topic));
      if (reader !== undefined) counts.set(topic, reader.partitions!);
      else if (writers.length > 0 && writers.every((e) => e.partitions !== undefined)) counts.set(topic, Math.max(...writers.map((e) => e.partitions!)));
      else continue;
      changed = true;
    }
  }
  const planned: PlannedSubtopology[] = [];
  for (const { sub, inputs, partitions } of subs) {
    if (partitions === undefined) {
      throw new StreamsError('TOPOLOGY_ERROR', `sub-topology ${sub.subtopologyId} reads only internal topics whose partition counts cannot be worked out; give one a count with Repartitioned.numberOfPartitions`);
    }
    const distinct = new Set(inputs.map((t) => counts.get(t)));
    if (distinct.size > 1) {
      const list = inputs.map((t) => `"${t}" (${counts.get(t)})`).join(', ');
      throw new StreamsError('TOPOLOGY_ERROR', `sub-topology ${sub.subtopologyId} reads topics with different partition counts: ${list}; co-partitioned topics need the same count`);
    }
    planned.push({ topology: sub, partitions, inputTopics: inputs, offsetResets: offsetResetsOf(sub, repartitionTopics) });
  }
  const repartitionCounts = new Map([...repartitionTopics.keys()].map((t) => [t, counts.get(t)!] as const));
  const specs: TopicSpec[] = [...repartitionCounts].map(([name, partitions]) => ({ name, partitions, config: REPARTITION_TOPIC_CONFIG }));
  for (const sub of planned) {
    for (const store of sub.topology.stores) {
      if (!store.builder.loggingEnabled) continue;
      specs.push({ name: changelogTopicFor(applicationId, store.builder.name), partitions: sub.partitions, config: { 'cleanup.policy': 'compact', 'message.timestamp.type': 'CreateTime', ...store.builder.logConfig } });
    }
  }
  await cluster.ensureTopics(specs);
  return planned;
}

function offsetResetsOf(sub: TaskTopology, repartitionTopics: ReadonlyMap<string, unknown>): Map<string, OffsetReset> {
  const resets = new Map<string, OffsetReset>();
  for (const node of sub.nodes) {
    if (node.kind !== 'source') continue;
    for (const topic of node.topics.map((t) => sub.topicName(t))) {
      if (repartitionTopics.has(topic)) resets.set(topic, 'earliest');
      else if (node.offsetReset !== undefined) resets.set(topic, node.offsetReset);
    }
  }
  return resets;
}
