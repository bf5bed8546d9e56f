import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, consumerProject, packTarball, runNode, typescript59, typescript7, type Run } from './consumer-project.ts';

/**
 * The package as a user gets it: `npm pack`, installed into a fresh project, used with plain
 * node (ESM and CommonJS), type-checked by TypeScript 5.9 and 7 under the settings projects use,
 * bundled with esbuild, driven through its `kstreams` command, and tested with Vitest through the
 * kstreams/vitest preset.
 */
let packDir: string;
let tarball: string;
let consumer: string;
let install: Run;
let tsc59: string;

beforeAll(async () => {
  packDir = mkdtempSync(join(tmpdir(), 'kstreams-pack-'));
  [tarball, tsc59] = await Promise.all([packTarball(packDir), typescript59()]);
  ({ dir: consumer, install } = await consumerProject(tarball));
}, 600_000);

afterAll(() => {
  for (const dir of [packDir, consumer]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const outputOf = (result: Run) => {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout.trim();
};

describe('the packed tarball', () => {
  it('holds the compiled code, its types, the command, docs, README and LICENSE, and nothing else', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((file) => file.replace(/^package\//, ''));
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'bin/kstreams.js', 'dist/index.js', 'dist/index.d.ts', 'dist/testing/index.js', 'dist/cli/main.js']));
    const unexpected = files.filter((file) => !/^(package\.json|README\.md|LICENSE|bin\/kstreams\.js|docs\/[\w-]+\.md|dist\/.+\.(js|d\.ts))$/.test(file));
    expect(unexpected).toEqual([]);
  });

  it('installs without engine warnings', () => {
    expect(install.stderr).not.toMatch(/EBADENGINE/);
  });
});

describe('a consumer project', () => {
  it('runs a topology through TopologyTestDriver with plain node', async () => {
    expect(JSON.parse(outputOf(await runNode(['app.mjs'], consumer)))).toEqual([{ key: 'a', value: 'HELLO' }, { key: 'b', value: 'STREAMS' }]);
  });

  it('loads the package with require() from CommonJS', async () => {
    expect(JSON.parse(outputOf(await runNode(['app.cjs'], consumer)))).toEqual([{ key: 'a', value: 5 }]);
  });

  // TypeScript 7 under every combination; TypeScript 5.9, slower, under three that with them
  // cover every pair of settings (module resolution, strict, skipLibCheck, compiler version).
  const settings = [
    ...['nodenext', 'bundler'].flatMap((resolution) => [true, false].flatMap((strict) => [true, false].map((skipLibCheck) => ({ resolution, strict, skipLibCheck, typescript: '7' })))),
    { resolution: 'nodenext', strict: true, skipLibCheck: false, typescript: '5.9' },
    { resolution: 'bundler', strict: false, skipLibCheck: false, typescript: '5.9' },
    { resolution: 'nodenext', strict: false, skipLibCheck: true, typescript: '5.9' },
  ];
  it.each(settings)('type-checks with moduleResolution $resolution, strict $strict, skipLibCheck $skipLibCheck, TypeScript $typescript', async ({ resolution, strict, skipLibCheck, typescript }) => {
    const config = `tsconfig.${resolution}-${strict}-${skipLibCheck}-${typescript}.json`;
    writeFileSync(join(consumer, config), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: resolution === 'nodenext' ? 'nodenext' : 'esnext', moduleResolution: resolution, strict, skipLibCheck, types: ['node'], noEmit: true },
      include: ['src'],
    }));
    const result = await runNode([typescript === '7' ? typescript7 : tsc59, '-p', config], consumer);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  }, 300_000);

  it('runs its compiled TypeScript with plain node', async () => {
    const compiled = await runNode([typescript7, '--outDir', 'build', '--module', 'nodenext', '--target', 'ES2022', '--strict', '--types', 'node', 'src/app.ts'], consumer);
    expect(compiled.stdout).toBe('');
    expect(JSON.parse(outputOf(await runNode(['build/app.js'], consumer)))).toEqual({ shouted: [['a', 'HELLO'], ['a', 'AGAIN']], count: 2 });
  });

  it('bundles with esbuild and runs the bundle', async () => {
    outputOf(await runNode(['bundle.mjs'], consumer));
    expect(JSON.parse(outputOf(await runNode(['bundle/app.mjs'], consumer)))).toEqual([{ key: 'a', value: 'HELLO' }, { key: 'b', value: 'STREAMS' }]);
  });

  it('runs the kstreams command from the compiled code, loading a TypeScript app', async () => {
    const described = outputOf(await runNode(['node_modules/kstreams/bin/kstreams.js', 'describe', 'word-app.ts'], consumer));
    expect(described).toContain('Source: KSTREAM-SOURCE-0000000000 (topics: [words])');
  });

  it('says what to change when a TypeScript app sits in a CommonJS package (no "type": "module", as npm init makes it)', async () => {
    mkdirSync(join(consumer, 'cjs'));
    writeFileSync(join(consumer, 'cjs', 'package.json'), JSON.stringify({ name: 'cjs-app', private: true }));
    cpSync(join(consumer, 'word-app.ts'), join(consumer, 'cjs', 'word-app.ts'));
    const result = await runNode(['node_modules/kstreams/bin/kstreams.js', 'describe', 'cjs/word-app.ts'], consumer);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cjs/word-app.ts loads as CommonJS (its package.json has no "type": "module"), and kstreams loads applications as ES modules: add "type": "module" to the package.json, or rename the file to .mts');
  });

  it('says which package to install to run against a Kafka cluster', async () => {
    const result = await runNode(['kafka-without-client.mjs', join(consumer, 'state')], consumer);
    expect(result.stdout.trim()).toBe('INVALID_CONFIG: running against a Kafka cluster ("bootstrap.servers") needs the Kafka client package: npm install @platformatic/kafka');
  });

  it('finds and runs its tests with `vitest run <dir>` through the kstreams/vitest preset', async () => {
    symlinkSync(join(ROOT, 'node_modules', 'vitest'), join(consumer, 'node_modules', 'vitest'), 'dir');
    writeFileSync(join(consumer, 'vitest.config.mjs'), "export { default } from 'kstreams/vitest';\n");
    const result = await runNode(['node_modules/vitest/vitest.mjs', 'run', 'uppercase'], consumer);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Tests\s+.*1 passed/);
  });
});
