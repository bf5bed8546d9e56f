import { StreamsError } from '../common/index.ts';
import type { LogEngine } from '../log/index.ts';

/** The partition count of `topic`, or undefined when the engine has no such topic. */
export function partitionsOf(engine: LogEngine, topic: string): number | undefined {
  try {
    return engine.partitionCount(topic);
  } catch {
    return undefined;
  }
}

/** Partitions auto-creation may still make while answering one request (the broker's maxPartitionsPerRequest). */
export interface CreationBudget {
  partitions: number;
}

/**
 * Creates `topic` unless it exists (another request may have created it meanwhile), within the
 * request's `budget`, so one Metadata or Produce naming thousands of new topics cannot create them all.
 * @throws StreamsError INVALID_PARTITIONS when the budget is spent, or what createTopic throws.
 */
export async function ensureTopic(engine: LogEngine, topic: string, partitions: number, budget: CreationBudget): Promise<void> {
  if (partitionsOf(engine, topic) !== undefined) return;
  if (partitions > budget.partitions) {
    throw new StreamsError('INVALID_PARTITIONS', `creating topic "${topic}" would pass this request's limit of partitions created (--max-partitions-per-request)`);
  }
  try {
    await engine.createTopic(topic, { partitions });
    budget.partitions -= partitions;
  } catch (error) {
    if (partitionsOf(engine, topic) === undefined) throw error;
  }
}
