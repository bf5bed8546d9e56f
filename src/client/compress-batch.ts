import { BatchAttributes, BatchLayout, crc32c } from '../record/index.ts';
import type { KafkaClientModule } from './kafka-client-module.ts';

/** Kafka's `compression.type` values for a producer. */
export type CompressionName = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/**
 * Compresses an uncompressed record batch v2 (from `encodeBatch`) with `codec`, as Kafka's
 * producers do: the records after the 61-byte header become one compressed block, the attributes
 * carry the codec's id, and the length and CRC-32C are written anew. The codecs are
 * @platformatic/kafka's (zlib for gzip and zstd, WebAssembly for snappy and lz4).
 *
 * @example
 * const sent = compressBatch(client, encodeBatch(records, { baseOffset: 0 }), 'zstd');
 */
export function compressBatch(client: KafkaClientModule, batch: Buffer, codec: CompressionName): Buffer {
  if (codec === 'none') return batch;
  const algorithm = client.compressionsAlgorithms[codec];
  const compressed = algorithm.compressSync(batch.subarray(BatchLayout.HEADER_SIZE)) as Buffer;
  const out = Buffer.allocUnsafe(BatchLayout.HEADER_SIZE + compressed.length);
  batch.copy(out, 0, 0, BatchLayout.HEADER_SIZE);
  out.set(compressed, BatchLayout.HEADER_SIZE);
  out.writeInt32BE(out.length - BatchLayout.LOG_OVERHEAD, BatchLayout.BATCH_LENGTH);
  const attributes = (out.readInt16BE(BatchLayout.ATTRIBUTES) & ~BatchAttributes.COMPRESSION_MASK) | algorithm.bitmask;
  out.writeInt16BE(attributes, BatchLayout.ATTRIBUTES);
  out.writeUInt32BE(crc32c(out, BatchLayout.ATTRIBUTES, out.length), BatchLayout.CRC);
  return out;
}
