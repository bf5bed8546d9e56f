import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LogEngine, parseTopicConfig, planRetention, type SegmentSummary } from '../../src/log/index.ts';
import { ManualClock } from '../../src/common/index.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('retention', () => {
  const segmentArb = fc.array(fc.record({ sizeBytes: fc.integer({ min: 1, max: 1000 }), maxTimestamp: fc.integer({ min: 0, max: 10_000 }) }), { maxLength: 12 });

  it('deletes only whole, closed segments past the limit, oldest first', () => {
    fc.assert(
      fc.property(segmentArb, fc.integer({ min: 0, max: 2000 }), fc.integer({ min: -1, max: 8000 }), fc.integer({ min: -1, max: 6000 }), (raw, activeBytes, retentionBytes, retentionMs) => {
        const closed: SegmentSummary[] = raw.map((s, i) => ({ ...s, baseOffset: i * 100 }));
        const config = parseTopicConfig({ 'retention.bytes': retentionBytes, 'retention.ms': retentionMs });
        const now = 10_000;
        const n = planRetention(closed, activeBytes, config, now);
        expect(n).toBeGreaterThanOrEqual(0);
        expect(n).toBeLessThanOrEqual(closed.length);
        const remaining = closed.slice(n).reduce((sum, s) => sum + s.sizeBytes, activeBytes);
        const byTime = retentionMs >= 0 ? closed.findIndex((s) => s.maxTimestamp >= now - retentionMs) : 0;
        const timeCount = retentionMs < 0 ? 0 : byTime === -1 ? closed.length : byTime;
        // by size: removing one more segment would no longer be needed, or is not allowed
        if (retentionBytes >= 0 && n > timeCount) {
          expect(remaining).toBeGreaterThanOrEqual(retentionBytes);
          expect(remaining + closed[n - 1]!.sizeBytes - retentionBytes).toBeGreaterThanOrEqual(closed[n - 1]!.sizeBytes);
        }
        if (retentionBytes >= 0 && n < closed.length) expect(remaining - closed[n]!.sizeBytes).toBeLessThan(retentionBytes);
        expect(n).toBeGreaterThanOrEqual(timeCount);
      }),
      { seed: 41 },
    );
  });

  it('never applies to compact-only topics', () => {
    const config = parseTopicConfig({ 'cleanup.policy': 'compact', 'retention.ms': 0 });
    expect(planRetention([{ baseOffset: 0, sizeBytes: 10, maxTimestamp: 0 }], 0, config, 1e9)).toBe(0);
  });

  it('moves the log start offset forward and refuses reads below it', async () => {
    const clock = new ManualClock(1_000_000);
    const log = await LogEngine.open({ dataDir: tempDir(), clock, retentionCheckIntervalMs: 0 });
    await log.createTopic('t', { config: { 'segment.bytes': 500, 'retention.ms': 60_000 } });
    for (let i = 0; i < 20; i++) await log.produce('t', [{ key: null, value: Buffer.alloc(100), timestamp: 1_000_000 + i, headers: [] }]);
    expect(await log.enforceRetention()).toBe(0);
    clock.advance(60_000 + 10);
    const deleted = await log.enforceRetention();
    expect(deleted).toBeGreaterThan(0);
    const { earliest, latest } = await log.listOffsets('t', 0);
    expect(latest).toBe(20);
    expect(earliest).toBeGreaterThan(0);
    expect((await log.fetch('t', 0, earliest))[0]!.offset).toBe(earliest);
    await expect(log.fetch('t', 0, 0)).rejects.toThrow(/outside the valid range/);
    await log.close();
  });

  it('keeps working after records were deleted: the log start only moves forward', async () => {
    const clock = new ManualClock(1_000_000);
    const log = await LogEngine.open({ dataDir: tempDir(), clock, retentionCheckIntervalMs: 0 });
    await log.createTopic('t', { config: { 'segment.bytes': 500, 'retention.ms': 60_000 } });
    for (let i = 0; i < 20; i++) await log.produce('t', [{ key: null, value: Buffer.alloc(100), timestamp: 1_000_000 + i, headers: [] }]);
    await log.deleteRecords('t', 0, 2); // inside the first segment: it stays, the start moves
    expect(await log.listOffsets('t', 0)).toEqual({ earliest: 2, latest: 20 });
    expect(await log.enforceRetention()).toBe(0);
    expect(await log.listOffsets('t', 0)).toEqual({ earliest: 2, latest: 20 });
    clock.advance(60_000 + 10);
    expect(await log.enforceRetention()).toBeGreaterThan(0);
    const { earliest } = await log.listOffsets('t', 0);
    expect(earliest).toBeGreaterThan(2);
    expect((await log.fetch('t', 0, earliest))[0]!.offset).toBe(earliest);
    await log.close();
  });
});

describe('compaction', () => {
  it('keeps exactly the latest record per key with its original offset, in closed segments', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 8 }), value: fc.option(fc.integer({ min: 0, max: 99 }), { nil: null, freq: 6 }) }), { minLength: 1, maxLength: 120 }),
        async (writes) => {
          const clock = new ManualClock(10_000_000);
          const dir = tempDir();
          let log = await LogEngine.open({ dataDir: dir, clock, retentionCheckIntervalMs: 0 });
          await log.createTopic('c', { config: { 'cleanup.policy': 'compact', 'segment.bytes': 300, 'delete.retention.ms': 1_000 } });
          for (const w of writes) {
            await log.produce('c', [{ key: Buffer.from(`k${w.key}`), value: w.value === null ? null : Buffer.from(String(w.value)), timestamp: clock.nowMs(), headers: [] }]);
          }
          const end = writes.length;
          const activeBase = (): number => Math.max(...readdirSync(join(dir, 'c-0')).filter((f) => f.endsWith('.log')).map((f) => Number(f.slice(0, 20))));
          const readAll = async () => {
            const out = [];
            for (let offset = (await log.listOffsets('c', 0)).earliest; offset < end; ) {
              const page = await log.fetch('c', 0, offset);
              if (page.length === 0) break;
              out.push(...page);
              offset = page[page.length - 1]!.offset + 1;
            }
            return out;
          };
          const latest = new Map<string, number>();
          writes.forEach((w, offset) => latest.set(`k${w.key}`, offset));
          const check = async (tombstonesExpired: boolean) => {
            const after = await readAll();
            const closedEnd = activeBase();
            // every latest record is still there, unchanged, at its offset (unless it is an expired tombstone)
            for (const offset of latest.values()) {
              const w = writes[offset]!;
              const found = after.find((r) => r.offset === offset);
              if (w.value === null && tombstonesExpired && offset < closedEnd) expect(found).toBeUndefined();
              else expect(found?.value === null ? null : found?.value?.toString()).toBe(w.value === null ? null : String(w.value));
            }
            // in closed segments only the latest record of a key remains; the active segment is untouched
            for (const r of after) {
              if (r.offset < closedEnd) expect(latest.get(r.key!.toString())).toBe(r.offset);
            }
            expect(after.filter((r) => r.offset >= closedEnd).length).toBe(end - closedEnd);
          };
          await log.compact('c');
          await check(false);
          // After delete.retention.ms the tombstones of closed segments go too, and the result survives a restart.
          clock.advance(1_001);
          await log.compact('c');
          await log.close();
          log = await LogEngine.open({ dataDir: dir, clock, retentionCheckIntervalMs: 0 });
          await check(true);
          await log.close();
        },
      ),
      { seed: 42, numRuns: 30 },
    );
  });

  it('compacts a topic whose records were deleted up to an offset, without bringing them back', async () => {
    const clock = new ManualClock(10_000_000);
    const log = await LogEngine.open({ dataDir: tempDir(), clock, retentionCheckIntervalMs: 0 });
    await log.createTopic('c', { config: { 'cleanup.policy': 'compact', 'segment.bytes': 300 } });
    // Offset 9 (in the segment holding 10) is the only record of key "lone": compaction keeps it, the deletion must not.
    for (let i = 0; i < 30; i++) await log.produce('c', [{ key: Buffer.from(i === 9 ? 'lone' : `k${i % 3}`), value: Buffer.from(String(i)), timestamp: clock.nowMs(), headers: [] }]);
    await log.deleteRecords('c', 0, 10);
    await log.compact('c');
    expect(await log.listOffsets('c', 0)).toEqual({ earliest: 10, latest: 30 });
    const records = [];
    for (let offset = 10; offset < 30; offset = records.at(-1)!.offset + 1) records.push(...(await log.fetch('c', 0, offset)));
    expect(records.every((r) => r.offset >= 10 && r.key!.toString() !== 'lone')).toBe(true);
    expect(records.slice(-3).map((r) => r.value!.toString())).toEqual(['27', '28', '29']); // the latest record of each key is still there
    await expect(log.fetch('c', 0, 9)).rejects.toThrow(/outside the valid range/);
    await log.close();
  });

  it('refuses records without a key on a compacted topic', async () => {
    const log = await LogEngine.open({ dataDir: tempDir() });
    await log.createTopic('c', { config: { 'cleanup.policy': 'compact' } });
    await expect(log.produce('c', [{ key: null, value: Buffer.from('x'), timestamp: 0, headers: [] }])).rejects.toThrow(/needs a key/);
    await log.close();
  });
});
