import type { StateStore, StateStoreContext, StoreBuilder } from '../../../src/state/index.ts';

/**
 * A tiny store for task tests: a Map that writes every put to its changelog sink when logging is
 * on and can be restored from changelog records.
 */
export class MapStore implements StateStore {
  readonly persistent = false;
  readonly entries = new Map<string, string>();
  flushCount = 0;
  private open = false;
  private context: StateStoreContext | undefined;

  constructor(readonly name: string) {}

  init(context: StateStoreContext, root: StateStore): void {
    this.context = context;
    context.register(root, (records) => {
      for (const r of records) {
        if (r.value === null) this.entries.delete(r.key.toString());
        else this.entries.set(r.key.toString(), r.value.toString());
      }
    });
    this.open = true;
  }

  put(key: string, value: string): void {
    this.entries.set(key, value);
    this.context?.changelogSinkFor(this.name)?.send(Buffer.from(key), Buffer.from(value), this.context.recordTimestamp());
  }

  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  flush(): void {
    this.flushCount++;
  }

  close(): void {
    this.open = false;
  }

  isOpen(): boolean {
    return this.open;
  }
}

/** A StoreBuilder for MapStore; every build() makes a new store, as each task needs its own. */
export function mapStoreBuilder(name: string, logging = false): StoreBuilder<MapStore> {
  const builder: StoreBuilder<MapStore> = {
    name,
    loggingEnabled: logging,
    cachingEnabled: false,
    logConfig: {},
    withCachingEnabled: () => builder,
    withCachingDisabled: () => builder,
    withLoggingEnabled: () => mapStoreBuilder(name, true),
    withLoggingDisabled: () => mapStoreBuilder(name, false),
    build: () => new MapStore(name),
  };
  return builder;
}
