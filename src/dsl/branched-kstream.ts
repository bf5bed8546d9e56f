import type { Branched } from './branched.ts';
import { KStream } from './kstream.ts';
import type { Predicate } from './processors/stream-filter.ts';
import { passThroughProcessor } from './processors/stream-peek.ts';
import { streamBranchProcessor } from './processors/stream-branch.ts';

/**
 * The branches of `KStream.split()` (Kafka's BranchedKStream). Each record goes to the first branch
 * whose predicate it passes. Branch names are the split's name followed by the `Branched` name, or
 * by the branch's position (from 1; the default branch is 0), and name the branch's processor too.
 *
 * @example
 * const branches = orders.split(Named.as('orders-'))
 *   .branch((_key, o) => o.amount >= 100, Branched.as('large'))
 *   .defaultBranch(Branched.as('small'));
 * branches['orders-large']!.to('large-orders');
 */
export class BranchedKStream<K, V> {
  private readonly branches: Array<{ predicate: Predicate<K, V>; child: string }> = [];
  private defaultChild: string | undefined;
  private readonly result: { [name: string]: KStream<K, V> } = {};

  /** @internal Made by `KStream.split()`. */
  constructor(
    private readonly source: KStream<K, V>,
    private readonly splitName: string,
  ) {
    const parent = source.name;
    // The branch list is read when tasks build their processors, after every branch was added.
    source.builder.add((topology) =>
      topology.addProcessor(splitName, () => streamBranchProcessor(this.branches, this.defaultChild)(), parent),
    );
  }

  /** Adds a branch for the records that pass `predicate` (and no earlier branch). */
  branch(predicate: Predicate<K, V>, branched?: Branched<K, V>): this {
    const child = this.addBranch(String(this.branches.length + 1), branched);
    this.branches.push({ predicate, child });
    return this;
  }

  /** Ends the split with a branch for every record no other branch took; returns the branches by name. */
  defaultBranch(branched?: Branched<K, V>): { [name: string]: KStream<K, V> } {
    this.defaultChild = this.addBranch('0', branched);
    return this.result;
  }

  /** Ends the split; records no branch took are dropped. Returns the branches by name. */
  noDefaultBranch(): { [name: string]: KStream<K, V> } {
    return this.result;
  }

  private addBranch(position: string, branched: Branched<K, V> | undefined): string {
    const name = `${this.splitName}${branched?.name ?? position}`;
    const builder = this.source.builder;
    const parent = this.splitName;
    builder.add((topology) => topology.addProcessor(name, passThroughProcessor<K, V>(), parent));
    const stream = new KStream<K, V>(builder, name, this.source.keySerde, this.source.valueSerde, this.source.repartitionRequired);
    if (branched?.chain === undefined) {
      this.result[name] = stream;
    } else {
      const chained = branched.chain(stream);
      if (branched.keepInMap && chained) this.result[name] = chained;
    }
    return name;
  }
}
