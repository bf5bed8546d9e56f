import { join } from 'node:path';
import { DirLock, STATE_DIRECTORY, makeDirectory } from '../common/index.ts';
import type { Topology } from '../topology/index.ts';

/**
 * Creates and locks `<state.dir>/<application.id>` before a stateful application starts: two
 * instances sharing one state directory would overwrite each other's stores and checkpoints, so
 * the second one stops with STATE_DIR_LOCKED naming the first. A topology without stores needs no
 * state directory (as in Kafka Streams) and gets no lock. Returns the lock to release on close.
 *
 * @example
 * const lock = lockStateDirectory(topology, './kstreams-state', 'orders-app');
 * // ... run ...
 * lock?.release();
 */
export function lockStateDirectory(topology: Topology, stateDir: string, applicationId: string): DirLock | undefined {
  if (topology.stores.size === 0) return undefined;
  const dir = join(stateDir, applicationId);
  makeDirectory(dir, STATE_DIRECTORY);
  return DirLock.acquire(dir, {
    code: 'STATE_DIR_LOCKED',
    role: STATE_DIRECTORY,
    advice: `stop it, or give each instance of "${applicationId}" its own "state.dir" (--state-dir)`,
  });
}
