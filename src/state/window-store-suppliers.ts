import { StreamsError, toMillis } from '../common/index.ts';
import type { DurationLike } from '../common/index.ts';
import type { KeyScanningBytesStore, KeyValueBytesStoreSupplier, SessionBytesStoreSupplier, WindowBytesStoreSupplier } from './api.ts';
import { DslDefaultKeyValueStore } from './dsl-default-key-value-store.ts';
import { InMemoryKeyValueStore } from './in-memory-key-value-store.ts';
import { LevelDbKeyValueStore } from './leveldb-key-value-store.ts';
import { defaultSegmentInterval, SegmentedBytesStore } from './segmented-bytes-store.ts';
import { sessionEndOf, sessionEndOfSortKey, windowTimeOf, windowTimeOfSortKey } from './window-key-schema.ts';

type Engine = KeyValueBytesStoreSupplier['kind'];

// Window and session stores are read by record key plus a time range: a LevelDB store reads ahead every entry of each record key.
function bytesStoreOf(engine: Engine, name: string): KeyScanningBytesStore {
  if (engine === 'leveldb') return new LevelDbKeyValueStore(name, { prefetch: 'key-prefixes' });
  if (engine === 'in-memory') return new InMemoryKeyValueStore(name);
  return new DslDefaultKeyValueStore(name, { prefetch: 'key-prefixes' });
}

/**
 * A supplier of window bytes stores on `engine`: keys laid out by window-key-schema.ts, expired
 * segment-wise after `retentionPeriod`. Kafka's rule holds: the retention covers at least one window.
 */
export function windowBytesStoreSupplier(
  engine: Engine,
  name: string,
  retention: DurationLike,
  size: DurationLike,
  retainDuplicates: boolean,
): WindowBytesStoreSupplier {
  assertName(name);
  const retentionPeriod = toMillis(retention, `retention period of window store "${name}"`);
  const windowSize = toMillis(size, `window size of window store "${name}"`);
  if (windowSize > retentionPeriod) {
    throw new StreamsError('INVALID_ARGUMENT', `window store "${name}": the retention period (${retentionPeriod} ms) must be at least the window size (${windowSize} ms)`);
  }
  const segmentInterval = defaultSegmentInterval(retentionPeriod);
  return {
    name, kind: engine, retentionPeriod, windowSize, retainDuplicates, segmentInterval,
    get: () => new SegmentedBytesStore(bytesStoreOf(engine, name), windowTimeOf, retentionPeriod, segmentInterval, windowTimeOfSortKey),
  };
}

/** A supplier of session bytes stores on `engine`; sessions expire by their end time. */
export function sessionBytesStoreSupplier(engine: Engine, name: string, retention: DurationLike): SessionBytesStoreSupplier {
  assertName(name);
  const retentionPeriod = toMillis(retention, `retention period of session store "${name}"`);
  const segmentInterval = defaultSegmentInterval(retentionPeriod);
  return {
    name, kind: engine, retentionPeriod, segmentInterval,
    get: () => new SegmentedBytesStore(bytesStoreOf(engine, name), sessionEndOf, retentionPeriod, segmentInterval, sessionEndOfSortKey),
  };
}

/** True when a supplier makes window stores (as `Materialized.as(supplier)` must check). */
export function isWindowBytesStoreSupplier(supplier: KeyValueBytesStoreSupplier): supplier is WindowBytesStoreSupplier {
  return 'windowSize' in supplier;
}

/** True when a supplier makes session stores. */
export function isSessionBytesStoreSupplier(supplier: KeyValueBytesStoreSupplier): supplier is SessionBytesStoreSupplier {
  return 'retentionPeriod' in supplier && !('windowSize' in supplier);
}

function assertName(name: unknown): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new StreamsError('INVALID_ARGUMENT', `a window or session store needs a non-empty name, got ${JSON.stringify(name)}`);
  }
}
