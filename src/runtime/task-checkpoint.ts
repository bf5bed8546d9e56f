import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDirectory, writeFileAtomic } from '../common/index.ts';

const FILE = '.checkpoint';
const VERSION = 2;

/**
 * What a checkpoint vouches for: for each logged store, the changelog offset its local state has
 * reached, and for each persistent one the number of its last durable write (which the store keeps
 * inside its own data, so the two can be compared on open).
 */
export interface Checkpoint {
  readonly offsets: ReadonlyMap<string, number>;
  readonly durableWrites: ReadonlyMap<string, number>;
}

/** A task directory's checkpoint as read: absent, unusable (and why), or its content. */
export type CheckpointRead =
  | { readonly kind: 'absent' }
  | { readonly kind: 'unusable'; readonly reason: string }
  | { readonly kind: 'found'; readonly checkpoint: Checkpoint };

/**
 * A task's checkpoint, `<task dir>/.checkpoint`: `{"version": 2, "offsets": {store: offset},
 * "durableWrites": {store: n}}`. Written atomically after a commit (at-least-once: once the
 * changelogs moved 10,000 records past the last one, and always when the task closes or moves),
 * once the stores' data it vouches for is durable; a task directory without a usable one is not
 * trusted and its stores are rebuilt from their changelogs.
 */
export const TaskCheckpoint = {
  read(taskDir: string): CheckpointRead {
    const path = join(taskDir, FILE);
    if (!existsSync(path)) return { kind: 'absent' };
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      return { kind: 'unusable', reason: `its checkpoint ${path} is not readable JSON (${(error as Error).message})` };
    }
    const content = json as { version?: unknown; offsets?: unknown; durableWrites?: unknown } | null;
    if (content === null || typeof content !== 'object' || content.version !== VERSION) {
      return { kind: 'unusable', reason: `its checkpoint ${path} is not of format version ${VERSION} (an older kstreams, or damage)` };
    }
    const offsets = numbers(content.offsets);
    const durableWrites = numbers(content.durableWrites);
    if (offsets === undefined || durableWrites === undefined) return { kind: 'unusable', reason: `its checkpoint ${path} holds something other than offsets` };
    return { kind: 'found', checkpoint: { offsets, durableWrites } };
  },

  /**
   * Deletes the checkpoint: under exactly-once a running task's stores may hold writes of a
   * transaction not committed yet, so only a clean close vouches for them (Kafka Streams does the same).
   */
  remove(taskDir: string): void {
    if (!existsSync(join(taskDir, FILE))) return;
    rmSync(join(taskDir, FILE), { force: true });
    fsyncDirectory(taskDir);
  },

  write(taskDir: string, checkpoint: Checkpoint): void {
    if (!existsSync(taskDir)) return;
    writeFileAtomic(join(taskDir, FILE), JSON.stringify({
      version: VERSION, offsets: Object.fromEntries(checkpoint.offsets), durableWrites: Object.fromEntries(checkpoint.durableWrites),
    }));
  },
};

function numbers(value: unknown): Map<string, number> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const entries = Object.entries(value as { [key: string]: unknown });
  if (!entries.every(([, n]) => Number.isSafeInteger(n) && (n as number) >= 0)) return undefined;
  return new Map(entries as Array<[string, number]>);
}
