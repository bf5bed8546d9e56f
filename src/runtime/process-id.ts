import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/index.ts';

/** Kafka Streams' name for the file that keeps an instance's process id across restarts. */
const FILE = 'kafka-streams-process-metadata';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The process id of the instance that owns `appStateDir` (`<state.dir>/<application.id>`), kept in
 * `kafka-streams-process-metadata` as Kafka Streams keeps it: a restart with the same state
 * directory gets the same id, hence the same transactional ids under exactly-once, so its first
 * InitProducerId fences the crashed run's producer and aborts what it left open at once, instead
 * of readers waiting for the transaction timeout. Without a state directory (no stores, no lock) a
 * fresh id each start: instances sharing a default directory must not fence each other.
 *
 * @example
 * const processId = processIdOf(join(stateDir, applicationId), true);
 */
export function processIdOf(appStateDir: string, persistent: boolean): string {
  if (!persistent) return randomUUID();
  const path = join(appStateDir, FILE);
  if (existsSync(path)) {
    try {
      const { processId } = JSON.parse(readFileSync(path, 'utf8')) as { processId?: unknown };
      if (typeof processId === 'string' && UUID.test(processId)) return processId;
    } catch {
      // unreadable: a fresh id below, as for a new directory
    }
  }
  const processId = randomUUID();
  writeFileAtomic(path, JSON.stringify({ processId }));
  return processId;
}

/** Kafka Streams' transactional id of a stream thread's producer under exactly_once_v2 (threads count from 1). */
export function transactionalIdOf(applicationId: string, processId: string, threadIndex: number): string {
  return `${applicationId}-${processId}-${threadIndex}`;
}
