import type { TaskTopology } from './task/task-topology.ts';
import { makeNodeGroups } from '../topology/index.ts';
import type { StoreRegistration, Topology, TopologyNode } from '../topology/index.ts';

/** The sub-topologies a runner turns into tasks (one per partition), and the global one. */
export interface TaskPlan {
  /** Sub-topologies that read from a source other than a global store's topic, in id order. */
  readonly subtopologies: readonly TaskTopology[];
  /** The global stores' sources and processors, when the topology has global stores. */
  readonly global: TaskTopology | undefined;
  /** Run-time names of the topics sinks write to (fixed topics only). */
  readonly sinkTopics: ReadonlySet<string>;
}

/**
 * Splits a topology into Kafka Streams' sub-topologies with their ids (`makeNodeGroups`), so task
 * ids match `describe()`. Internal topics get the `<application.id>-` prefix. Used by the
 * TopologyTestDriver (partition 0 only) and by KafkaStreams (every partition).
 */
export function planTasks(topology: Topology, applicationId: string): TaskPlan {
  const topicName = (name: string) => (topology.internalTopics.has(name) ? `${applicationId}-${name}` : name);
  const groups = groupNodes(topology);
  const globalStores = [...topology.stores.values()].filter((s) => s.globalTopic !== undefined);
  const globalNodeNames = new Set(globalStores.flatMap((s) => s.processors.flatMap((p) => [p, ...parentsOf(topology, p)])));

  const subtopologies: TaskTopology[] = [];
  const globalNodes: TopologyNode[] = [];
  let globalId = -1;
  for (const { id, nodes: group } of groups) {
    if (group.some((node) => globalNodeNames.has(node.name))) {
      globalNodes.push(...group);
      if (globalId === -1) globalId = id;
      continue;
    }
    subtopologies.push({ subtopologyId: id, nodes: group, stores: storesOf(topology, group), topicName });
  }
  const global = globalNodes.length === 0
    ? undefined
    : { subtopologyId: globalId, nodes: globalNodes, stores: globalStores, topicName };

  const sinkTopics = new Set<string>();
  for (const node of topology.nodes.values()) {
    if (node.kind === 'sink' && typeof node.topic === 'string') sinkTopics.add(topicName(node.topic));
  }
  return { subtopologies, global, sinkTopics };
}

/** Kafka's node groups with their ids, each group's nodes in topology insertion order. */
function groupNodes(topology: Topology): Array<{ id: number; nodes: TopologyNode[] }> {
  return [...makeNodeGroups(topology)].map(([id, names]) => ({ id, nodes: [...topology.nodes.values()].filter((n) => names.has(n.name)) }));
}

function parentsOf(topology: Topology, name: string): string[] {
  const node = topology.nodes.get(name);
  return node === undefined || node.kind === 'source' ? [] : [...node.parents];
}

function storesOf(topology: Topology, group: readonly TopologyNode[]): StoreRegistration[] {
  const names = new Set(group.map((n) => n.name));
  return [...topology.stores.values()].filter((s) => s.globalTopic === undefined && s.processors.some((p) => names.has(p)));
}
