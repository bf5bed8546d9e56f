import type { StoreRegistration, TopologyNode } from '../../topology/index.ts';

/**
 * The part of a topology one task runs: the nodes of one sub-topology and the stores its
 * processors use, with topic names as they exist at run time.
 */
export interface TaskTopology {
  readonly subtopologyId: number;
  /** The sub-topology's nodes, each after its parents. */
  readonly nodes: readonly TopologyNode[];
  /** Stores connected to the sub-topology's processors, in the order they are initialised. */
  readonly stores: readonly StoreRegistration[];
  /** The run-time name of a topic named in the topology: internal topics get the application-id prefix. */
  topicName(name: string): string;
}
