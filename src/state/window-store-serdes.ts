import { StreamsError } from '../common/index.ts';
import type { Serde } from '../serde/index.ts';
import type { StateStoreContext } from './api.ts';
import { resolveStoreSerde } from './store-serdes.ts';

/**
 * The serdes of a window or session store, resolved at init and called with the store's changelog
 * topic name, as Kafka does. Keeps the last serialized primitive key: an update reads then writes
 * the same key.
 */
export class StoreSerdes<K, V> {
  private keySerde: Serde<K> | undefined;
  private valueSerde: Serde<V> | undefined;
  private topic = '';
  private lastKey: unknown = undefined;
  private lastKeyBytes: Buffer | undefined;

  constructor(
    private readonly storeName: string,
    private readonly givenKeySerde: Serde<K> | undefined,
    private readonly givenValueSerde: Serde<unknown> | undefined,
    private readonly wrapValueSerde: (resolved: Serde<unknown>) => Serde<V>,
    /** Applied to `default.key.serde` when no key serde was given (e.g. to make it windowed). */
    private readonly wrapDefaultKeySerde: (resolved: Serde<unknown>) => Serde<K> = (resolved) => resolved as Serde<K>,
  ) {}

  init(context: StateStoreContext): void {
    this.keySerde = this.givenKeySerde ?? this.wrapDefaultKeySerde(resolveStoreSerde(undefined, 'key', this.storeName, context));
    this.valueSerde = this.wrapValueSerde(resolveStoreSerde(this.givenValueSerde, 'value', this.storeName, context));
    this.topic = `${context.applicationId}-${this.storeName}-changelog`;
  }

  keyBytes(key: K): Buffer {
    if (key === this.lastKey && this.lastKeyBytes !== undefined) return this.lastKeyBytes;
    const bytes = key === null || key === undefined ? null : this.keys().serialize(this.topic, key);
    if (bytes === null) {
      throw new StreamsError('INVALID_ARGUMENT', `state store "${this.storeName}" cannot take a null key; ` +
        'filter out records with null keys before the stateful step, or give them a key with selectKey/map');
    }
    if (typeof key !== 'object') {
      this.lastKey = key;
      this.lastKeyBytes = bytes;
    }
    return bytes;
  }

  /**
   * For a scan from `fromBytes` to equal `toBytes`, a function giving the one key every entry it
   * returns has, deserialized once per scan instead of once per entry; undefined for other scans.
   * A key that deserializes to an object is read per entry, so entries never share it.
   */
  singleKeyReader(fromBytes: Buffer | null, toBytes: Buffer | null): (() => K | undefined) | undefined {
    if (fromBytes === null || toBytes === null || !fromBytes.equals(toBytes)) return undefined;
    let key: K | undefined;
    let read = false;
    return () => {
      if (!read) {
        read = true;
        const decoded = this.keyFrom(fromBytes);
        key = typeof decoded === 'object' && decoded !== null ? undefined : decoded;
      }
      return key;
    };
  }

  valueBytes(value: V | null): Buffer | null {
    return value === null ? null : this.values().serialize(this.topic, value);
  }

  keyFrom(bytes: Buffer): K {
    return this.keys().deserialize(this.topic, bytes) as K;
  }

  valueFrom(bytes: Buffer | null): V | null {
    return bytes === null ? null : this.values().deserialize(this.topic, bytes);
  }

  private keys(): Serde<K> {
    return this.keySerde ?? this.notInitialised();
  }

  private values(): Serde<V> {
    return this.valueSerde ?? this.notInitialised();
  }

  private notInitialised(): never {
    throw new StreamsError('STORE_CLOSED', `state store "${this.storeName}" is used before it was initialised; ` +
      'access stores from a processor\'s init or process, after the task initialised them');
  }
}
