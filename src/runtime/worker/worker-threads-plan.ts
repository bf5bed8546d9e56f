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

/** What the threads need to run in workers (see `StreamThreadsContext.workers`). */
export interface WorkerThreadsPlan {
  readonly topologyModule: string;
  readonly config: StreamsConfig;
  readonly recordMetrics: boolean;
}

/**
 * The worker plan, or undefined (with a warning line when more than one thread was asked for)
 * when the threads run in-loop.
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
  if (options.topologyModule === undefined) {
    return options.threads > 1 ? inLoop('no topologyModule option was given (worker threads rebuild the topology from it)') : undefined;
  }
  if (planTasks(options.topology, options.applicationId).global !== undefined) return inLoop('the topology has global stores, which one thread keeps for the whole instance');
  let config: StreamsConfig;
  try {
    config = structuredClone(options.config);
  } catch (error) {
    return inLoop(`the config holds values a worker thread cannot receive (${(error as Error).message}); give handlers by class name`);
  }
  const topologyModule = options.topologyModule instanceof URL ? options.topologyModule.href : options.topologyModule;
  return { topologyModule, config, recordMetrics: options.recordMetrics };
}
