import { globalTopics, isGlobalGroup, javaCompare, makeNodeGroups } from './node-groups.ts';
import { javaHashSetOrder } from './java-hash-set-order.ts';
import type { Topology } from './topology.ts';

/** One node as `describe()` shows it: its kind, name, edges and what it reads, writes or uses. */
export interface NodeDescription {
  readonly kind: 'source' | 'processor' | 'sink';
  readonly name: string;
  /** Source topics (in Kafka's printed order), or the sink's topic. */
  readonly topics: readonly string[];
  readonly topicPattern: string | undefined;
  /** A sink that picks its topic per record: the extractor's name. */
  readonly topicExtractor: string | undefined;
  readonly stores: readonly string[];
  readonly successors: readonly string[];
  readonly predecessors: readonly string[];
}

/** A sub-topology: an id and its nodes in Kafka's order (larger sub-trees first, then by name). */
export interface SubtopologyDescription {
  readonly id: number;
  readonly nodes: readonly NodeDescription[];
}

/** A global store: the sub-topology of its source and update processor (it runs no tasks). */
export interface GlobalStoreDescription {
  readonly id: number;
  readonly source: NodeDescription;
  readonly processor: NodeDescription;
}

/**
 * What a topology is made of, as Kafka Streams' `TopologyDescription`. `toString()` gives Kafka's
 * exact text, so tools that read it (topology visualizers) work; `toMermaid()` draws it.
 *
 * @example
 * console.log(builder.build().describe().toString());
 */
export class TopologyDescription {
  constructor(
    readonly subtopologies: readonly SubtopologyDescription[],
    readonly globalStores: readonly GlobalStoreDescription[],
  ) {}

  /** Kafka Streams' text: `Topologies:`, each sub-topology and global store in id order. */
  toString(): string {
    const parts: Array<{ id: number; text: string }> = [
      ...this.subtopologies.map((s) => ({ id: s.id, text: `Sub-topology: ${s.id}\n${s.nodes.map((n) => `    ${nodeText(n)}\n`).join('')}\n` })),
      ...this.globalStores.map((g) => ({
        id: g.id,
        text: `Sub-topology: ${g.id} for global store (will not generate tasks)\n    ${nodeText(g.source)}\n    ${nodeText(g.processor)}\n`,
      })),
    ].sort((a, b) => a.id - b.id);
    return `Topologies:\n ${parts.map((p) => `  ${p.text}`).join('')}`;
  }

  /**
   * A Mermaid flowchart: one box per sub-topology, topics as stadiums, stores as cylinders.
   * Paste it into Markdown (```mermaid) or https://mermaid.live.
   */
  toMermaid(): string {
    const lines = ['flowchart TD'];
    // Mermaid ids are short and stable: n<i> for nodes, t<i> for topics, s<i> for stores.
    const ids = { n: new Map<string, string>(), t: new Map<string, string>(), s: new Map<string, string>() };
    const id = (kind: 'n' | 't' | 's', name: string): string => {
      const known = ids[kind];
      let value = known.get(name);
      if (value === undefined) known.set(name, (value = `${kind}${known.size}`));
      return value;
    };
    const topics = new Set<string>();
    const stores = new Set<string>();
    const edges: string[] = [];
    const drawNodes = (nodes: readonly NodeDescription[]): void => {
      for (const node of nodes) {
        lines.push(`    ${id('n', node.name)}["${escape(node.name)}"]`);
        for (const successor of node.successors) edges.push(`  ${id('n', node.name)} --> ${id('n', successor)}`);
        for (const topic of node.topics) {
          topics.add(topic);
          if (node.kind === 'source') edges.push(`  ${id('t', topic)} --> ${id('n', node.name)}`);
          else edges.push(`  ${id('n', node.name)} --> ${id('t', topic)}`);
        }
        for (const store of node.stores) {
          stores.add(store);
          edges.push(`  ${id('n', node.name)} -.- ${id('s', store)}`);
        }
      }
    };
    for (const sub of this.subtopologies) {
      lines.push(`  subgraph sub${sub.id}["Sub-topology ${sub.id}"]`);
      drawNodes(sub.nodes);
      lines.push('  end');
    }
    for (const global of this.globalStores) {
      lines.push(`  subgraph sub${global.id}["Global store (sub-topology ${global.id})"]`);
      drawNodes([global.source, global.processor]);
      lines.push('  end');
    }
    for (const topic of topics) lines.push(`  ${id('t', topic)}(["${escape(topic)}"])`);
    for (const store of stores) lines.push(`  ${id('s', store)}[("${escape(store)}")]`);
    return [...lines, ...edges].join('\n') + '\n';
  }
}

function escape(text: string): string {
  return text.replace(/"/g, '#quot;');
}

function nodeText(node: NodeDescription): string {
  const names = (list: readonly string[]) => (list.length === 0 ? 'none' : list.join(', '));
  switch (node.kind) {
    case 'source': {
      const what = node.topicPattern !== undefined ? `topic pattern: ${node.topicPattern}` : `topics: [${node.topics.join(', ')}]`;
      return `Source: ${node.name} (${what})\n      --> ${names(node.successors)}`;
    }
    case 'processor':
      return `Processor: ${node.name} (stores: [${node.stores.join(', ')}])\n      --> ${names(node.successors)}\n      <-- ${names(node.predecessors)}`;
    case 'sink': {
      const what = node.topicExtractor !== undefined ? `extractor class: ${node.topicExtractor}` : `topic: ${node.topics[0]}`;
      return `Sink: ${node.name} (${what})\n      <-- ${names(node.predecessors)}`;
    }
  }
}

/** Builds the description of a topology (see `Topology.describe()`). */
export function describeTopology(topology: Topology): TopologyDescription {
  const globals = globalTopics(topology);
  const subtopologies: SubtopologyDescription[] = [];
  const globalStores: GlobalStoreDescription[] = [];
  for (const [id, group] of makeNodeGroups(topology)) {
    const nodes = describeGroup(topology, group);
    if (isGlobalGroup(topology, group, globals)) {
      const source = nodes.find((n) => n.kind === 'source')!;
      const processor = nodes.find((n) => n.kind === 'processor')!;
      globalStores.push({ id, source, processor });
    } else {
      subtopologies.push({ id, nodes });
    }
  }
  return new TopologyDescription(subtopologies, globalStores);
}

/**
 * The group's nodes in Kafka's order. Kafka connects the nodes one by one, in the iteration order
 * of a Java HashMap keyed by name, keeping each node's successors and predecessors in sorted sets
 * whose order is fixed when an entry is added — "larger sub-tree first, then by name", with the
 * sizes known at that moment. Replaying the same steps gives the same edge order; the node list
 * itself is sorted with the final sizes.
 */
function describeGroup(topology: Topology, group: ReadonlySet<string>): NodeDescription[] {
  const size = new Map<string, number>([...group].map((name) => [name, 1]));
  const successors = new Map<string, string[]>([...group].map((name) => [name, []]));
  const predecessors = new Map<string, string[]>([...group].map((name) => [name, []]));
  const order = (a: string, b: string): number => size.get(b)! - size.get(a)! || javaCompare(a, b);
  const insert = (list: string[], name: string): void => {
    if (list.includes(name)) return;
    const at = list.findIndex((existing) => order(name, existing) < 0);
    if (at === -1) list.push(name);
    else list.splice(at, 0, name);
  };
  const grow = (name: string, delta: number): void => {
    size.set(name, size.get(name)! + delta);
    for (const predecessor of predecessors.get(name)!) grow(predecessor, delta);
  };
  for (const name of javaHashSetOrder(group)) {
    const node = topology.nodes.get(name)!;
    if (node.kind === 'source') continue;
    for (const parent of node.parents) {
      insert(predecessors.get(name)!, parent);
      insert(successors.get(parent)!, name);
      grow(parent, size.get(name)!);
    }
  }
  return [...group].sort(order).map((name) => {
    const node = topology.nodes.get(name)!;
    return {
      kind: node.kind,
      name,
      topics: node.kind === 'source' ? javaHashSetOrder(node.topics) : node.kind === 'sink' && typeof node.topic === 'string' ? [node.topic] : [],
      topicPattern: node.kind === 'source' && node.pattern !== undefined ? node.pattern.source : undefined,
      topicExtractor: node.kind === 'sink' && typeof node.topic !== 'string' ? node.topic.name || 'TopicNameExtractor' : undefined,
      stores: node.kind === 'processor' ? javaHashSetOrder(node.stores) : [],
      successors: successors.get(name)!,
      predecessors: predecessors.get(name)!,
    };
  });
}
