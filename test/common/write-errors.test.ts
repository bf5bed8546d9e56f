import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Writes fail with ENOSPC while `diskFull` is set: a full disk, without filling one.
let diskFull = false;
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    if (diskFull) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    return (fs.writeSync as (...a: unknown[]) => number)(...args);
  }) as typeof fs.writeSync;
  return { ...fs, default: { ...fs, writeSync }, writeSync };
});

// Fresh module instances, so they see the mocked writeSync even where a setup file loaded them first.
vi.resetModules();
const { writeFileAtomic, isStreamsError } = await import('../../src/common/index.ts');
const { LogEngine } = await import('../../src/log/index.ts');
const { tempDir } = await import('../support/temp-dir.ts');

afterEach(() => {
  diskFull = false;
});

describe('a full disk', () => {
  it('fails an atomic file write with STORAGE_ERROR naming the file, keeps the old content and leaves no temp file', () => {
    const dir = tempDir();
    const path = join(dir, 'offsets.json');
    writeFileAtomic(path, 'old');
    diskFull = true;
    let error: unknown;
    try {
      writeFileAtomic(path, 'new');
    } catch (e) {
      error = e;
    }
    expect(isStreamsError(error, 'STORAGE_ERROR')).toBe(true);
    expect((error as Error).message).toContain(`cannot write ${path}: no space left on the device`);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('fails a produce with STORAGE_ERROR naming topic, partition and segment file; the log takes later writes cleanly', async () => {
    const log = await LogEngine.open({ dataDir: tempDir() });
    await log.createTopic('orders');
    await log.produce('orders', [{ key: null, value: Buffer.from('a'), timestamp: 1, headers: [] }]);
    diskFull = true;
    let error: unknown;
    try {
      await log.produce('orders', [{ key: null, value: Buffer.from('b'), timestamp: 2, headers: [] }]);
    } catch (e) {
      error = e;
    }
    expect(isStreamsError(error, 'STORAGE_ERROR')).toBe(true);
    expect((error as Error).message).toMatch(/^orders-0: cannot write .*orders-0\/0{20}\.log: no space left on the device/);
    expect((error as { location?: object }).location).toEqual({ topic: 'orders', partition: 0 });
    diskFull = false;
    const [ack] = await log.produce('orders', [{ key: null, value: Buffer.from('c'), timestamp: 3, headers: [] }]);
    expect(ack!.offset).toBe(1);
    expect((await log.fetch('orders', 0, 0)).map((r) => r.value!.toString())).toEqual(['a', 'c']);
    await log.close();
  });
});
