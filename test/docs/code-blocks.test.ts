import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asModule, docLine, documentationFiles, typeScriptBlocks } from './code-blocks.ts';

/**
 * Every ```ts block in README.md and docs/*.md type-checks against the current API, as a user
 * would compile it: each block becomes a module in a temporary project inside the repository (so
 * `kstreams` and `kstreams/testing` resolve to this package through its `exports`), compiled with
 * the repository's compiler options. Blocks marked ```ts fragment are skipped; a block marked
 * ```ts continued compiles together with the block before it.
 */
const root = join(import.meta.dirname, '..', '..');

describe('code blocks in the documentation', () => {
  it('type-check', () => {
    const blocks = documentationFiles(root).flatMap((doc) => typeScriptBlocks(root, doc));
    expect(blocks.length).toBeGreaterThan(10);
    mkdirSync(join(root, 'tmp'), { recursive: true });
    const directory = mkdtempSync(join(root, 'tmp', 'code-blocks-'));
    try {
      const files = blocks.map((block, index) => {
        const file = `block-${index}.ts`;
        writeFileSync(join(directory, file), asModule(root, block, directory));
        return { file, block };
      });
      writeFileSync(join(directory, 'tsconfig.json'), JSON.stringify({
        extends: '../../tsconfig.json',
        compilerOptions: { noUnusedLocals: false },
        include: files.map(({ file }) => file),
      }));
      const tsc = join(root, 'node_modules', '.bin', 'tsc');
      const result = spawnSync(tsc, ['-p', join(directory, 'tsconfig.json'), '--noEmit', '--pretty', 'false'], { encoding: 'utf8', timeout: 120_000 });
      const output = `${result.stdout}${result.stderr}`;
      // Point each error at its line in the Markdown file.
      const errors = output.split('\n').filter((line) => line.includes('error TS')).map((line) => {
        const at = /block-(\d+)\.ts\((\d+),(\d+)\)/.exec(line);
        if (at === null) return line;
        const { block } = files[Number(at[1])]!;
        return `${block.doc}:${docLine(block, Number(at[2]))}:${at[3]} ${line.slice(line.indexOf('error TS'))}`;
      });
      expect(errors).toEqual([]);
      expect(result.status, output).toBe(0);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
