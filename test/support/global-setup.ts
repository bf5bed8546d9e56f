import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Installs what the integration tests need from Debian when it is missing and the machine allows
 * it (root with apt-get): kcat, the librdkafka command-line client the broker is tested with.
 * Where it cannot be installed, the kcat tests skip with one line saying what to install.
 */
export default function setup(): void {
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
