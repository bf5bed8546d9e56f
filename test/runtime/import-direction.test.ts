import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const srcRoot = join(import.meta.dirname, '../../src');

/** Modules each of these may import (DESIGN.md), always through their index.ts. */
const allowed: { [module: string]: readonly string[] } = {
  runtime: ['topology', 'processor', 'state', 'client', 'serde', 'common'],
  testing: ['runtime', 'topology', 'processor', 'state', 'serde', 'common', 'dsl', 'client', 'record', 'log', 'broker', 'protocol'],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []);
}

describe('import direction', () => {
  for (const [module, mayImport] of Object.entries(allowed)) {
    it(`${module}/ imports other modules only through their index.ts and only those DESIGN.md allows`, () => {
      const violations: string[] = [];
      for (const file of filesUnder(join(srcRoot, module))) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(/from '(\.[^']+)'/g)) {
          const target = relative(srcRoot, join(file, '..', match[1]!));
          const [targetModule, ...rest] = target.split('/');
          if (targetModule === module) continue;
          if (!mayImport.includes(targetModule!) || rest.join('/') !== 'index.ts') {
            violations.push(`${relative(srcRoot, file)} imports ${target}`);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }
});
