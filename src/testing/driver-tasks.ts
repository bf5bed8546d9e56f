import type { TaskTopology } from '../runtime/index.ts';
import type { StoreRegistration, Topology, TopologyNode } from '../topology/index.ts';

/** The tasks a TopologyTestDriver runs: one per sub-topology (all on partition 0) and the global one. */
export interface DriverTaskPlan {
  /** Sub-topologies that read from a source other than a global store's topic, in id order. */
  readonly subtopologies: readonly TaskTopology[];
  /** The global stores' sources and processors, when the topology has global stores. */
  readonly global: TaskTopology | undefined;
  /** Run-time names of the topics sinks write to (fixed topics only). */
  readonly sinkTopics: ReadonlySet<string>;
}

/**
 * Splits a topology into the tasks the driver runs. Nodes joined by an edge, or by a store they
 * share, belong to one sub-topology, as in Kafka Streams; ids follow the order of each group's
 * first node. Internal topics get the `<application.id>-` prefix.
 */
export function planDriverTasks(topology: Topology, applicationId: string): DriverTaskPlan {
  const topicName = (name: string) => (topology.internalTopics.has(name) ? `${applicationId}-${name}` : name);
  const groups = groupNodes(topology);
  const globalStores = [...topology.stores.values()].filter((s) => s.globalTopic !== undefined);
  const globalNodeNames = new Set(globalStores.flatMap((s) => s.processors.flatMap((p) => [p, ...parentsOf(topology, p)])));

  const subtopologies: TaskTopology[] = [];
  const globalNodes: TopologyNode[] = [];
  for (const group of groups) {
    if (group.some((node) => globalNodeNames.has(node.name))) {
      globalNodes.push(...group);
      continue;
    }
    subtopologies.push({ subtopologyId: subtopologies.length, nodes: group, stores: storesOf(topology, group), topicName });
  }
  const global = globalNodes.length === 0
    ? undefined
    : { subtopologyId: subtopologies.length, nodes: globalNodes, stores: globalStores, topicName };

  const sinkTopics = new Set<string>();
  for (const node of topology.nodes.values()) {
    if (node.kind === 'sink' && typeof node.topic === 'string') sinkTopics.add(topicName(node.topic));
  }
  return { subtopologies, global, sinkTopics };
}

/** Connected groups of nodes (edges and shared stores), each in topology insertion order. */
function groupNodes(topology: Topology): TopologyNode[][] {
  const root = new Map<string, string>();
  const find = (name: string): string => {
    let current = name;
    while (root.get(current) !== current) current = root.get(current)!;
    root.set(name, current);
    return current;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) root.set(rb, ra);
  };
  for (const name of topology.nodes.keys()) root.set(name, name);
  for (const node of topology.nodes.values()) {
    if (node.kind !== 'source') for (const parent of node.parents) union(parent, node.name);
  }
  for (const store of topology.stores.values()) {
    for (const processor of store.processors.slice(1)) union(store.processors[0]!, processor);
  }
  const groups = new Map<string, TopologyNode[]>();
  for (const node of topology.nodes.values()) {
    const key = find(node.name);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [node]);
    else group.push(node);
  }
  return [...groups.values()];
}

function parentsOf(topology: Topology, name: string): string[] {
  const node = topology.nodes.get(name);
  return node === undefined || node.kind === 'source' ? [] : [...node.parents];
}

function storesOf(topology: Topology, group: readonly TopologyNode[]): StoreRegistration[] {
  const names = new Set(group.map((n) => n.name));
  return [...topology.stores.values()].filter((s) => s.globalTopic === undefined && s.processors.some((p) => names.has(p)));
}
