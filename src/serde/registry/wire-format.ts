/**
 * Confluent's wire format for Schema Registry serdes: byte 0 is the magic 0x00, bytes 1–4 the
 * schema id as a big-endian signed 32-bit integer, then the payload (Avro binary, or UTF-8 JSON for
 * JSON Schema). Every Confluent client and Kafka Connect converter reads and writes this layout.
 */

/** The magic byte that opens every framed record. */
export const WIRE_MAGIC = 0x00;
/** Magic byte plus the 4-byte schema id. */
export const WIRE_HEADER_BYTES = 5;

/** Prefixes `payload` with the magic byte and `schemaId`. */
export function frame(schemaId: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(WIRE_HEADER_BYTES + payload.length);
  out.writeUInt8(WIRE_MAGIC, 0);
  out.writeInt32BE(schemaId, 1);
  payload.copy(out, WIRE_HEADER_BYTES);
  return out;
}

/**
 * The schema id of a framed record, or a sentence saying why the bytes are not framed (too short,
 * or a first byte other than 0x00), so callers can put it into their own coded error.
 */
export function schemaIdOf(bytes: Buffer): number | string {
  if (bytes.length < WIRE_HEADER_BYTES) return `${bytes.length} byte(s) are too short for the Confluent framing (magic byte 0x00 and a 4-byte schema id)`;
  if (bytes[0] !== WIRE_MAGIC) return `the first byte is 0x${bytes[0]!.toString(16).padStart(2, '0')}, not the Confluent magic byte 0x00`;
  return bytes.readInt32BE(1);
}

/** The bytes after the header. */
export function payloadOf(bytes: Buffer): Buffer {
  return bytes.subarray(WIRE_HEADER_BYTES);
}
