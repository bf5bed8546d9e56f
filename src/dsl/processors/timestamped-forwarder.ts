import { Record } from '../../processor/index.ts';
import type { Header, ProcessorContext } from '../../processor/index.ts';
import { isCachedStateStore } from '../../state/index.ts';
import type { StateStore, ValueAndTimestamp } from '../../state/index.ts';
import type { Change } from '../change.ts';

/**
 * How a KTable-producing processor forwards its updates (Kafka's TimestampedTupleForwarder plus
 * TimestampedCacheFlushListener). With caching on, the store's cache forwards on flush or eviction,
 * so repeated updates of a key between commits reach downstream once; with caching off, every
 * update is forwarded at once by {@link maybeForward}.
 *
 * The forwarded record carries the timestamp stored with the new value (or, for a delete, the
 * timestamp of the write that removed it).
 */
export class TimestampedForwarder<K, V> {
  private readonly cacheForwards: boolean;

  constructor(
    store: StateStore,
    private readonly context: ProcessorContext<K, Change<V>>,
    private readonly sendOldValues: boolean,
  ) {
    this.cacheForwards =
      isCachedStateStore(store) &&
      store.setFlushListener((entry) => {
        const update = entry as {
          key: K;
          newValue: ValueAndTimestamp<V> | null;
          oldValue: ValueAndTimestamp<V> | null;
          timestamp: number;
        };
        const change: Change<V> = {
          newValue: update.newValue === null ? null : update.newValue.value,
          oldValue: this.sendOldValues && update.oldValue !== null ? update.oldValue.value : null,
        };
        const timestamp = update.newValue === null ? update.timestamp : update.newValue.timestamp;
        this.context.forward(new Record(update.key, change, timestamp));
      }, sendOldValues);
  }

  /**
   * Whether the store's cache forwards the updates when it flushes. Processors check it before
   * building a record to forward, so the default (caching on) allocates nothing per update here.
   */
  get forwardsOnFlush(): boolean {
    return this.cacheForwards;
  }

  /**
   * Forwards the update of `key` unless the cache will forward it when it flushes; builds no record
   * then. The old value goes along only when downstream asked for old values.
   */
  forwardChange(key: K, newValue: V | null, oldValue: V | null, timestamp: number, headers: readonly Header[]): void {
    if (this.cacheForwards) return;
    this.context.forward(new Record(key, { newValue, oldValue: this.sendOldValues ? oldValue : null }, timestamp, headers));
  }

  /** Forwards `record` unless the cache will forward it when it flushes. */
  maybeForward(record: Record<K, Change<V>>): void {
    if (!this.cacheForwards) this.context.forward(record);
  }
}
