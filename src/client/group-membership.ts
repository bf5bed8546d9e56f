/** A member of the application's group, as the assignment leader sees it. */
export interface GroupMemberInfo {
  readonly memberId: string;
  /** What the member told the group when it joined (its previous tasks, for sticky assignment). */
  readonly userData: Buffer;
}

/** Topic partitions handed to one member. */
export type TopicPartitions = ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }>;

/** Computes every member's topic partitions (runs on the member the group chose as leader). */
export type GroupAssignor = (members: readonly GroupMemberInfo[]) => Map<string, TopicPartitions>;

/**
 * Membership of the application's consumer group, for clusters where several instances share the
 * work (Kafka Streams' group of `application.id`). The runtime supplies the assignor (tasks, not
 * bare partitions) and learns its own assignment after every rebalance.
 */
export interface GroupMembership {
  /**
   * Joins and stays in the group (heartbeats) until `leave()`. `onRebalance` runs, synchronously,
   * as soon as a rebalance starts; `onAssignment` gets this member's partitions once it ends.
   */
  joinGroup(options: {
    readonly groupId: string;
    readonly topics: readonly string[];
    /** Read at every join, so the group hears the member's current tasks and offsets. */
    readonly userData: () => Buffer;
    readonly assignor: GroupAssignor;
    readonly sessionTimeoutMs: number;
    readonly onRebalance: () => void;
    readonly onAssignment: (assignment: TopicPartitions) => void;
  }): Promise<void>;
  /**
   * Joins again now, so the group rebalances (the leader's probing rebalance, KIP-441: warm-up
   * copies that caught up take their tasks over). `onRebalance` does not run for it: the caller
   * pauses its own work first.
   */
  rejoinGroup(): Promise<void>;
  leaveGroup(): Promise<void>;
  /**
   * Every member of the group as the coordinator holds them now (DescribeGroups): what each said
   * when it joined and the partitions it was given. `stable` is false while a rebalance is under
   * way (the assignments are then being replaced).
   */
  describeGroupMembers(groupId: string): Promise<GroupSnapshot>;
}

/** The members of a group with their join data and assignments, from DescribeGroups. */
export interface GroupSnapshot {
  readonly stable: boolean;
  readonly members: ReadonlyArray<GroupMemberInfo & { readonly assignment: TopicPartitions }>;
}

/** True when a cluster coordinates several application instances through a group. */
export function hasGroupMembership(cluster: object): cluster is GroupMembership {
  return typeof (cluster as Partial<GroupMembership>).joinGroup === 'function';
}
