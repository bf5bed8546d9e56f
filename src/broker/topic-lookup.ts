import type { LogEngine } from '../log/index.ts';

/** The partition count of `topic`, or undefined when the engine has no such topic. */
export function partitionsOf(engine: LogEngine, topic: string): number | undefined {
  try {
    return engine.partitionCount(topic);
  } catch {
    return undefined;
  }
}

/** Creates `topic` unless it exists (another request may have created it meanwhile). */
export async function ensureTopic(engine: LogEngine, topic: string, partitions: number): Promise<void> {
  if (partitionsOf(engine, topic) !== undefined) return;
  try {
    await engine.createTopic(topic, { partitions });
  } catch (error) {
    if (partitionsOf(engine, topic) === undefined) throw error;
  }
}
