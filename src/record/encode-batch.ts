import { BatchArena } from './batch-arena.ts';
import type { LogRecord } from './log-record.ts';

/** Producer fields and flags of a batch; defaults describe a plain, non-idempotent append. */
export interface BatchOptions {
  baseOffset: number;
  partitionLeaderEpoch?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  control?: boolean;
  /**
   * Offset of each record minus `baseOffset`, ascending, when they are not 0, 1, 2, … — compaction
   * rewrites batches with gaps where records were removed, keeping every record's offset.
   */
  offsetDeltas?: readonly number[];
}

/** The arena `encodeBatch` encodes in before copying the batch out; it never holds a batch between calls. */
const scratch = new BatchArena();

/**
 * Encodes records as one uncompressed Kafka record batch v2 into a Buffer of its own. Record
 * timestamps and offsets are stored as deltas from the first record's timestamp and `baseOffset`.
 * A caller that writes the batch out at once and forgets it can use a `BatchArena` instead and
 * save the copy.
 *
 * @example
 * const bytes = encodeBatch([{ key: null, value: Buffer.from('hi'), timestamp: Date.now(), headers: [] }], { baseOffset: 0 });
 */
export function encodeBatch(records: readonly LogRecord[], options: BatchOptions): Buffer {
  const encoded = scratch.encode(records, options);
  // allocUnsafe + set: cheaper than Buffer.from's generic argument handling for small batches.
  const own = Buffer.allocUnsafe(encoded.length);
  own.set(encoded);
  scratch.reset();
  return own;
}
