import { StreamsError } from '../common/index.ts';
import { windowed, type Serde, type Windowed } from '../serde/index.ts';
import type { KeyValue, KeyValueIterator, StateStore } from '../state/index.ts';

/** The kinds of store a remote store can stand for (what `QueryableStoreTypes` tells apart). */
export type RemoteStoreKind = 'key-value' | 'timestamped-key-value' | 'window' | 'timestamped-window' | 'session';

/** A read's answer: one value, or every entry of the iterator the read opened (keys of windowed reads as `{ key, window }`). */
export type RemoteReadResult = { readonly value: unknown } | { readonly entries: ReadonlyArray<KeyValue<unknown, unknown>> };

/** Performs one read method of the store where it lives, synchronously; throws what the store threw. */
export type RemoteRead = (method: string, args: readonly unknown[]) => RemoteReadResult;

/**
 * A read-only stand-in for a store that lives in another thread's heap (a stream thread running in
 * a worker thread): every read is one synchronous round trip through `read`, so queries keep
 * Kafka's synchronous read-only store API. An iterator's entries are read in that one trip and
 * then served from here: it sees the store as of the call, as an iterator over a snapshot does.
 * Keys and values arrive as structured clones: Buffers come back as Buffers, windowed keys as
 * `Windowed` keys again; other class instances arrive as plain objects.
 *
 * @example
 * const counts = new RemoteStore('counts', 'key-value', 'app-counts-changelog', (method, args) => askWorker(method, args));
 * counts.get('alice'); // 3
 */
export class RemoteStore implements StateStore {
  readonly persistent = false;

  constructor(
    readonly name: string,
    readonly kind: RemoteStoreKind,
    /** The topic the store's serdes are called with (its changelog topic), for `prefixScan`'s prefix. */
    private readonly serdeTopic: string,
    private readonly read: RemoteRead,
  ) {}

  init(): void {
    throw this.readOnly('init');
  }

  flush(): void {
    throw this.readOnly('flush');
  }

  close(): void {
    throw this.readOnly('close');
  }

  /** Open as far as this side knows: a store closed meanwhile answers its reads with `INVALID_STATE_STORE`. */
  isOpen(): boolean {
    return true;
  }

  get(key: unknown): unknown {
    return this.value('get', [key]);
  }

  range(from: unknown, to: unknown): KeyValueIterator<unknown, unknown> {
    return this.iterator('range', [from, to]);
  }

  reverseRange(from: unknown, to: unknown): KeyValueIterator<unknown, unknown> {
    return this.iterator('reverseRange', [from, to]);
  }

  all(): KeyValueIterator<unknown, unknown> {
    return this.iterator('all', []);
  }

  reverseAll(): KeyValueIterator<unknown, unknown> {
    return this.iterator('reverseAll', []);
  }

  /** The prefix crosses as the bytes `prefixKeySerde` makes of it (a serde's functions cannot cross threads). */
  prefixScan<P>(prefix: P, prefixKeySerde: Serde<P>): KeyValueIterator<unknown, unknown> {
    return this.iterator('prefixScan', [prefixKeySerde.serialize(this.serdeTopic, prefix) ?? Buffer.alloc(0)]);
  }

  approximateNumEntries(): number {
    return this.value('approximateNumEntries', []) as number;
  }

  /** Window stores: one window's value (2 arguments), one key's windows (3), or a key range's (4); session stores: a key's (1) or a key range's (2) sessions. */
  fetch(...args: unknown[]): unknown {
    if (this.kind === 'session') return this.iterator('fetch', args);
    return args.length === 2 ? this.value('fetch', args) : this.iterator('fetch', args);
  }

  backwardFetch(...args: unknown[]): KeyValueIterator<unknown, unknown> {
    return this.iterator('backwardFetch', args);
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<unknown, unknown> {
    return this.iterator('fetchAll', [timeFrom, timeTo]);
  }

  backwardFetchAll(timeFrom: number, timeTo: number): KeyValueIterator<unknown, unknown> {
    return this.iterator('backwardFetchAll', [timeFrom, timeTo]);
  }

  backwardAll(): KeyValueIterator<unknown, unknown> {
    return this.iterator('backwardAll', []);
  }

  fetchSession(key: unknown, sessionStartTime: number, sessionEndTime: number): unknown {
    return this.value('fetchSession', [key, sessionStartTime, sessionEndTime]);
  }

  findSessions(...args: unknown[]): KeyValueIterator<unknown, unknown> {
    return this.iterator('findSessions', args);
  }

  backwardFindSessions(...args: unknown[]): KeyValueIterator<unknown, unknown> {
    return this.iterator('backwardFindSessions', args);
  }

  private value(method: string, args: readonly unknown[]): unknown {
    const result = this.read(method, args);
    if (!('value' in result)) throw new StreamsError('ILLEGAL_STATE', `store "${this.name}": ${method} answered entries where one value was expected`);
    return revivedBytes(result.value);
  }

  private iterator(method: string, args: readonly unknown[]): KeyValueIterator<unknown, unknown> {
    const result = this.read(method, args);
    if (!('entries' in result)) throw new StreamsError('ILLEGAL_STATE', `store "${this.name}": ${method} answered one value where entries were expected`);
    // Single-key window fetches are keyed by window start (a number); every other windowed read by a Windowed key.
    const windowedKeys = this.kind === 'session' || ((this.kind === 'window' || this.kind === 'timestamped-window') && !((method === 'fetch' || method === 'backwardFetch') && args.length === 3));
    return arrayIterator(result.entries.map(({ key, value }) => ({
      key: windowedKeys ? revivedWindowed(key as Windowed<unknown>) : revivedBytes(key),
      value: revivedBytes(value),
    })));
  }

  private readOnly(what: string): StreamsError {
    return new StreamsError('ILLEGAL_STATE', `store "${this.name}" is a read-only view of a store in another thread; it cannot ${what}`);
  }
}

/** A Buffer again where a clone left a Uint8Array (structured clone drops Buffer's class). */
export function revivedBytes(value: unknown): unknown {
  return value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value;
}

function revivedWindowed(key: Windowed<unknown>): Windowed<unknown> {
  return windowed(revivedBytes(key.key), key.window.start, key.window.end);
}

function arrayIterator(entries: Array<KeyValue<unknown, unknown>>): KeyValueIterator<unknown, unknown> {
  let index = 0;
  const iterator: KeyValueIterator<unknown, unknown> = {
    next: () => (index < entries.length ? { done: false, value: entries[index++]! } : { done: true, value: undefined }),
    close: () => {
      index = entries.length;
    },
    [Symbol.iterator]: () => iterator,
  };
  return iterator;
}
