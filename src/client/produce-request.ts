/**
 * The body of a Kafka Produce request (API key 0) around record batches that are already encoded,
 * versions 7 to 11 — the ones @platformatic/kafka parses answers of. The request header and size
 * prefix are the connection's job. Wire grammar (Kafka's ProduceRequest.json):
 *
 *   ProduceRequest =>
 *     transactional_id: nullable string
 *     acks: int16
 *     timeout_ms: int32
 *     topic_data: [name: string, partition_data: [index: int32, records: nullable bytes]]
 *
 * Versions 9+ are "flexible": strings, arrays and bytes carry an unsigned varint of length + 1
 * (0 for null), and every struct and the request end with an empty tagged-field section (one 0 byte).
 * Versions 7 and 8: int16 string lengths, int32 array counts and byte lengths. All of 7–11 share
 * these fields, so one writer serves them.
 */

/** The oldest and newest Produce versions written here. */
export const PRODUCE_VERSIONS = { min: 7, max: 11 } as const;
/** The first flexible Produce version. */
const FIRST_FLEXIBLE = 9;

/** A finished record batch for one partition. */
export interface PartitionRecordBatch {
  readonly partition: number;
  readonly batch: Buffer;
}

/** The batches of one topic in one request. */
export interface TopicBatches {
  readonly topic: string;
  readonly partitions: readonly PartitionRecordBatch[];
}

/** What a Produce request carries besides the batches. */
export interface ProduceRequestHeader {
  readonly version: number;
  /** The producer's transactional id, null outside transactions. */
  readonly transactionalId: string | null;
  /** -1: the leader answers once every in-sync replica has the batch. */
  readonly acks: number;
  readonly timeoutMs: number;
}

/**
 * Encodes the request body in one allocation; the batches are copied in once.
 *
 * @example
 * const body = encodeProduceRequest({ version: 9, transactionalId: null, acks: -1, timeoutMs: 5000 },
 *   [{ topic: 'words', partitions: [{ partition: 0, batch: encodeBatch(records, { baseOffset: 0 }) }] }]);
 */
export function encodeProduceRequest(header: ProduceRequestHeader, topics: readonly TopicBatches[]): Buffer {
  const flexible = header.version >= FIRST_FLEXIBLE;
  const id = header.transactionalId === null ? null : Buffer.from(header.transactionalId, 'utf8');
  const names = topics.map((t) => Buffer.from(t.topic, 'utf8'));
  let size = stringSize(id, flexible) + 2 + 4 + countSize(topics.length, flexible) + (flexible ? 1 : 0);
  for (let t = 0; t < topics.length; t++) {
    const partitions = topics[t]!.partitions;
    size += stringSize(names[t]!, flexible) + countSize(partitions.length, flexible) + (flexible ? 1 : 0);
    for (const p of partitions) size += 4 + bytesSize(p.batch.length, flexible) + (flexible ? 1 : 0);
  }

  const out = Buffer.allocUnsafe(size);
  let pos = writeString(out, 0, id, flexible);
  pos = out.writeInt16BE(header.acks, pos);
  pos = out.writeInt32BE(header.timeoutMs, pos);
  pos = writeCount(out, pos, topics.length, flexible);
  for (let t = 0; t < topics.length; t++) {
    const partitions = topics[t]!.partitions;
    pos = writeString(out, pos, names[t]!, flexible);
    pos = writeCount(out, pos, partitions.length, flexible);
    for (const p of partitions) {
      pos = out.writeInt32BE(p.partition, pos);
      pos = flexible ? writeUnsignedVarint(out, pos, p.batch.length + 1) : out.writeInt32BE(p.batch.length, pos);
      out.set(p.batch, pos);
      pos += p.batch.length;
      if (flexible) out[pos++] = 0;
    }
    if (flexible) out[pos++] = 0;
  }
  if (flexible) out[pos++] = 0;
  return out;
}

function unsignedVarintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

function writeUnsignedVarint(out: Buffer, pos: number, value: number): number {
  while (value >= 0x80) {
    out[pos++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  out[pos++] = value;
  return pos;
}

function stringSize(bytes: Buffer | null, flexible: boolean): number {
  if (!flexible) return 2 + (bytes?.length ?? 0);
  return bytes === null ? 1 : unsignedVarintSize(bytes.length + 1) + bytes.length;
}

function countSize(count: number, flexible: boolean): number {
  return flexible ? unsignedVarintSize(count + 1) : 4;
}

function bytesSize(length: number, flexible: boolean): number {
  return (flexible ? unsignedVarintSize(length + 1) : 4) + length;
}

function writeString(out: Buffer, pos: number, bytes: Buffer | null, flexible: boolean): number {
  if (bytes === null) return flexible ? writeUnsignedVarint(out, pos, 0) : out.writeInt16BE(-1, pos);
  pos = flexible ? writeUnsignedVarint(out, pos, bytes.length + 1) : out.writeInt16BE(bytes.length, pos);
  out.set(bytes, pos);
  return pos + bytes.length;
}

function writeCount(out: Buffer, pos: number, count: number, flexible: boolean): number {
  return flexible ? writeUnsignedVarint(out, pos, count + 1) : out.writeInt32BE(count, pos);
}
