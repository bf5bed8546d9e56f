import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LogEngine } from '../../src/log/index.ts';
import { isStreamsError, setLogLevel, setLogSink, type LogLevel } from '../../src/common/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { RECORDS_PER_BATCH, batchesOf, damageIndex, flipByteMidSegment, segmentFiles, valueOf, writePartition } from './support/damage.ts';

const BATCHES = 40;
// The warnings are part of the behaviour under test, whatever KSTREAMS_LOG_LEVEL says.
setLogLevel('warn');
let lines: string[] = [];
const previousSink = setLogSink((level: LogLevel, _category, message) => void (level !== 'info' && level !== 'debug' && lines.push(message)));
afterEach(() => {
  lines = [];
});
void previousSink;

/** Reads the partition from 0 to its end through `fetch`, a page at a time. */
async function readAll(log: LogEngine): Promise<Array<{ offset: number; value: string }>> {
  const { earliest, latest } = await log.listOffsets('t', 0);
  const out = [];
  for (let offset = earliest; offset < latest; ) {
    const page = await log.fetch('t', 0, offset, { maxBytes: 700 });
    if (page.length === 0) break;
    out.push(...page.map((r) => ({ offset: r.offset, value: r.value!.toString() })));
    offset = page[page.length - 1]!.offset + 1;
  }
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function expectRecordsUpTo(records: Array<{ offset: number; value: string }>, end: number): void {
  expect(records.map((r) => r.offset)).toEqual(Array.from({ length: end }, (_, i) => i));
  for (const r of records) expect(r.value).toBe(valueOf(r.offset).toString());
}

describe('a damaged batch in the middle of a closed segment', () => {
  it('on a clean open: is never served; reads stop before it with an error naming topic, partition, offsets, file and byte', async () => {
    const dir = tempDir();
    await writePartition(dir, BATCHES);
    const files = segmentFiles(dir);
    expect(files.length).toBeGreaterThan(3);
    const damaged = flipByteMidSegment(files[1]!);
    const log = await LogEngine.open({ dataDir: dir });
    // Every record before the damaged batch reads back right, however the pages fall.
    const before: Array<{ offset: number; value: string }> = [];
    for (let offset = 0; offset < damaged.baseOffset; ) {
      const page = await log.fetch('t', 0, offset, { maxBytes: 1 << 20 });
      before.push(...page.map((r) => ({ offset: r.offset, value: r.value!.toString() })));
      offset = page[page.length - 1]!.offset + 1;
    }
    expectRecordsUpTo(before, damaged.baseOffset);
    // The damaged batch itself, from any offset inside it, through either read path.
    for (const read of [() => log.fetch('t', 0, damaged.baseOffset + 1), () => log.fetchBatches('t', 0, damaged.lastOffset, 1 << 20)]) {
      const error = await rejection(read());
      expect(isStreamsError(error, 'CORRUPT_RECORD')).toBe(true);
      const message = (error as Error).message;
      expect(message).toContain('t-0');
      expect(message).toContain(`offsets ${damaged.baseOffset}..${damaged.lastOffset}`);
      expect(message).toContain(`byte ${damaged.position} of ${files[1]}`);
      expect((error as { location?: object }).location).toEqual({ topic: 't', partition: 0, offset: damaged.baseOffset });
    }
    expect(lines.some((l) => l.includes(`offsets ${damaged.baseOffset}..${damaged.lastOffset}`))).toBe(true);
    // The batches after it are still served (the damage is reported, not hidden by a hole).
    const after = await log.fetch('t', 0, damaged.lastOffset + 1);
    expect(after[0]!.offset).toBe(damaged.lastOffset + 1);
    await log.close();
    // Damage was seen: the shutdown is not marked clean, so the next open verifies every segment.
    expect(existsSync(join(dir, '.clean-shutdown'))).toBe(false);
    expect(lines.some((l) => l.includes('the next open runs a full recovery'))).toBe(true);
    await expectCutAtDamage(dir, damaged, files);
  });

  it('on an unclean open: the log is cut before it and the later segments go, so no offset is silently skipped', async () => {
    const dir = tempDir();
    await writePartition(dir, BATCHES);
    const files = segmentFiles(dir);
    const damaged = flipByteMidSegment(files[1]!);
    rmSync(join(dir, '.clean-shutdown'));
    await expectCutAtDamage(dir, damaged, files);
  });

  it('a damaged batch length on a clean open also cuts the log there, not leaving later segments behind a hole', async () => {
    const dir = tempDir();
    await writePartition(dir, BATCHES);
    const files = segmentFiles(dir);
    const batches = batchesOf(files[1]!);
    const middle = batches[Math.floor(batches.length / 2)]!;
    const { openSync, writeSync, closeSync } = await import('node:fs');
    const fd = openSync(files[1]!, 'r+');
    writeSync(fd, Buffer.from([0x7f]), 0, 1, middle.position + 8); // batchLength now points far past the file
    closeSync(fd);
    await expectCutAtDamage(dir, middle, files);
  });
});

/** Opens `dir` and checks that recovery cut the log at `damaged`: records before it intact, nothing after, appends continue. */
async function expectCutAtDamage(dir: string, damaged: { position: number; baseOffset: number }, files: string[]): Promise<void> {
  lines = [];
  const log = await LogEngine.open({ dataDir: dir });
  const { latest } = await log.listOffsets('t', 0);
  expect(latest).toBe(damaged.baseOffset);
  expectRecordsUpTo(await readAll(log), damaged.baseOffset);
  expect(segmentFiles(dir)).toEqual(files.slice(0, 2));
  const warning = lines.find((l) => l.includes(`byte ${damaged.position} of segment ${files[1]}`));
  expect(warning).toBeDefined();
  expect(warning).toContain(`${files.length - 2} later segment(s)`);
  expect(warning).toContain(`records from offset ${damaged.baseOffset} on are gone`);
  const [ack] = await log.produce('t', [{ key: Buffer.from('k'), value: valueOf(damaged.baseOffset), timestamp: 5, headers: [], partition: 0 }]);
  expect(ack!.offset).toBe(damaged.baseOffset);
  await log.close();
  expect(existsSync(join(dir, '.clean-shutdown'))).toBe(true);
}

describe('an index that points where no batch of its offset starts', () => {
  for (const kind of ['into-batch', 'wrong-offset'] as const) {
    it(`(${kind}) is found on open, rebuilt with a warning, and every offset reads back`, async () => {
      const dir = tempDir();
      await writePartition(dir, BATCHES);
      const files = segmentFiles(dir);
      damageIndex(files[1]!, kind);
      const log = await LogEngine.open({ dataDir: dir });
      expect(lines.some((l) => l.includes(`the index of segment ${Number(files[1]!.slice(-24, -4))} is wrong`))).toBe(true);
      // Reading from every single offset starts at exactly that record.
      for (let offset = 0; offset < BATCHES * RECORDS_PER_BATCH; offset++) {
        const [first] = await log.fetch('t', 0, offset, { maxBytes: 1 });
        expect(first!.offset).toBe(offset);
        expect(first!.value!.toString()).toBe(valueOf(offset).toString());
      }
      await log.close();
    });
  }
});
