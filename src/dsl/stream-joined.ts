import type { Serde } from '../serde/index.ts';

/**
 * Serdes, names and store settings of a stream-stream join (Kafka's StreamJoined): the shared key
 * serde and each side's value serde (for the join's window stores and repartition topics), a name
 * for the processors, and a base name for the stores (`<name>-this-join-store`, ...).
 *
 * @example
 * orders.join(payments, match, JoinWindows.ofTimeDifferenceWithNoGrace('PT10M'), StreamJoined.with(Serdes.String(), orderSerde, paymentSerde));
 */
export class StreamJoined<K, V, VO> {
  private constructor(
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly otherValueSerde: Serde<VO> | undefined,
    readonly name: string | undefined,
    readonly storeName: string | undefined,
    readonly loggingEnabled: boolean,
  ) {}

  static with<K, V, VO>(keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined, otherValueSerde: Serde<VO> | undefined): StreamJoined<K, V, VO> {
    return new StreamJoined(keySerde, valueSerde, otherValueSerde, undefined, undefined, true);
  }

  static as<K, V, VO>(storeName: string): StreamJoined<K, V, VO> {
    return new StreamJoined<K, V, VO>(undefined, undefined, undefined, undefined, storeName, true);
  }

  /** Names the join processors (`<name>-this-join`, ...) and repartition topics. */
  withName(name: string): StreamJoined<K, V, VO> {
    return new StreamJoined(this.keySerde, this.valueSerde, this.otherValueSerde, name, this.storeName, this.loggingEnabled);
  }

  /** Base name of the join's stores, which also names their changelog topics. */
  withStoreName(storeName: string): StreamJoined<K, V, VO> {
    return new StreamJoined(this.keySerde, this.valueSerde, this.otherValueSerde, this.name, storeName, this.loggingEnabled);
  }

  withKeySerde(keySerde: Serde<K>): StreamJoined<K, V, VO> {
    return new StreamJoined(keySerde, this.valueSerde, this.otherValueSerde, this.name, this.storeName, this.loggingEnabled);
  }

  withValueSerde(valueSerde: Serde<V>): StreamJoined<K, V, VO> {
    return new StreamJoined(this.keySerde, valueSerde, this.otherValueSerde, this.name, this.storeName, this.loggingEnabled);
  }

  withOtherValueSerde(otherValueSerde: Serde<VO>): StreamJoined<K, V, VO> {
    return new StreamJoined(this.keySerde, this.valueSerde, otherValueSerde, this.name, this.storeName, this.loggingEnabled);
  }

  /** No changelogs for the join's stores: after a restart, the join windows start empty. */
  withLoggingDisabled(): StreamJoined<K, V, VO> {
    return new StreamJoined(this.keySerde, this.valueSerde, this.otherValueSerde, this.name, this.storeName, false);
  }
}
