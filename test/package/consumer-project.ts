import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** What a child process printed and how it ended. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment for nested npm and node processes: without the npm_* variables of the
 * `npm test` that may have started this run, which would point a nested npm at this repository.
 */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
}

/** Runs a command to its end (or until `timeoutMs`, then kills it); never rejects. */
export function run(command: string, args: readonly string[], cwd: string, timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: childEnv(), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr: error !== null && code === null ? `${stderr}\n${error.message}` : stderr });
    });
  });
}

/** Runs `node <args>` in `cwd`. */
export function runNode(args: readonly string[], cwd: string, timeoutMs?: number): Promise<Run> {
  return run(process.execPath, args, cwd, timeoutMs);
}

function ok(what: string, result: Run): Run {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${String(result.code)}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Packs the package as `npm publish` would (prepack builds dist/); returns the tarball's path. */
export async function packTarball(into: string): Promise<string> {
  const result = ok('npm pack', await run('npm', ['pack', '--json', '--pack-destination', into], ROOT, 300_000));
  const [packed] = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as { filename: string }[];
  return join(into, packed!.filename);
}

/**
 * A consumer project in a fresh directory with `tarball` and `@types/node` installed from npm;
 * `files` are copied in from test/package/fixtures.
 */
export async function consumerProject(tarball: string): Promise<{ dir: string; install: Run }> {
  const dir = mkdtempSync(join(tmpdir(), 'kstreams-consumer-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'kstreams-consumer', private: true, type: 'module' }, null, 2));
  cpSync(join(import.meta.dirname, 'fixtures'), dir, { recursive: true });
  const install = ok('npm install', await run('npm', ['install', '--no-audit', '--no-fund', tarball, '@types/node@20'], dir, 300_000));
  return { dir, install };
}

/**
 * The TypeScript 5.9 compiler, installed from npm once into a directory under the OS temp dir
 * that later runs reuse (installed beside it, then renamed, so concurrent runs never see half an
 * install). TypeScript 7 is this repository's own.
 */
export async function typescript59(): Promise<string> {
  const home = join(tmpdir(), 'kstreams-package-test');
  const dir = join(home, 'typescript-5.9');
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  if (existsSync(tsc)) return tsc;
  mkdirSync(home, { recursive: true });
  const staging = mkdtempSync(join(home, 'staging-'));
  writeFileSync(join(staging, 'package.json'), '{ "private": true }');
  ok('npm install typescript@5.9', await run('npm', ['install', '--no-audit', '--no-fund', 'typescript@~5.9.2'], staging, 300_000));
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  return tsc;
}

/** TypeScript 7, the version this repository builds with. */
export const typescript7 = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
