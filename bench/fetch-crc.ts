/**
 * What checking every served batch's CRC-32C costs a fetch, measured in the same run.
 *
 * - checked: a partition of 1 KiB records (100 per batch) read end to end with
 *   `LogEngine.fetchBatches` in 1 MiB pages, as the broker's Fetch serves them: every batch's CRC
 *   is verified before it is handed out (MB/s of batch bytes);
 * - unchecked: the same byte ranges read from the segment files with plain `fs.readSync`, the
 *   stored bytes served as they were before the check (the baseline); ratio = checked / unchecked;
 * - crc native / crc js: CRC-32C alone over the same bytes, with the native code (@node-rs/crc32)
 *   and with the JavaScript fallback.
 *
 * Each figure is the best of three runs. Reading from the page cache is nearly free, so the ratio
 * is about what CRC-32C costs per byte: with the native CRC a checked fetch still serves several
 * hundred MB/s per core, well above what a network link carries; with the JavaScript fallback it
 * would be a fraction of that.
 * Usage: `npx tsx bench/fetch-crc.ts [--mb N]` (default 64 MiB). The last line is one JSON object.
 */
import { closeSync, mkdtempSync, openSync, readdirSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LogEngine } from '../src/log/index.ts';
import { crc32c, crc32cJs, nativeCrc32c } from '../src/record/index.ts';

const { values: args } = parseArgs({ options: { mb: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
if (args.help === true) {
  console.log('usage: npx tsx bench/fetch-crc.ts [--mb N]\nMeasures fetch throughput with and without CRC checks; last line is JSON.');
  process.exit(0);
}
const totalMb = args.mb === undefined ? 64 : Number(args.mb);
if (!(totalMb > 0)) {
  console.error(`bench/fetch-crc: --mb must be a positive number, got '${args.mb}'`);
  process.exit(2);
}

const MB = 1024 * 1024;
const RUNS = 3;
const PAGE = MB;

function best(run: () => number): number {
  let top = 0;
  for (let i = 0; i < RUNS; i++) top = Math.max(top, run());
  return top;
}

const dir = mkdtempSync(join(tmpdir(), 'kstreams-bench-crc-'));
try {
  const engine = await LogEngine.open({ dataDir: dir, retentionCheckIntervalMs: 0 });
  await engine.createTopic('t');
  const value = Buffer.alloc(1024, 0x61);
  const batches = Math.ceil((totalMb * MB) / (100 * 1100));
  for (let b = 0; b < batches; b++) {
    await engine.produce('t', Array.from({ length: 100 }, (_, i) => ({ key: Buffer.from(`key-${b}-${i}`), value, timestamp: b * 100 + i, headers: [], partition: 0 })));
  }
  const { latest } = await engine.listOffsets('t', 0);

  // The pages a reader asks for: the offset each starts at and how many bytes it holds.
  const pages: Array<{ offset: number; bytes: number }> = [];
  for (let offset = 0; offset < latest; ) {
    const { bytes: page } = await engine.fetchBatches('t', 0, offset, PAGE);
    pages.push({ offset, bytes: page.length });
    let p = 0;
    while (p + page.readInt32BE(p + 8) + 12 < page.length) p += page.readInt32BE(p + 8) + 12;
    offset = Number(page.readBigInt64BE(p)) + page.readInt32BE(p + 23) + 1;
  }
  const totalBytes = pages.reduce((sum, p) => sum + p.bytes, 0);
  const mbPerSec = (ms: number) => totalBytes / MB / (ms / 1000);

  const checkedMbPerSec = await bestAsync(async () => {
    const started = performance.now();
    for (const page of pages) await engine.fetchBatches('t', 0, page.offset, PAGE);
    return mbPerSec(performance.now() - started);
  });

  const segment = readdirSync(join(dir, 't-0')).filter((f) => f.endsWith('.log'));
  if (segment.length !== 1) throw new Error(`expected one segment, found ${segment.length}`);
  const fd = openSync(join(dir, 't-0', segment[0]!), 'r');
  const uncheckedMbPerSec = best(() => {
    const started = performance.now();
    let position = 0;
    for (const page of pages) {
      const bytes = Buffer.allocUnsafe(page.bytes);
      readSync(fd, bytes, 0, page.bytes, position);
      position += page.bytes;
    }
    return mbPerSec(performance.now() - started);
  });
  const all = Buffer.allocUnsafe(totalBytes);
  readSync(fd, all, 0, totalBytes, 0);
  closeSync(fd);
  const crcOver = (crc: (b: Uint8Array, s: number, e: number) => number) => best(() => {
    const started = performance.now();
    for (let p = 0; p < totalBytes; p += PAGE) crc(all, p, Math.min(p + PAGE, totalBytes));
    return mbPerSec(performance.now() - started);
  });
  const nativeMbPerSec = crcOver(crc32c);
  const jsMbPerSec = crcOver(crc32cJs);
  await engine.close();

  const ratio = checkedMbPerSec / uncheckedMbPerSec;
  console.log(`${(totalBytes / MB).toFixed(0)} MiB of batches in ${pages.length} pages of 1 MiB`);
  console.log(`fetch, CRC checked   ${checkedMbPerSec.toFixed(0).padStart(6)} MB/s (CRC-32C ${nativeCrc32c ? 'native' : 'JavaScript'})`);
  console.log(`read, no check       ${uncheckedMbPerSec.toFixed(0).padStart(6)} MB/s   ratio checked/unchecked ${ratio.toFixed(2)}`);
  console.log(`CRC-32C alone: native ${nativeMbPerSec.toFixed(0)} MB/s, JavaScript ${jsMbPerSec.toFixed(0)} MB/s (${(nativeMbPerSec / jsMbPerSec).toFixed(1)}x)`);
  console.log(JSON.stringify({
    bench: 'fetch-crc', mib: Math.round(totalBytes / MB), checkedMbPerSec: Math.round(checkedMbPerSec), uncheckedMbPerSec: Math.round(uncheckedMbPerSec),
    ratio: Number(ratio.toFixed(3)), native: nativeCrc32c, crcNativeMbPerSec: Math.round(nativeMbPerSec), crcJsMbPerSec: Math.round(jsMbPerSec),
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function bestAsync(run: () => Promise<number>): Promise<number> {
  let top = 0;
  for (let i = 0; i < RUNS; i++) top = Math.max(top, await run());
  return top;
}
