import { StreamsError } from '../common/index.ts';
import type { Cluster, TopicSpec } from '../client/index.ts';
import type { Topology } from '../topology/index.ts';
import type { TaskPlan } from './task-plan.ts';
import type { TaskTopology } from './task/task-topology.ts';
import { changelogTopicFor } from './task/task-store-context.ts';

/** A sub-topology with the partition count its tasks run on. */
export interface PlannedSubtopology {
  readonly topology: TaskTopology;
  readonly partitions: number;
  /** The run-time names of the topics its sources read. */
  readonly inputTopics: readonly string[];
}

/**
 * Works out every sub-topology's partition count and creates the internal topics, as Kafka
 * Streams does at startup: user source topics must exist and, within a sub-topology, have equal
 * partition counts (co-partitioning); a repartition topic gets its fixed count or the largest count
 * of the sub-topology writing to it; a changelog gets its store's sub-topology's count and is
 * compacted.
 */
export async function prepareTopics(topology: Topology, plan: TaskPlan, applicationId: string, cluster: Cluster): Promise<PlannedSubtopology[]> {
  const internalName = (name: string) => `${applicationId}-${name}`;
  const repartitionCounts = new Map<string, number>();
  const planned: PlannedSubtopology[] = [];
  // Sub-topologies are numbered upstream first, so a repartition topic's writer is planned before its readers.
  for (const sub of plan.subtopologies) {
    const inputs = sub.nodes.flatMap((n) => (n.kind === 'source' ? n.topics.map((t) => sub.topicName(t)) : []));
    if (sub.nodes.some((n) => n.kind === 'source' && n.pattern !== undefined)) {
      throw new StreamsError('TOPOLOGY_ERROR', 'pattern sources are not supported by the runtime yet; name the source topics');
    }
    const counts = new Map<string, number>();
    for (const topic of inputs) {
      const fixed = repartitionCounts.get(topic);
      const count = fixed ?? (await cluster.partitionCount(topic));
      if (count === undefined) {
        throw new StreamsError('UNKNOWN_TOPIC', `source topic "${topic}" does not exist; create it first (e.g. \`kstreams topics create ${topic} --partitions N\`)`, { location: { topic } });
      }
      counts.set(topic, count);
    }
    const distinct = new Set(counts.values());
    if (distinct.size > 1) {
      const list = [...counts].map(([t, n]) => `"${t}" (${n})`).join(', ');
      throw new StreamsError('TOPOLOGY_ERROR', `sub-topology ${sub.subtopologyId} reads topics with different partition counts: ${list}; co-partitioned topics need the same count`);
    }
    const partitions = [...distinct][0] ?? 1;
    planned.push({ topology: sub, partitions, inputTopics: inputs });
    for (const node of sub.nodes) {
      if (node.kind !== 'sink' || typeof node.topic !== 'string') continue;
      const internal = topology.internalTopics.get(node.topic);
      if (internal?.kind === 'repartition') {
        const name = internalName(node.topic);
        repartitionCounts.set(name, Math.max(repartitionCounts.get(name) ?? 0, internal.partitions ?? partitions));
      }
    }
  }
  const specs: TopicSpec[] = [...repartitionCounts].map(([name, partitions]) => ({ name, partitions, config: { 'cleanup.policy': 'delete' } }));
  for (const sub of planned) {
    for (const store of sub.topology.stores) {
      if (!store.builder.loggingEnabled) continue;
      specs.push({ name: changelogTopicFor(applicationId, store.builder.name), partitions: sub.partitions, config: { 'cleanup.policy': 'compact', ...store.builder.logConfig } });
    }
  }
  await cluster.ensureTopics(specs);
  return planned;
}
