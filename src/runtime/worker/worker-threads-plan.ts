/**
 * Whether an instance's stream threads can run in worker threads, and what they need there: the
 * module that rebuilds the topology, and a config a Worker can receive. When they cannot, the
 * threads run as loops on the main thread's event loop, and one warning line says why.
 */
import { getLogger } from '../../common/index.ts';
import type { Topology } from '../../topology/index.ts';
import type { StreamsConfig } from '../streams-config-shape.ts';
import { planTasks } from '../task-plan.ts';

const log = getLogger('runtime');

/** A config value a worker receives as it is: a string, number, boolean, null, or an array of those. */
function isPlainSetting(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(isPlainSetting);
  return value === null || value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** What the threads need to run in workers (see `StreamThreadsContext.workers`). */
export interface WorkerThreadsPlan {
  readonly topologyModule: string;
  readonly config: StreamsConfig;
  readonly recordMetrics: boolean;
}

/**
 * The worker plan, or undefined (with a warning line when more than one thread was asked for)
 * when the threads run in-loop. One thread runs in-loop: a worker would add a hop and gain no
 * core, and `store()` reads in-loop stores; threads added later then run in-loop too.
 */
export function workerThreadsPlan(options: {
  topology: Topology;
  applicationId: string;
  config: StreamsConfig;
  threads: number;
  topologyModule: string | URL | undefined;
  recordMetrics: boolean;
}): WorkerThreadsPlan | undefined {
  const inLoop = (why: string) => {
    log.warn(`num.stream.threads=${options.threads}: the threads share one event loop (no extra CPU cores) because ${why}`);
    return undefined;
  };
  if (options.threads <= 1) return undefined;
  if (options.topologyModule === undefined) return inLoop('no topologyModule option was given (worker threads rebuild the topology from it)');
  if (planTasks(options.topology, options.applicationId).global !== undefined) return inLoop('the topology has global stores, which one thread keeps for the whole instance');
  // Objects (serdes, handler instances) would reach a worker as plain data without their methods.
  const unsendable = Object.entries(options.config).find(([, value]) => !isPlainSetting(value));
  if (unsendable !== undefined) return inLoop(`config "${unsendable[0]}" is an object or function, which a worker thread cannot receive; give it as a string or number`);
  const config = { ...options.config };
  const topologyModule = options.topologyModule instanceof URL ? options.topologyModule.href : options.topologyModule;
  return { topologyModule, config, recordMetrics: options.recordMetrics };
}
