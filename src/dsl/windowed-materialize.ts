import type { EmitStrategy } from './windows/emit-strategy.ts';
import { StreamsError } from '../common/index.ts';
import { WindowedSerdes, windowed } from '../serde/index.ts';
import type { Serde, Windowed } from '../serde/index.ts';
import { isSessionBytesStoreSupplier, isWindowBytesStoreSupplier, Stores } from '../state/index.ts';
import { applySwitches, resolveStoreName } from './materialize.ts';
import type { KeyValueMaterialization, MaterializeDefaults, ResolvedStore } from './materialize.ts';

/** How long a store must keep data, and (when more) how long it keeps it unless told otherwise. */
export interface RetentionNeeds {
  readonly minRetentionMs: number;
  readonly defaultRetentionMs?: number;
}

/** What the window definition tells the store: how long windows are and how late they may still change. */
export interface WindowStoreNeeds extends RetentionNeeds {
  /** The window length: the `Windowed` end is `start + sizeMs`. */
  readonly sizeMs: number;
  /**
   * Data must be kept at least this long, and by default exactly this long (as Kafka Streams):
   * window size plus grace, inactivity gap plus grace, or twice the time difference plus grace.
   */
  readonly minRetentionMs: number;
}

/**
 * Windows emitted only when they close (`EmitStrategy.onWindowClose`) must outlive a jump in stream
 * time that closes many at once, so their stores keep a day by default, as Kafka Streams' emit-final
 * stores in effect do (they emit every closed window, however far stream time jumped).
 */
export const EMIT_FINAL_DEFAULT_RETENTION_MS = 86_400_000;

function retentionOf(storeName: string, materialized: KeyValueMaterialization<unknown, unknown> | undefined, needs: RetentionNeeds): number {
  const retention = materialized?.retentionMs ?? Math.max(needs.minRetentionMs, needs.defaultRetentionMs ?? 0);
  if (retention < needs.minRetentionMs) {
    throw new StreamsError('INVALID_ARGUMENT', `the retention period of store "${storeName}" (${retention} ms) must be at least the window size plus the grace period ` +
      `(${needs.minRetentionMs} ms); raise Materialized.withRetention(...)`);
  }
  return retention;
}

/**
 * The timestamped window store of a windowed aggregation (Kafka's TimeWindowedKStreamImpl
 * materialization): named as the `Materialized` says or generated, retention from
 * `withRetention`, supplier given or chosen by `default.dsl.store`, caching and logging on unless
 * switched off.
 *
 * @example
 * const store = materializeWindowStore(Materialized.as('clicks'), { newStoreName, keySerde }, { sizeMs: 60_000, minRetentionMs: 60_000 });
 */
export function materializeWindowStore<K, V>(
  materialized: KeyValueMaterialization<K, V> | undefined,
  defaults: MaterializeDefaults<K, V>,
  needs: WindowStoreNeeds,
): ResolvedStore<K, V> {
  const { storeName, named } = resolveStoreName(materialized, defaults.newStoreName);
  const given = materialized?.storeSupplier;
  if (given !== undefined && !isWindowBytesStoreSupplier(given)) {
    throw new StreamsError('INVALID_ARGUMENT', `store "${storeName}" of a windowed aggregation needs a window store supplier; use Stores.persistentWindowStore or Stores.inMemoryWindowStore`);
  }
  if (given !== undefined && given.windowSize !== needs.sizeMs) {
    throw new StreamsError('INVALID_ARGUMENT', `window store supplier "${storeName}" has window size ${given.windowSize} ms but the windows are ${needs.sizeMs} ms long`);
  }
  const supplier = given ?? Stores.dslDefaultWindowStore(storeName, retentionOf(storeName, materialized, needs), needs.sizeMs, false);
  if (given !== undefined) retentionOf(storeName, { retentionMs: given.retentionPeriod }, needs);
  const keySerde = materialized?.keySerde ?? defaults.keySerde;
  const valueSerde = materialized?.valueSerde ?? defaults.valueSerde;
  const builder = Stores.timestampedWindowStoreBuilder(supplier, keySerde, valueSerde);
  applySwitches(builder, materialized);
  return { storeName, named, keySerde, valueSerde, builder };
}

/** The session store of a session-windowed aggregation; see {@link materializeWindowStore}. */
export function materializeSessionStore<K, V>(
  materialized: KeyValueMaterialization<K, V> | undefined,
  defaults: MaterializeDefaults<K, V>,
  needs: RetentionNeeds,
): ResolvedStore<K, V> {
  const { storeName, named } = resolveStoreName(materialized, defaults.newStoreName);
  const given = materialized?.storeSupplier;
  if (given !== undefined && !isSessionBytesStoreSupplier(given)) {
    throw new StreamsError('INVALID_ARGUMENT', `store "${storeName}" of a session-windowed aggregation needs a session store supplier; use Stores.persistentSessionStore or Stores.inMemorySessionStore`);
  }
  if (given !== undefined) retentionOf(storeName, { retentionMs: given.retentionPeriod }, needs);
  const supplier = given ?? Stores.dslDefaultSessionStore(storeName, retentionOf(storeName, materialized, needs));
  const keySerde = materialized?.keySerde ?? defaults.keySerde;
  const valueSerde = materialized?.valueSerde ?? defaults.valueSerde;
  const builder = Stores.sessionStoreBuilder(supplier, keySerde, valueSerde);
  applySwitches(builder, materialized);
  return { storeName, named, keySerde, valueSerde, builder };
}

/** The key serde of a time-windowed table: the record key, then the window start. */
export function timeWindowedKeySerde<K>(keySerde: Serde<K> | undefined, sizeMs: number): Serde<Windowed<K>> | undefined {
  return keySerde === undefined ? undefined : WindowedSerdes.timeWindowedSerdeFrom(keySerde, sizeMs);
}

/** The key serde of a session-windowed table: the record key, then the session end and start. */
export function sessionWindowedKeySerde<K>(keySerde: Serde<K> | undefined): Serde<Windowed<K>> | undefined {
  return keySerde === undefined ? undefined : WindowedSerdes.sessionWindowedSerdeFrom(keySerde);
}

/**
 * A windowed key as the inner key's bytes followed by the window start and end, 8 bytes each:
 * unambiguous for time and session windows alike, for internal stores that must hold either.
 */
export function fullWindowedSerde<K>(inner: Serde<K>): Serde<Windowed<K>> {
  return {
    serialize(topic, data) {
      if (data === null) return null;
      const key = inner.serialize(topic, data.key) ?? Buffer.alloc(0);
      const out = Buffer.allocUnsafe(key.length + 16);
      key.copy(out, 0);
      out.writeBigInt64BE(BigInt(data.window.start), key.length);
      out.writeBigInt64BE(BigInt(data.window.end), key.length + 8);
      return out;
    },
    deserialize(topic, data) {
      if (data === null) return null;
      const keyLength = data.length - 16;
      const key = inner.deserialize(topic, data.subarray(0, keyLength)) as K;
      return windowed(key, Number(data.readBigInt64BE(keyLength)), Number(data.readBigInt64BE(keyLength + 8)));
    },
  };
}

/** The default retention an emit strategy asks for: a day for emit-on-close, else the minimum. */
export function emitFinalRetention(strategy: EmitStrategy): { defaultRetentionMs?: number } {
  return strategy.type === 'on-window-close' ? { defaultRetentionMs: EMIT_FINAL_DEFAULT_RETENTION_MS } : {};
}
