import { createRequire } from 'node:module';

/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of Kafka record batches.
 * Every batch served from disk is checked, so this runs over every byte a fetch reads: it uses the
 * SSE4.2/ARMv8 CRC instructions through @node-rs/crc32 (prebuilt for common platforms; about ten
 * times the JavaScript loop on large batches, see bench/fetch-crc.ts) and falls back to the
 * JavaScript slicing-by-8 loop below where that package has no binary.
 */
type NativeCrc32c = (input: Buffer, initialState?: number) => number;

function loadNative(): NativeCrc32c | undefined {
  try {
    const loaded = createRequire(import.meta.url)('@node-rs/crc32') as { crc32c?: NativeCrc32c };
    const native = loaded.crc32c;
    // The standard check value: a binary that computes anything else is not used.
    return native !== undefined && native(Buffer.from('123456789')) === 0xe3069283 ? native : undefined;
  } catch {
    return undefined;
  }
}

const NATIVE = loadNative();

/** True when CRC-32C runs on the native (hardware) implementation rather than the JavaScript fallback. */
export const nativeCrc32c = NATIVE !== undefined;

/** CRC-32C of `bytes[start, end)` as an unsigned 32-bit number. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (NATIVE === undefined) return crc32cJs(bytes, start, end);
  return NATIVE(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)) >>> 0;
}

/**
 * The JavaScript CRC-32C: slicing-by-8, eight 256-entry tables let the loop consume 8 bytes per
 * step, several times faster than the byte-at-a-time table loop.
 */
const TABLES: Uint32Array[] = buildTables();

function buildTables(): Uint32Array[] {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  const first = tables[0]!;
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    first[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = first[n]!;
    for (let t = 1; t < 8; t++) {
      c = first[c & 0xff]! ^ (c >>> 8);
      tables[t]![n] = c >>> 0;
    }
  }
  return tables;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** CRC-32C of `bytes[start, end)` in JavaScript (the fallback, and the baseline of the benchmark). */
export function crc32cJs(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let crc = 0xffffffff;
  let i = start;
  // Bytes one at a time up to a 4-byte boundary of the underlying memory, so the main loop can
  // read whole 32-bit words (two loads per 8 bytes instead of eight).
  while (i < end && ((bytes.byteOffset + i) & 3) !== 0) crc = t0[(crc ^ bytes[i++]!) & 0xff]! ^ (crc >>> 8);
  if (LITTLE_ENDIAN && end - i >= 8) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, (end - i) >>> 2);
    const pairs = words.length >>> 1;
    for (let w = 0; w < pairs * 2; w += 2) {
      const low = crc ^ words[w]!;
      const high = words[w + 1]!;
      crc =
        t7[low & 0xff]! ^
        t6[(low >>> 8) & 0xff]! ^
        t5[(low >>> 16) & 0xff]! ^
        t4[low >>> 24]! ^
        t3[high & 0xff]! ^
        t2[(high >>> 8) & 0xff]! ^
        t1[(high >>> 16) & 0xff]! ^
        t0[high >>> 24]!;
    }
    i += pairs * 8;
  }
  for (; i < end; i++) crc = t0[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
