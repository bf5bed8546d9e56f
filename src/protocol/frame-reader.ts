import { StreamsError } from '../common/index.ts';

const SIZE_BYTES = 4;

/**
 * Cuts a connection's byte stream into Kafka frames (a 4-byte big-endian size, then that many
 * bytes). Chunks are kept as they arrive and each frame is joined once, when its last byte is in,
 * so a large frame costs O(its size), not O(size²) of re-concatenation; a frame inside one chunk
 * is a view of it, not a copy.
 *
 * @example
 * const reader = new FrameReader(100 * 1024 * 1024);
 * socket.on('data', (chunk) => { for (const frame of reader.push(chunk)) serve(frame); });
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Size of the frame being received, or -1 until its size prefix is in. */
  private expected = -1;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes held of a frame not yet complete (0 between frames). */
  get partialBytes(): number {
    return this.buffered;
  }

  /**
   * Adds received bytes; returns the frames they complete, without their size prefix.
   * @throws StreamsError PROTOCOL_ERROR when a frame announces a negative size or more than the limit.
   */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Buffer[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < SIZE_BYTES) break;
        const size = this.take(SIZE_BYTES).readInt32BE(0);
        if (size < 0 || size > this.maxFrameBytes) {
          throw new StreamsError('PROTOCOL_ERROR', `request of ${size} bytes exceeds the limit of ${this.maxFrameBytes} bytes`);
        }
        this.expected = size;
      }
      if (this.buffered < this.expected) break;
      frames.push(this.take(this.expected));
      this.expected = -1;
    }
    return frames;
  }

  /** Removes the first `length` buffered bytes: a view when one chunk holds them, else one copy. */
  private take(length: number): Buffer {
    const first = this.chunks[0];
    if (first !== undefined && first.length >= length) {
      const out = first.subarray(0, length);
      this.consume(length);
      return out;
    }
    const out = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.chunks[0]!;
      const n = Math.min(chunk.length, length - filled);
      chunk.copy(out, filled, 0, n);
      filled += n;
      this.consume(n);
    }
    return out;
  }

  private consume(length: number): void {
    this.buffered -= length;
    const first = this.chunks[0]!;
    if (first.length === length) this.chunks.shift();
    else this.chunks[0] = first.subarray(length);
  }
}
