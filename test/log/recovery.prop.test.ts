import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { LogEngine } from '../../src/log/index.ts';
import { readBatchHeader } from '../../src/record/index.ts';
import { setLogLevel, setLogSink, type LogLevel } from '../../src/common/index.ts';
import { tempDir } from '../support/temp-dir.ts';

/** Writes `batches` calls of 3 records each with flush.messages=1, so every batch was fsynced. */
async function writeLog(dir: string, batches: number): Promise<number[]> {
  const log = await LogEngine.open({ dataDir: dir });
  await log.createTopic('t', { config: { 'flush.messages': 1, 'segment.bytes': 4000, 'index.interval.bytes': 256 } });
  const ends: number[] = [];
  for (let b = 0; b < batches; b++) {
    await log.produce('t', [0, 1, 2].map((i) => ({ key: Buffer.from(`k${b}`), value: Buffer.alloc(40 + i, b), timestamp: b * 10 + i, headers: [] })));
    ends.push((b + 1) * 3);
  }
  await log.close();
  return ends;
}

function activeLogFile(dir: string): string {
  const files = readdirSync(join(dir, 't-0')).filter((f) => f.endsWith('.log')).sort();
  return join(dir, 't-0', files[files.length - 1]!);
}

// The warning about cut bytes is part of the behaviour under test, whatever KSTREAMS_LOG_LEVEL says.
setLogLevel('warn');

describe('recovery of a damaged segment tail', () => {
  it('cut at any point: never returns a corrupt record, keeps every whole batch before the cut, reports the bytes dropped', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), async (batches, where, unclean) => {
        const dir = tempDir();
        await writeLog(dir, batches);
        const file = activeLogFile(dir);
        const content = readFileSync(file);
        const cut = Math.floor(where * content.length);
        // Offsets held by the batches that lie wholly before the cut: all of them must survive.
        let survivingOffsets = 0;
        for (let pos = 0; pos < content.length; ) {
          const header = readBatchHeader(content, pos)!;
          if (pos + header.sizeInBytes > cut) break;
          survivingOffsets = header.baseOffset + header.lastOffsetDelta + 1;
          pos += header.sizeInBytes;
        }
        truncateSync(file, cut);
        if (unclean) rmSync(join(dir, '.clean-shutdown'), { force: true });
        const warnings: string[] = [];
        const previous = setLogSink((level: LogLevel, _c, message) => level === 'warn' && warnings.push(message));
        try {
          const log = await LogEngine.open({ dataDir: dir });
          const kept = statSync(file).size;
          const { latest } = await log.listOffsets('t', 0);
          const firstOffsetOfActive = Number(file.slice(-24, -4));
          expect(latest).toBe(Math.max(survivingOffsets, firstOffsetOfActive));
          const records = [];
          for (let offset = 0; offset < latest; ) {
            const page = await log.fetch('t', 0, offset);
            records.push(...page);
            offset = page[page.length - 1]!.offset + 1;
          }
          // Every record read back is one that was written, in order, whole.
          records.forEach((r, i) => {
            expect(r.offset).toBe(i);
            const b = Math.floor(i / 3);
            expect(r.value).toEqual(Buffer.alloc(40 + (i % 3), b));
          });
          expect(latest % 3).toBe(0);
          // New appends continue right after the surviving records.
          const [ack] = await log.produce('t', [{ key: Buffer.from('again'), value: null, timestamp: 0, headers: [] }]);
          expect(ack!.offset).toBe(latest);
          await log.close();
          if (kept < cut) expect(warnings.some((w) => w.includes(`cut the log there: ${cut - kept} bytes of that segment`))).toBe(true);
        } finally {
          setLogSink(previous);
        }
      }),
      { seed: 31, numRuns: 40 },
    );
  });

  it('a corrupted byte in the last batch drops that batch only', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 21, max: 170 }), async (batches, fromEnd) => {
        const dir = tempDir();
        const ends = await writeLog(dir, batches);
        const file = activeLogFile(dir);
        const size = statSync(file).size;
        const lastBatchSize = 61 + 3 * 50; // generous bound: every batch here is shorter
        const position = size - Math.min(fromEnd, lastBatchSize - 40);
        const fd = openSync(file, 'r+');
        writeSync(fd, Buffer.from([0xee]), 0, 1, position);
        closeSync(fd);
        const log = await LogEngine.open({ dataDir: dir });
        const { latest } = await log.listOffsets('t', 0);
        expect([ends[ends.length - 2] ?? 0, ends[ends.length - 1]]).toContain(latest);
        await log.close();
      }),
      { seed: 32, numRuns: 30 },
    );
  });
});
