import type { Topology } from './topology.ts';

/**
 * Groups a topology's nodes into sub-topologies and numbers them exactly as Kafka Streams does
 * (InternalTopologyBuilder#makeNodeGroups), so task ids `<subtopology>_<partition>` and
 * `describe()` match a Java application built from the same program:
 * nodes joined by an edge or by a shared state store form one group; groups are numbered in the
 * order their first node was added to the topology, so upstream sub-topologies come before
 * downstream ones. A group holding a global store's source is numbered too (its id is printed,
 * but it runs no tasks).
 */
export function makeNodeGroups(topology: Topology): Map<number, Set<string>> {
  const root = new Map<string, string>();
  const find = (name: string): string => {
    let current = name;
    while (root.get(current) !== current) current = root.get(current)!;
    root.set(name, current);
    return current;
  };
  const unite = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) root.set(rb, ra);
  };
  for (const name of topology.nodes.keys()) root.set(name, name);
  for (const node of topology.nodes.values()) {
    if (node.kind !== 'source') for (const parent of node.parents) unite(node.name, parent);
  }
  for (const store of topology.stores.values()) {
    for (const processor of store.processors.slice(1)) unite(store.processors[0]!, processor);
  }

  const groups = new Map<number, Set<string>>();
  const groupOfRoot = new Map<string, Set<string>>();
  let nextId = 0;
  const place = (name: string): void => {
    const r = find(name);
    let group = groupOfRoot.get(r);
    if (group === undefined) {
      group = new Set();
      groupOfRoot.set(r, group);
      groups.set(nextId++, group);
    }
    group.add(name);
  };
  for (const name of topology.nodes.keys()) place(name);
  return groups;
}

/** Java's String.compareTo order (UTF-16 code units), which is JavaScript's `<` on strings. */
export function javaCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The names of the global stores' source topics. */
export function globalTopics(topology: Topology): Set<string> {
  const topics = new Set<string>();
  for (const store of topology.stores.values()) if (store.globalTopic !== undefined) topics.add(store.globalTopic);
  return topics;
}

/** True when the group holds the source of a global store (it is described, not run as tasks). */
export function isGlobalGroup(topology: Topology, group: ReadonlySet<string>, globals: ReadonlySet<string>): boolean {
  for (const name of group) {
    const node = topology.nodes.get(name)!;
    if (node.kind === 'source' && node.topics.some((t) => globals.has(t))) return true;
  }
  return false;
}
