import { StreamsError } from '../../common/index.ts';
import { Record } from '../../processor/index.ts';
import type { Processor, ProcessorContext } from '../../processor/index.ts';
import type { Windowed } from '../../serde/index.ts';
import type { BufferedRecord, TimeOrderedKeyValueBuffer } from '../../state/index.ts';
import type { Change } from '../change.ts';
import type { BufferConfig } from '../suppressed.ts';

/** What the suppress processor needs to know. */
export interface SuppressSpec {
  readonly storeName: string;
  /** How long after its buffer time an update is held: the window grace, or the time limit. */
  readonly suppressDurationMs: number;
  /** Windowed table: the buffer time is the window end; otherwise the record timestamp. */
  readonly windowed: boolean;
  /** Final results drop tombstones (merged-away sessions): a window's final result is never a delete. */
  readonly finalResults: boolean;
  readonly bufferConfig: BufferConfig;
}

/**
 * The processor behind `KTable.suppress` (Kafka's KTableSuppressProcessor): buffers each key's
 * latest change under the buffer time the key first entered with (a later update does not move
 * it), and emits entries whose buffer time is at or before stream time minus the suppress
 * duration. When the buffer outgrows its config it emits the oldest early or stops with
 * SUPPRESSION_BUFFER_FULL, as configured.
 */
export function tableSuppressProcessor<K, V>(spec: SuppressSpec): () => Processor<K, Change<V>, K, Change<V>> {
  return () => new TableSuppressProcessor<K, V>(spec);
}

class TableSuppressProcessor<K, V> implements Processor<K, Change<V>, K, Change<V>> {
  private context!: ProcessorContext<K, Change<V>>;
  private buffer!: TimeOrderedKeyValueBuffer<K, V>;
  private observedStreamTime = -1;

  constructor(private readonly spec: SuppressSpec) {}

  init(context: ProcessorContext<K, Change<V>>): void {
    this.context = context;
    this.buffer = context.getStateStore(this.spec.storeName);
  }

  process(record: Record<K, Change<V>>): void {
    this.observedStreamTime = Math.max(this.observedStreamTime, record.timestamp);
    const time = this.spec.windowed ? (record.key as Windowed<unknown>).window.end : record.timestamp;
    this.buffer.put(time, record.key, record.value, record.timestamp, record.headers);
    this.enforceConstraints();
  }

  private enforceConstraints(): void {
    const expiryTime = this.observedStreamTime - this.spec.suppressDurationMs;
    const emit = (entry: BufferedRecord<K, V>) => this.emit(entry);
    this.buffer.evictWhile((next) => next.time <= expiryTime, emit);
    const { bufferConfig } = this.spec;
    if (!bufferConfig.isExceededBy(this.buffer.numRecords(), this.buffer.bufferSize())) return;
    if (bufferConfig.whenFull === 'emit-early') {
      this.buffer.evictWhile(() => bufferConfig.isExceededBy(this.buffer.numRecords(), this.buffer.bufferSize()), emit);
      return;
    }
    throw new StreamsError('SUPPRESSION_BUFFER_FULL', `suppression buffer "${this.spec.storeName}" is full (${this.buffer.numRecords()} records, ` +
      `${this.buffer.bufferSize()} bytes; limits ${bufferConfig.maxRecords} records, ${bufferConfig.maxBytes} bytes) and is configured to shut down; ` +
      'raise its limits, or use emitEarlyWhenFull() if results may come early');
  }

  private emit(entry: BufferedRecord<K, V>): void {
    // Final results never carry a tombstone: a window deleted before it closed was never emitted.
    if (entry.newValue === null && this.spec.finalResults) return;
    // The change of the latest update, old value and headers included, as Kafka Streams emits it.
    this.context.forward(new Record(entry.key, { newValue: entry.newValue, oldValue: entry.oldValue }, entry.timestamp, entry.headers));
  }
}
