import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogEngine } from '../../src/log/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { cli } from './in-process-cli.ts';

describe('a command on a data directory another command holds', () => {
  it('waits until the holder lets go instead of failing (commands started together do not race)', async () => {
    const dataDir = join(tempDir(), 'data');
    const holder = await LogEngine.open({ dataDir });
    await holder.createTopic('orders');
    const listed = cli(['topics', 'list', '--data-dir', dataDir]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await holder.close();
    expect(await listed).toMatchObject({ code: 0, lines: ['orders'] });
  });
});
