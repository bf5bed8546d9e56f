/**
 * Transaction markers: the control batches that end a transaction in each of its partitions.
 *
 * Layout (Kafka's): a record batch v2 with the transactional (0x10) and control (0x20) attribute
 * bits, the producer's id and epoch, base sequence -1, and one record whose
 * - key is `version: int16 = 0` + `type: int16` (0 = ABORT, 1 = COMMIT), and whose
 * - value is `version: int16 = 0` + `coordinatorEpoch: int32`.
 * Readers never see markers as data; read_committed readers use them to end a transaction.
 *
 * @example
 * const marker = encodeMarkerBatch({ commit: true, producerId: 7, producerEpoch: 0, coordinatorEpoch: 0, timestamp: Date.now() });
 * decodeMarkerKey(decodeBatch(marker).records[0]!.key!); // 'commit'
 */
import { StreamsError } from '../../common/index.ts';
import { encodeBatch } from '../../record/index.ts';

const CONTROL_VERSION = 0;
const ABORT = 0;
const COMMIT = 1;

/** A marker to write. */
export interface MarkerSpec {
  readonly commit: boolean;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly coordinatorEpoch: number;
  readonly timestamp: number;
}

/** Encodes one marker as a control batch at base offset 0 (the log assigns the real offset). */
export function encodeMarkerBatch(spec: MarkerSpec): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(CONTROL_VERSION, 0);
  key.writeInt16BE(spec.commit ? COMMIT : ABORT, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(CONTROL_VERSION, 0);
  value.writeInt32BE(spec.coordinatorEpoch, 2);
  return encodeBatch([{ key, value, timestamp: spec.timestamp, headers: [] }], {
    baseOffset: 0,
    producerId: spec.producerId,
    producerEpoch: spec.producerEpoch,
    baseSequence: -1,
    transactional: true,
    control: true,
  });
}

/**
 * The type of a control record from its key: 'commit' or 'abort', or undefined for Kafka's other
 * control types (leader change, snapshot headers), which end no transaction.
 * @throws StreamsError CORRUPT_RECORD for a key too short to hold a version and a type.
 */
export function decodeMarkerKey(key: Buffer | null): 'commit' | 'abort' | undefined {
  if (key === null || key.length < 4) throw new StreamsError('CORRUPT_RECORD', `a control record's key has ${key?.length ?? 'no'} bytes; a marker key has 4 (version, type)`);
  const type = key.readInt16BE(2);
  if (type === COMMIT) return 'commit';
  if (type === ABORT) return 'abort';
  return undefined;
}
