import type { IsolationLevel } from '../log/index.ts';

/** The wire's isolation_level (0 read_uncommitted, 1 read_committed) as the engine names it; absent (old versions) is 0. */
export function isolationLevelOf(wire: unknown): IsolationLevel {
  return wire === 1 ? 'read_committed' : 'read_uncommitted';
}
