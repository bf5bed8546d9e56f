import type { CacheFlushListener, ChangelogRecord, StateStore, StateStoreContext } from './api.ts';
import type { KeyValueStoreLayers } from './metered-key-value-store.ts';
import type { StoreSerdes } from './window-store-serdes.ts';

/**
 * What the typed outer layers of window and session stores share: the bytes stack they sit on,
 * their serdes (resolved at init), registration for restoration, and turning the cache's flushed
 * bytes entries into typed ones for a flush listener.
 */
export abstract class LayeredStore<KOut, V> implements StateStore {
  constructor(
    protected readonly layers: KeyValueStoreLayers,
    protected readonly serdes: StoreSerdes<unknown, V>,
  ) {}

  get name(): string {
    return this.layers.top.name;
  }

  get persistent(): boolean {
    return this.layers.top.persistent;
  }

  init(context: StateStoreContext, root: StateStore): void | Promise<void> {
    this.serdes.init(context);
    const initialised = this.layers.top.init(context, root);
    context.register(root, (records) => this.restore(records));
    return initialised;
  }

  flush(): void | Promise<void> {
    return this.layers.top.flush();
  }

  close(): void | Promise<void> {
    return this.layers.top.close();
  }

  isOpen(): boolean {
    return this.layers.top.isOpen();
  }

  setFlushListener(listener: CacheFlushListener<KOut, V>, sendOldValues: boolean): boolean {
    const caching = this.layers.caching;
    if (caching === undefined) return false;
    return caching.setFlushListener((storeKey, newValue, oldValue, timestamp) => {
      listener({ key: this.typedKeyOf(storeKey), newValue: this.serdes.valueFrom(newValue), oldValue: this.serdes.valueFrom(oldValue), timestamp });
    }, sendOldValues);
  }

  /** The typed key (e.g. a `Windowed` key) a bytes store key stands for. */
  protected abstract typedKeyOf(storeKey: Buffer): KOut;

  /** Replays changelog records straight into the bytes store: no cache, no new changelog records. */
  protected abstract restore(records: ReadonlyArray<ChangelogRecord>): void | Promise<void>;
}
