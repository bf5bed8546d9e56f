import { execFileSync, spawnSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { buildReference, missingReferenceTools } from '../reference/kit.ts';

/**
 * Prepares what the integration tests need: kcat from Debian when it is missing and the machine
 * allows it (root with apt-get), and the reference kit (Apache Kafka and Kafka Streams resolved
 * with Maven, the Java harness compiled; cached after the first run). Where something cannot be
 * had, its tests skip with one line saying what to install.
 */
export default function setup(project: TestProject): void {
  installKcat();
  const missing = missingReferenceTools();
  if (missing !== undefined) {
    console.log(missing);
    project.provide('reference', { missing });
    return;
  }
  project.provide('reference', { build: buildReference((line) => console.log(line)) });
}

function installKcat(): void {
  if (commandExists('kcat')) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !commandExists('apt-get')) return;
  console.log('test set-up: installing kcat (Debian package kcat) for the broker compatibility tests');
  const result = spawnSync('apt-get', ['install', '-y', '-q', 'kcat'], { stdio: 'ignore', timeout: 180_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore', timeout: 180_000 });
    spawnSync('apt-get', ['install', '-y', '-q', 'kcat'], { stdio: 'ignore', timeout: 180_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
}

export function commandExists(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
