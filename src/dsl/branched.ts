import type { KStream } from './kstream.ts';

/**
 * Names one branch of `KStream.split()` and, optionally, what happens to it: `withFunction` puts
 * the function's result in the branch map, `withConsumer` hands the branch to a function and
 * leaves it out of the map.
 *
 * @example
 * stream.split(Named.as('orders-')).branch((_key, o) => o.amount > 100, Branched.as('large')).defaultBranch(Branched.as('small'));
 * // → { 'orders-large': KStream, 'orders-small': KStream }
 */
export class Branched<K, V> {
  private constructor(
    readonly name: string | undefined,
    readonly chain: ((branch: KStream<K, V>) => KStream<K, V> | undefined | void) | undefined,
    readonly keepInMap: boolean,
  ) {}

  static as<K, V>(name: string): Branched<K, V> {
    return new Branched<K, V>(name, undefined, true);
  }

  static withFunction<K, V>(chain: (branch: KStream<K, V>) => KStream<K, V> | undefined, name?: string): Branched<K, V> {
    return new Branched(name, chain, true);
  }

  static withConsumer<K, V>(consumer: (branch: KStream<K, V>) => void, name?: string): Branched<K, V> {
    return new Branched(name, consumer, false);
  }
}
