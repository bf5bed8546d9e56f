import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameReader } from '../../src/protocol/index.ts';

function framed(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

describe('FrameReader', () => {
  it('returns the same frames however the stream is cut into chunks', () => {
    fc.assert(fc.property(
      fc.array(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), { maxLength: 8 }),
      fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 40 }),
      (bodies, cuts) => {
        const stream = Buffer.concat(bodies.map(framed));
        const reader = new FrameReader(1_000);
        const out: Buffer[] = [];
        for (let pos = 0, i = 0; pos < stream.length; i++) {
          const size = cuts[i % cuts.length]!;
          out.push(...reader.push(stream.subarray(pos, pos + size)));
          pos += size;
        }
        expect(out.map((b) => b.toString('hex'))).toEqual(bodies.map((b) => b.toString('hex')));
        expect(reader.partialBytes).toBe(0);
      },
    ), { seed: 7, numRuns: 300 });
  });

  it('assembles a large frame from many chunks and reports the bytes held meanwhile', () => {
    const body = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < body.length; i += 4096) body[i] = i % 251;
    const stream = framed(body);
    const reader = new FrameReader(16 * 1024 * 1024);
    const frames: Buffer[] = [];
    for (let pos = 0; pos < stream.length; pos += 16 * 1024) {
      frames.push(...reader.push(stream.subarray(pos, pos + 16 * 1024)));
      if (pos + 16 * 1024 < stream.length) expect(reader.partialBytes).toBe(Math.min(pos + 16 * 1024, stream.length) - 4);
    }
    expect(frames).toHaveLength(1);
    expect(frames[0]!.equals(body)).toBe(true);
  });

  it('refuses a negative or oversized size prefix', () => {
    expect(() => new FrameReader(100).push(Buffer.from('ffffffff', 'hex'))).toThrow(/request of -1 bytes/);
    expect(() => new FrameReader(100).push(Buffer.from('00000065', 'hex'))).toThrow(/request of 101 bytes exceeds the limit of 100/);
  });
});
