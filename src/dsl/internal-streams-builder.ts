import { Topology } from '../topology/index.ts';
import type { NameProvider } from './aggregation-node.ts';
import type { NullKeyPolicy } from './processors/repartition-null-key-filter.ts';

/**
 * The state behind a StreamsBuilder that every KStream/KTable handle shares: the one name counter
 * (so names follow Kafka's `PREFIX-0000000007` numbering across operations) and the graph, kept as
 * the steps that write each node into a Topology, in the order the DSL calls were made — parents
 * always come before their children.
 */
export class InternalStreamsBuilder implements NameProvider {
  private index = 0;
  private readonly steps: Array<(topology: Topology) => void> = [];
  private built = false;
  /** Joins that accept null keys (Kafka's NULL_KEY_RELAXED_JOIN label). */
  private readonly nullKeyJoins = new Set<string>();
  /** Stream repartition topics, by the source that reads them back, with their null-key policy. */
  private readonly repartitionPolicies = new Map<string, NullKeyPolicy>();

  newProcessorName(prefix: string): string {
    return `${prefix}-${this.nextIndex()}`;
  }

  /**
   * The name a user gave (`Named`, `Consumed.as`, `Produced.as`...) or a generated one. A given name
   * still takes an index, as Kafka's NamedInternal does, so the generated names after it are
   * Kafka's.
   */
  processorName(given: string | undefined, prefix: string): string {
    const generated = this.newProcessorName(prefix);
    return given ?? generated;
  }

  newStoreName(prefix: string): string {
    return `${prefix}-STATE-STORE-${this.nextIndex()}`;
  }

  private nextIndex(): string {
    return String(this.index++).padStart(10, '0');
  }

  /** Records a step that writes nodes into the topology at `build()`. */
  add(step: (topology: Topology) => void): void {
    this.steps.push(step);
  }

  /** Marks the processor of a join that accepts records with a null key (left and outer joins of streams). */
  markNullKeyJoin(processorName: string): void {
    this.nullKeyJoins.add(processorName);
  }

  /**
   * The null-key policy of the repartition topic read back by `sourceName`: settled at `build()`,
   * it keeps null keys only when a null-key join is downstream of that source.
   */
  repartitionNullKeyPolicy(sourceName: string): NullKeyPolicy {
    const policy: NullKeyPolicy = { keepsNullKeys: false };
    this.repartitionPolicies.set(sourceName, policy);
    return policy;
  }

  /** Writes every node into a new Topology; a builder builds once, as Kafka's does. */
  build(): Topology {
    this.built = true;
    const topology = new Topology();
    for (const step of this.steps) step(topology);
    for (const [sourceName, policy] of this.repartitionPolicies) policy.keepsNullKeys = this.reachesNullKeyJoin(topology, sourceName);
    return topology;
  }

  get isBuilt(): boolean {
    return this.built;
  }

  /** Whether a null-key join is downstream of `start`, through repartition topics too. */
  private reachesNullKeyJoin(topology: Topology, start: string): boolean {
    if (this.nullKeyJoins.size === 0) return false;
    const seen = new Set<string>();
    const pending = [start];
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      if (name !== start && this.nullKeyJoins.has(name)) return true;
      const node = topology.nodes.get(name);
      if (node === undefined) continue;
      if (node.kind !== 'sink') {
        pending.push(...node.children);
      } else if (typeof node.topic === 'string' && topology.internalTopics.get(node.topic)?.kind === 'repartition') {
        const next = topology.sourceOfTopic(node.topic);
        if (next !== undefined) pending.push(next);
      }
    }
    return false;
  }
}
