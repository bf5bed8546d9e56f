import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const srcRoot = join(import.meta.dirname, '../../src');
const dslRoot = join(srcRoot, 'dsl');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []);
}

describe('dsl/ import direction (DESIGN.md)', () => {
  it('imports only topology/, processor/, state/, serde/ and common/, through their index.ts — never runtime/ or client/', () => {
    const allowed = ['topology', 'processor', 'state', 'serde', 'common'];
    const violations: string[] = [];
    for (const file of filesUnder(dslRoot)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
        const specifier = match[1]!;
        if (!specifier.startsWith('.')) {
          if (!specifier.startsWith('node:')) violations.push(`${relative(srcRoot, file)} imports ${specifier}`);
          continue;
        }
        const target = relative(srcRoot, join(file, '..', specifier));
        const [targetModule, ...rest] = target.split('/');
        if (targetModule === 'dsl') continue;
        if (!allowed.includes(targetModule!) || rest.join('/') !== 'index.ts') violations.push(`${relative(srcRoot, file)} imports ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
