import fc from 'fast-check';
import { describe, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { producePathProperty } from './support/produce-fuzz.ts';

describe('produce path with lying batches', () => {
  it('refuses a batch or keeps all of it: acknowledged records survive an unclean reopen at contiguous offsets', async () => {
    await fc.assert(producePathProperty(tempDir), { numRuns: 60, seed: 20261205 });
  });
});
