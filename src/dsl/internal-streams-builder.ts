import { Topology } from '../topology/index.ts';
import type { NameProvider } from './aggregation-node.ts';

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

  /** Writes every node into a new Topology; a builder builds once, as Kafka's does. */
  build(): Topology {
    this.built = true;
    const topology = new Topology();
    for (const step of this.steps) step(topology);
    return topology;
  }

  get isBuilt(): boolean {
    return this.built;
  }
}
