import type { StreamPartitioner } from '../processor/index.ts';
import type { Serde } from '../serde/index.ts';

/**
 * Options of `KStream.repartition()`: the internal topic's name (`<application.id>-<name>-repartition`),
 * its partition count, serdes and partitioner.
 *
 * @example
 * orders.selectKey((_k, o) => o.user).repartition(Repartitioned.as('orders-by-user').withNumberOfPartitions(8));
 */
export class Repartitioned<K, V> {
  private constructor(
    readonly name: string | undefined,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly numberOfPartitions: number | undefined,
    readonly partitioner: StreamPartitioner<K, V> | undefined,
  ) {}

  static as<K, V>(name: string): Repartitioned<K, V> {
    return new Repartitioned<K, V>(name, undefined, undefined, undefined, undefined);
  }

  static with<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>): Repartitioned<K, V> {
    return new Repartitioned(undefined, keySerde, valueSerde, undefined, undefined);
  }

  static numberOfPartitions<K, V>(partitions: number): Repartitioned<K, V> {
    return new Repartitioned<K, V>(undefined, undefined, undefined, partitions, undefined);
  }

  withName(name: string): Repartitioned<K, V> {
    return new Repartitioned(name, this.keySerde, this.valueSerde, this.numberOfPartitions, this.partitioner);
  }

  withKeySerde<K2>(keySerde: Serde<K2>): Repartitioned<K2, V> {
    return new Repartitioned(this.name, keySerde, this.valueSerde, this.numberOfPartitions, this.partitioner as StreamPartitioner<K2, V> | undefined);
  }

  withValueSerde<V2>(valueSerde: Serde<V2>): Repartitioned<K, V2> {
    return new Repartitioned(this.name, this.keySerde, valueSerde, this.numberOfPartitions, this.partitioner as StreamPartitioner<K, V2> | undefined);
  }

  withNumberOfPartitions(partitions: number): Repartitioned<K, V> {
    return new Repartitioned(this.name, this.keySerde, this.valueSerde, partitions, this.partitioner);
  }

  withStreamPartitioner(partitioner: StreamPartitioner<K, V>): Repartitioned<K, V> {
    return new Repartitioned(this.name, this.keySerde, this.valueSerde, this.numberOfPartitions, partitioner);
  }
}
