import { StreamsError } from '../common/index.ts';

/**
 * Reads Kafka's primitive types from a request or response body, checking every length against
 * what is left, so a malformed frame fails with PROTOCOL_ERROR instead of reading past its end.
 */
export class WireReader {
  private position = 0;

  constructor(private readonly buffer: Buffer) {}

  get offset(): number {
    return this.position;
  }

  remaining(): number {
    return this.buffer.length - this.position;
  }

  int8(): number {
    this.need(1);
    return this.buffer.readInt8(this.position++);
  }

  int16(): number {
    this.need(2);
    const v = this.buffer.readInt16BE(this.position);
    this.position += 2;
    return v;
  }

  uint16(): number {
    this.need(2);
    const v = this.buffer.readUInt16BE(this.position);
    this.position += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buffer.readInt32BE(this.position);
    this.position += 4;
    return v;
  }

  uint32(): number {
    this.need(4);
    const v = this.buffer.readUInt32BE(this.position);
    this.position += 4;
    return v;
  }

  int64(): number {
    this.need(8);
    const v = this.buffer.readBigInt64BE(this.position);
    this.position += 8;
    return Number(v);
  }

  float64(): number {
    this.need(8);
    const v = this.buffer.readDoubleBE(this.position);
    this.position += 8;
    return v;
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      this.need(1);
      const byte = this.buffer[this.position++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw this.malformed('an unsigned varint longer than 5 bytes');
  }

  /** Bytes of a given length (a view, not a copy). */
  raw(length: number): Buffer {
    if (length < 0) throw this.malformed(`a negative length ${length}`);
    this.need(length);
    const out = this.buffer.subarray(this.position, this.position + length);
    this.position += length;
    return out;
  }

  /** A length field: classic int16/int32, or compact (uvarint of length + 1); -1 means null. */
  length(compact: boolean, wide: boolean): number {
    if (compact) return this.uvarint() - 1;
    return wide ? this.int32() : this.int16();
  }

  private need(bytes: number): void {
    if (this.position + bytes > this.buffer.length) {
      throw this.malformed(`${bytes} more bytes at offset ${this.position} of a ${this.buffer.length}-byte message`);
    }
  }

  malformed(what: string): StreamsError {
    return new StreamsError('PROTOCOL_ERROR', `malformed Kafka protocol message: ${what}`);
  }
}
