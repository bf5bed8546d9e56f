import type { KeyValueBytesStore, KeyValueBytesStoreSupplier, StateStore, StoreBuilder } from './api.ts';
import { CachingKeyValueStore } from './caching-key-value-store.ts';
import { ChangeLoggingKeyValueBytesStore } from './change-logging-key-value-store.ts';
import type { KeyValueStoreLayers } from './metered-key-value-store.ts';

/**
 * What every store builder shares: the logging and caching switches (Kafka's defaults: logging on,
 * caching off; the DSL turns caching on). Switches change this builder and return it, as in Kafka.
 */
export abstract class LayeredStoreBuilder<S extends StateStore> implements StoreBuilder<S> {
  loggingEnabled = true;
  cachingEnabled = false;
  private userLogConfig: Readonly<{ [key: string]: string }> = {};

  constructor(protected readonly supplier: KeyValueBytesStoreSupplier) {}

  get name(): string {
    return this.supplier.name;
  }

  withCachingEnabled(): this {
    this.cachingEnabled = true;
    return this;
  }

  withCachingDisabled(): this {
    this.cachingEnabled = false;
    return this;
  }

  /** The changelog topic's configs: the store kind's defaults, then the user's. */
  get logConfig(): Readonly<{ [key: string]: string }> {
    return { ...this.changelogDefaults(), ...this.userLogConfig };
  }

  withLoggingEnabled(config: { [key: string]: string } = {}): this {
    this.loggingEnabled = true;
    this.userLogConfig = { ...config };
    return this;
  }

  withLoggingDisabled(): this {
    this.loggingEnabled = false;
    this.userLogConfig = {};
    return this;
  }

  abstract build(): S;

  /** Changelog configs this kind of store needs; key-value stores need only compaction, set by the runtime. */
  protected changelogDefaults(): { [key: string]: string } {
    return {};
  }

  /** A fresh bytes stack: bytes store, then change-logging and caching when switched on. */
  protected buildLayers(timestampedValues: boolean): KeyValueStoreLayers {
    const bytes = this.supplier.get();
    let top: KeyValueBytesStore = bytes;
    if (this.loggingEnabled) top = new ChangeLoggingKeyValueBytesStore(top, timestampedValues);
    const caching = this.cachingEnabled ? new CachingKeyValueStore(top) : undefined;
    return { top: caching ?? top, bytes, caching };
  }
}
