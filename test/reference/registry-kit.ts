import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { freePort } from './kit.ts';

/**
 * A real Schema Registry for the registry-serde tests: Apicurio Registry (version pinned in
 * `registry/pom.xml`) with in-memory storage, whose Confluent-compatible REST API lives under
 * `/apis/ccompat/v7`. Maven Central has the registry only as a plain Quarkus application jar, so
 * the first run re-packages it with the quarkus-maven-plugin (a few minutes; the result is cached
 * under `~/.cache/kstreams-reference/registry-<hash of the pom and settings>`).
 */

const REGISTRY_ROOT = join(import.meta.dirname, 'registry');
const CACHE_ROOT = process.env.KSTREAMS_REFERENCE_CACHE ?? join(homedir(), '.cache', 'kstreams-reference');

/** The Apicurio version the pom pins. */
export const APICURIO_VERSION = /<apicurio\.version>([^<]+)<\/apicurio\.version>/.exec(readFileSync(join(REGISTRY_ROOT, 'pom.xml'), 'utf8'))?.[1] ?? 'unknown';

function projectFiles(dir = REGISTRY_ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'target' ? [] : projectFiles(path);
    return [path];
  }).sort();
}

/** Builds the runnable registry once per pom and settings; returns the jar to start. */
export function buildRegistry(): string {
  const hash = createHash('sha256');
  for (const file of projectFiles()) hash.update(relative(REGISTRY_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  const directory = join(CACHE_ROOT, `registry-${hash.digest('hex').slice(0, 16)}`);
  const built = runnerOf(directory);
  if (built !== undefined) return built;
  mkdirSync(CACHE_ROOT, { recursive: true });
  const staging = mkdtempSync(join(CACHE_ROOT, 'building-registry-'));
  try {
    cpSync(REGISTRY_ROOT, staging, { recursive: true, filter: (source) => !source.includes(`${REGISTRY_ROOT}/target`) });
    const result = spawnSync('mvn', ['-q', '-B', '-f', join(staging, 'pom.xml'), 'package', '-DskipTests'], { encoding: 'utf8', timeout: 900_000, maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) {
      throw new Error(`registry kit: mvn package failed (exit ${result.status ?? result.signal}):\n${`${result.stdout}${result.stderr}`.trim().split('\n').slice(-30).join('\n')}`);
    }
    try {
      renameSync(staging, directory);
    } catch (error) {
      // Another process finished the same build first; its result is identical.
      if (runnerOf(directory) === undefined) throw error;
    }
    return runnerOf(directory)!;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function runnerOf(directory: string): string | undefined {
  const fastJar = join(directory, 'target', 'quarkus-app', 'quarkus-run.jar');
  if (existsSync(fastJar)) return fastJar;
  const target = join(directory, 'target');
  if (!existsSync(target)) return undefined;
  const runner = readdirSync(target).find((name) => name.endsWith('-runner.jar'));
  return runner === undefined ? undefined : join(target, runner);
}

/** A running registry. */
export interface ReferenceRegistry {
  /** Base URL of the Confluent-compatible API, e.g. http://127.0.0.1:PORT/apis/ccompat/v7. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the registry on a free loopback port and resolves when Quarkus says it listens. */
export async function startRegistry(jar: string): Promise<ReferenceRegistry> {
  const port = await freePort();
  const child = spawn('java', ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', `-Dquarkus.http.port=${port}`, '-Dquarkus.http.host=127.0.0.1', '-jar', jar], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (!/Listening on: http/.test(output)) return;
      child.off('exit', onExit);
      resolve();
    };
    const onExit = (code: number | null) => reject(new Error(`Apicurio Registry exited (${code}) before listening:\n${output.trim().split('\n').slice(-30).join('\n')}`));
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', onExit);
  });
  // Its request log is not needed once it listens; keep draining the pipes so it never blocks.
  output = '';
  child.stdout.removeAllListeners('data').resume();
  child.stderr.removeAllListeners('data').resume();
  return {
    url: `http://127.0.0.1:${port}/apis/ccompat/v7`,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
