import type { StreamPartitioner } from '../processor/index.ts';
import type { Serde } from '../serde/index.ts';

/**
 * How records are written to a topic: serdes (else the config defaults), a partitioner (else
 * Kafka's murmur2 of the key bytes) and the sink's name.
 *
 * @example
 * counts.toStream().to('counts', Produced.with(Serdes.String(), Serdes.Long()));
 */
export class Produced<K, V> {
  private constructor(
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly processorName: string | undefined,
    readonly partitioner: StreamPartitioner<K, V> | undefined,
  ) {}

  static with<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>, partitioner?: StreamPartitioner<K, V>): Produced<K, V> {
    return new Produced(keySerde, valueSerde, undefined, partitioner);
  }

  static as<K, V>(processorName: string): Produced<K, V> {
    return new Produced<K, V>(undefined, undefined, processorName, undefined);
  }

  withKeySerde<K2>(keySerde: Serde<K2>): Produced<K2, V> {
    return new Produced(keySerde, this.valueSerde, this.processorName, this.partitioner as StreamPartitioner<K2, V> | undefined);
  }

  withValueSerde<V2>(valueSerde: Serde<V2>): Produced<K, V2> {
    return new Produced(this.keySerde, valueSerde, this.processorName, this.partitioner as StreamPartitioner<K, V2> | undefined);
  }

  withName(processorName: string): Produced<K, V> {
    return new Produced(this.keySerde, this.valueSerde, processorName, this.partitioner);
  }

  withStreamPartitioner(partitioner: StreamPartitioner<K, V>): Produced<K, V> {
    return new Produced(this.keySerde, this.valueSerde, this.processorName, partitioner);
  }
}
