/**
 * Zig-zag variable-length integers as Kafka records use them (protobuf style: 7 bits per byte,
 * low bits first, high bit = more). Varlongs carry JS numbers exactly up to ±2^53.
 */

/** Bytes `zigzag(value)` takes as a varint (1..5) / varlong (1..10). */
export function sizeOfVarlong(value: number): number {
  // The common case (|value| < 2^30): integer arithmetic, no division.
  if (value >= -0x40000000 && value < 0x40000000) {
    const z = (value << 1) ^ (value >> 31);
    return z < 0x80 ? 1 : z < 0x4000 ? 2 : z < 0x200000 ? 3 : z < 0x10000000 ? 4 : 5;
  }
  let v = zigzag(value);
  let size = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    size++;
  }
  return size;
}

function zigzag(value: number): number {
  // 2|v| for v >= 0, 2|v| - 1 for v < 0; done in doubles so it is exact for safe integers.
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

/** Writes `value` zig-zag encoded at `pos`; returns the position after it. */
export function writeVarlong(buffer: Buffer, pos: number, value: number): number {
  if (value >= -0x40000000 && value < 0x40000000) {
    // zigzag fits 31 bits: shifts instead of the double arithmetic below.
    let z = ((value << 1) ^ (value >> 31)) >>> 0;
    while (z >= 0x80) {
      buffer[pos++] = (z & 0x7f) | 0x80;
      z >>>= 7;
    }
    buffer[pos++] = z;
    return pos;
  }
  let v = zigzag(value);
  while (v >= 128) {
    buffer[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buffer[pos++] = v;
  return pos;
}

/** A decoded number and the position after it. Reused by readers to avoid allocations. */
export interface VarCursor {
  value: number;
  pos: number;
}

/**
 * Reads a zig-zag varlong at `cursor.pos` into `cursor.value` and advances `cursor.pos`.
 * Returns false when the bytes end before the number does or it is longer than 10 bytes.
 */
export function readVarlong(buffer: Uint8Array, cursor: VarCursor, end: number): boolean {
  let pos = cursor.pos;
  // One byte (|value| < 64: deltas, short lengths, counts) and two bytes (|value| < 8192) without
  // the double arithmetic of the general loop; the record readers read several per record.
  if (pos + 1 < end) {
    const first = buffer[pos]!;
    if (first < 0x80) {
      cursor.value = (first >>> 1) ^ -(first & 1);
      cursor.pos = pos + 1;
      return true;
    }
    const second = buffer[pos + 1]!;
    if (second < 0x80) {
      const z = (first & 0x7f) | (second << 7);
      cursor.value = (z >>> 1) ^ -(z & 1);
      cursor.pos = pos + 2;
      return true;
    }
  }
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) return false;
    const byte = buffer[pos++]!;
    result += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) {
      cursor.value = result % 2 === 0 ? result / 2 : -(result + 1) / 2;
      cursor.pos = pos;
      return true;
    }
    scale *= 128;
  }
  return false;
}
