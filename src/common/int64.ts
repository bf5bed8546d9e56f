/** Big-endian signed 64-bit integers as JS numbers (exact within ±2^53), without BigInt. */
const TWO_TO_32 = 4294967296;

export function writeInt64(buffer: Buffer, pos: number, value: number): void {
  const high = Math.floor(value / TWO_TO_32);
  buffer.writeInt32BE(high, pos);
  buffer.writeUInt32BE(value - high * TWO_TO_32, pos + 4);
}

export function readInt64(buffer: Buffer, pos: number): number {
  return buffer.readInt32BE(pos) * TWO_TO_32 + buffer.readUInt32BE(pos + 4);
}
