import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const srcRoot = join(import.meta.dirname, '../../src');

/**
 * The modules each module may import (DESIGN.md and docs/architecture.md), always through their
 * index.ts. Imports of third-party packages are checked too: classic-level belongs to state/ only.
 */
const allowed: { readonly [module: string]: readonly string[] } = {
  common: [],
  record: ['common'],
  serde: ['common'],
  log: ['common', 'record'],
  protocol: ['common', 'record'],
  broker: ['common', 'record', 'log', 'protocol'],
  client: ['common', 'record', 'log'],
  state: ['common', 'serde'],
  processor: ['common', 'serde', 'state'],
  topology: ['common', 'serde', 'state', 'processor'],
  dsl: ['topology', 'processor', 'state', 'serde', 'common'],
  query: ['state', 'serde', 'common'],
  metrics: ['common'],
  runtime: ['topology', 'processor', 'state', 'client', 'serde', 'common', 'query', 'metrics'],
  http: ['runtime', 'query', 'metrics', 'topology', 'serde', 'common'],
  testing: ['common', 'record', 'serde', 'log', 'protocol', 'broker', 'client', 'state', 'processor', 'topology', 'dsl', 'runtime', 'query', 'metrics'],
  cli: ['common', 'record', 'serde', 'log', 'protocol', 'broker', 'client', 'state', 'processor', 'topology', 'dsl', 'runtime', 'testing', 'http', 'query', 'metrics'],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []);
}

const modules = readdirSync(srcRoot, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);

describe('the direction of imports', () => {
  it('runtime/ never imports http/ (the endpoint reads the runtime from outside)', () => {
    expect(allowed['runtime']).not.toContain('http');
    const offenders = filesUnder(join(srcRoot, 'runtime')).filter((file) => /from '(\.\.\/)+http\//.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => relative(srcRoot, file))).toEqual([]);
  });

  it('every module of src/ is known to this test', () => {
    expect(modules.filter((m) => !(m in allowed))).toEqual([]);
  });

  for (const module of modules) {
    it(`${module}/ imports other modules only through their index.ts, and only those it may`, () => {
      const violations: string[] = [];
      for (const file of filesUnder(join(srcRoot, module))) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(/from '([^']+)'/g)) {
          const specifier = match[1]!;
          if (!specifier.startsWith('.')) {
            if (specifier === 'classic-level' && module !== 'state') violations.push(`${relative(srcRoot, file)} imports classic-level`);
            if (specifier === 'prom-client' && module !== 'metrics') violations.push(`${relative(srcRoot, file)} imports prom-client`);
            continue;
          }
          const target = relative(srcRoot, join(file, '..', specifier));
          const [targetModule, ...rest] = target.split('/');
          if (targetModule === module) continue;
          if (!allowed[module]!.includes(targetModule!) || rest.join('/') !== 'index.ts') {
            violations.push(`${relative(srcRoot, file)} imports ${target}`);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }
});
