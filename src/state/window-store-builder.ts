import type { Serde, Windowed } from '../serde/index.ts';
import type {
  CachedStateStore, SessionBytesStoreSupplier, SessionStore, TimestampedWindowStore, ValueAndTimestamp, WindowBytesStoreSupplier, WindowStore,
} from './api.ts';
import { LayeredStoreBuilder } from './layered-store-builder.ts';
import { MeteredSessionStore } from './metered-session-store.ts';
import { MeteredTimestampedWindowStore, MeteredWindowStore } from './metered-window-store.ts';

/** Extra changelog retention of windowed stores (Kafka's `windowstore.changelog.additional.retention.ms`). */
export const WINDOWED_CHANGELOG_ADDITIONAL_RETENTION_MS = 86_400_000;

/**
 * Changelogs of window and session stores are compacted and also deleted by age (Kafka's
 * `compact,delete`): a window's latest value survives compaction until the window expires.
 */
function windowedChangelogConfig(retentionPeriod: number): { [key: string]: string } {
  return { 'cleanup.policy': 'compact,delete', 'retention.ms': String(retentionPeriod + WINDOWED_CHANGELOG_ADDITIONAL_RETENTION_MS) };
}

/**
 * Builds `WindowStore<K, V>` instances (Kafka's WindowStoreBuilder), one per task.
 *
 * @example
 * const builder = Stores.windowStoreBuilder(Stores.persistentWindowStore('clicks', 'P1D', 'PT5M', false), Serdes.String(), Serdes.Long());
 */
export class WindowStoreBuilder<K, V> extends LayeredStoreBuilder<WindowStore<K, V>> {
  constructor(
    private readonly windowSupplier: WindowBytesStoreSupplier,
    private readonly keySerde: Serde<K> | undefined,
    private readonly valueSerde: Serde<V> | undefined,
  ) {
    super(windowSupplier);
  }

  build(): WindowStore<K, V> & CachedStateStore<Windowed<K>, V> {
    return new MeteredWindowStore<K, V>(this.buildLayers(false), this.keySerde, this.valueSerde, this.windowSupplier);
  }

  protected override changelogDefaults(): { [key: string]: string } {
    return windowedChangelogConfig(this.windowSupplier.retentionPeriod);
  }
}

/**
 * Builds `TimestampedWindowStore<K, V>` instances: windows keep the timestamp of their newest record.
 *
 * @example
 * const builder = Stores.timestampedWindowStoreBuilder(Stores.inMemoryWindowStore('counts', 'P1D', 'PT1M', false), Serdes.String(), Serdes.Long());
 */
export class TimestampedWindowStoreBuilder<K, V> extends LayeredStoreBuilder<TimestampedWindowStore<K, V>> {
  constructor(
    private readonly windowSupplier: WindowBytesStoreSupplier,
    private readonly keySerde: Serde<K> | undefined,
    private readonly valueSerde: Serde<V> | undefined,
  ) {
    super(windowSupplier);
  }

  build(): TimestampedWindowStore<K, V> & CachedStateStore<Windowed<K>, ValueAndTimestamp<V>> {
    return new MeteredTimestampedWindowStore<K, V>(this.buildLayers(true), this.keySerde, this.valueSerde, this.windowSupplier);
  }

  protected override changelogDefaults(): { [key: string]: string } {
    return windowedChangelogConfig(this.windowSupplier.retentionPeriod);
  }
}

/**
 * Builds `SessionStore<K, AGG>` instances (Kafka's SessionStoreBuilder).
 *
 * @example
 * const builder = Stores.sessionStoreBuilder(Stores.persistentSessionStore('sessions', 'P1D'), Serdes.String(), Serdes.Long());
 */
export class SessionStoreBuilder<K, AGG> extends LayeredStoreBuilder<SessionStore<K, AGG>> {
  constructor(
    private readonly sessionSupplier: SessionBytesStoreSupplier,
    private readonly keySerde: Serde<K> | undefined,
    private readonly valueSerde: Serde<AGG> | undefined,
  ) {
    super(sessionSupplier);
  }

  build(): SessionStore<K, AGG> & CachedStateStore<Windowed<K>, AGG> {
    return new MeteredSessionStore<K, AGG>(this.buildLayers(false), this.keySerde, this.valueSerde, this.sessionSupplier.retentionPeriod);
  }

  protected override changelogDefaults(): { [key: string]: string } {
    return windowedChangelogConfig(this.sessionSupplier.retentionPeriod);
  }
}
