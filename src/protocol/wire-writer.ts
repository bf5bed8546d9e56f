/**
 * Writes Kafka's primitive types into a growing buffer; `finish()` returns the bytes written.
 */
export class WireWriter {
  private buffer: Buffer;
  private position = 0;

  constructor(initialSize = 256) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  int8(v: number): void {
    this.ensure(1);
    this.position = this.buffer.writeInt8(v, this.position);
  }

  int16(v: number): void {
    this.ensure(2);
    this.position = this.buffer.writeInt16BE(v, this.position);
  }

  uint16(v: number): void {
    this.ensure(2);
    this.position = this.buffer.writeUInt16BE(v, this.position);
  }

  int32(v: number): void {
    this.ensure(4);
    this.position = this.buffer.writeInt32BE(v, this.position);
  }

  uint32(v: number): void {
    this.ensure(4);
    this.position = this.buffer.writeUInt32BE(v, this.position);
  }

  int64(v: number): void {
    this.ensure(8);
    this.position = this.buffer.writeBigInt64BE(BigInt(v), this.position);
  }

  float64(v: number): void {
    this.ensure(8);
    this.position = this.buffer.writeDoubleBE(v, this.position);
  }

  bool(v: boolean): void {
    this.int8(v ? 1 : 0);
  }

  uvarint(v: number): void {
    let value = v;
    do {
      let byte = value % 128;
      value = Math.floor(value / 128);
      if (value > 0) byte |= 0x80;
      this.ensure(1);
      this.buffer[this.position++] = byte;
    } while (value > 0);
  }

  raw(bytes: Buffer): void {
    this.ensure(bytes.length);
    bytes.copy(this.buffer, this.position);
    this.position += bytes.length;
  }

  /** A length field: classic int16/int32, or compact (uvarint of length + 1); -1 means null. */
  length(value: number, compact: boolean, wide: boolean): void {
    if (compact) this.uvarint(value + 1);
    else if (wide) this.int32(value);
    else this.int16(value);
  }

  finish(): Buffer {
    return this.buffer.subarray(0, this.position);
  }

  private ensure(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.position + bytes));
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }
}
