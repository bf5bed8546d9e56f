/**
 * Writes a partition of several closed segments and damages it the ways a disk does: a flipped
 * byte in the middle of a closed segment, or an index entry pointing into a batch.
 */
import { closeSync, openSync, readFileSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LogEngine } from '../../../src/log/index.ts';
import { readBatchHeader } from '../../../src/record/index.ts';

export const RECORDS_PER_BATCH = 4;

/** The value of record `offset`: its number, so a reader can tell a wrong value from a right one. */
export function valueOf(offset: number): Buffer {
  return Buffer.from(`value-${offset}-${'x'.repeat(40)}`);
}

/** Writes `batches` batches of 4 records to topic "t" (one partition, ~2 KB segments, an index entry every other batch) and closes cleanly. */
export async function writePartition(dir: string, batches: number): Promise<void> {
  const log = await LogEngine.open({ dataDir: dir });
  await log.createTopic('t', { config: { 'segment.bytes': 2000, 'index.interval.bytes': 500 } });
  for (let b = 0; b < batches; b++) {
    const first = b * RECORDS_PER_BATCH;
    await log.produce('t', Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({
      key: Buffer.from(`k${first + i}`), value: valueOf(first + i), timestamp: 1_000 + first + i, headers: [], partition: 0,
    })));
  }
  await log.close();
}

/** The `.log` files of partition t-0, oldest first. */
export function segmentFiles(dir: string): string[] {
  return readdirSync(join(dir, 't-0')).filter((f) => f.endsWith('.log')).sort().map((f) => join(dir, 't-0', f));
}

/** The batches of a segment file: position, size and offsets. */
export function batchesOf(file: string): Array<{ position: number; size: number; baseOffset: number; lastOffset: number }> {
  const content = readFileSync(file);
  const batches = [];
  for (let position = 0; position < content.length; ) {
    const header = readBatchHeader(content, position)!;
    batches.push({ position, size: header.sizeInBytes, baseOffset: header.baseOffset, lastOffset: header.baseOffset + header.lastOffsetDelta });
    position += header.sizeInBytes;
  }
  return batches;
}

/** Flips one byte inside the records of the middle batch of `file`; returns that batch. */
export function flipByteMidSegment(file: string): { position: number; baseOffset: number; lastOffset: number; flipped: number } {
  const batches = batchesOf(file);
  const batch = batches[Math.floor(batches.length / 2)]!;
  const flipped = batch.position + batch.size - 20; // inside the last record's value
  const fd = openSync(file, 'r+');
  const one = Buffer.alloc(1);
  const content = readFileSync(file);
  one[0] = content[flipped]! ^ 0x5a;
  writeSync(fd, one, 0, 1, flipped);
  closeSync(fd);
  return { ...batch, flipped };
}

/**
 * Damages the second entry of the `.index` of `logFile` so that the index still looks consistent
 * (entries increase, positions lie in the file): `into-batch` points it 10 bytes into its batch,
 * `wrong-offset` makes it name the first offset of the batch before the one at its position.
 */
export function damageIndex(logFile: string, kind: 'into-batch' | 'wrong-offset'): void {
  const indexFile = logFile.replace(/\.log$/, '.index');
  const index = readFileSync(indexFile);
  if (index.length < 16) throw new Error(`${indexFile} has fewer than two entries`);
  if (kind === 'into-batch') {
    index.writeInt32BE(index.readInt32BE(12) + 10, 12);
  } else {
    const batches = batchesOf(logFile);
    const at = batches.findIndex((b) => b.position === index.readInt32BE(12));
    index.writeInt32BE(batches[at - 1]!.baseOffset - batches[0]!.baseOffset, 8);
  }
  writeFileSync(indexFile, index);
}
