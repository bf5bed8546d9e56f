import type { Serde } from '../serde/index.ts';

/**
 * Serdes and a name for a stream-table join (Kafka's Joined): the stream's key and value serdes
 * (used when the stream must be repartitioned first) and the table's value serde. The name, when
 * given, names the join processor and its repartition topic.
 *
 * @example
 * orders.join(customers, enrich, Joined.with(Serdes.String(), orderSerde, customerSerde));
 */
export class Joined<K, V, VO> {
  private constructor(
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly otherValueSerde: Serde<VO> | undefined,
    readonly name: string | undefined,
  ) {}

  static with<K, V, VO>(keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined, otherValueSerde: Serde<VO> | undefined): Joined<K, V, VO> {
    return new Joined(keySerde, valueSerde, otherValueSerde, undefined);
  }

  static as<K, V, VO>(name: string): Joined<K, V, VO> {
    return new Joined<K, V, VO>(undefined, undefined, undefined, name);
  }

  withName(name: string): Joined<K, V, VO> {
    return new Joined(this.keySerde, this.valueSerde, this.otherValueSerde, name);
  }
}
