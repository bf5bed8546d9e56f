import type { OffsetReset } from '../topology/index.ts';
import type { TimestampExtractor } from '../processor/index.ts';
import type { Serde } from '../serde/index.ts';

/**
 * How a topic is read: its serdes (else `default.key.serde` / `default.value.serde`), the
 * timestamp extractor, where to start without a committed offset, and the source's name.
 *
 * @example
 * builder.stream('orders', Consumed.with(Serdes.String(), Serdes.Json<Order>()));
 */
export class Consumed<K, V> {
  private constructor(
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly processorName: string | undefined,
    readonly timestampExtractor: TimestampExtractor | undefined,
    readonly offsetReset: OffsetReset | undefined,
  ) {}

  static with<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>): Consumed<K, V> {
    return new Consumed(keySerde, valueSerde, undefined, undefined, undefined);
  }

  /** Names the source node. */
  static as<K, V>(processorName: string): Consumed<K, V> {
    return new Consumed<K, V>(undefined, undefined, processorName, undefined, undefined);
  }

  withKeySerde<K2>(keySerde: Serde<K2>): Consumed<K2, V> {
    return new Consumed(keySerde, this.valueSerde, this.processorName, this.timestampExtractor, this.offsetReset);
  }

  withValueSerde<V2>(valueSerde: Serde<V2>): Consumed<K, V2> {
    return new Consumed(this.keySerde, valueSerde, this.processorName, this.timestampExtractor, this.offsetReset);
  }

  withName(processorName: string): Consumed<K, V> {
    return new Consumed(this.keySerde, this.valueSerde, processorName, this.timestampExtractor, this.offsetReset);
  }

  withTimestampExtractor(extractor: TimestampExtractor): Consumed<K, V> {
    return new Consumed(this.keySerde, this.valueSerde, this.processorName, extractor, this.offsetReset);
  }

  withOffsetResetPolicy(reset: OffsetReset): Consumed<K, V> {
    return new Consumed(this.keySerde, this.valueSerde, this.processorName, this.timestampExtractor, reset);
  }
}
