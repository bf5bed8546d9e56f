import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const srcRoot = join(import.meta.dirname, '../../src');
const stateRoot = join(srcRoot, 'state');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []);
}

describe('state/ import direction (DESIGN.md)', () => {
  it('imports only common/ and serde/, through their index.ts, and no other module\'s files', () => {
    const violations: string[] = [];
    for (const file of filesUnder(stateRoot)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
        const specifier = match[1]!;
        if (!specifier.startsWith('.')) {
          // Packages: only Node built-ins and the LevelDB binding (state/ is its only importer).
          if (!specifier.startsWith('node:') && specifier !== 'classic-level') violations.push(`${relative(srcRoot, file)} imports ${specifier}`);
          continue;
        }
        const target = relative(srcRoot, join(file, '..', specifier));
        const [targetModule, ...rest] = target.split('/');
        if (targetModule === 'state') continue;
        if (!['common', 'serde'].includes(targetModule!) || rest.join('/') !== 'index.ts') violations.push(`${relative(srcRoot, file)} imports ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
