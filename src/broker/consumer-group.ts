/** One member of a consumer group, as the coordinator tracks it. */
export interface GroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: Array<{ name: string; metadata: Buffer }>;
  assignment: Buffer;
  lastHeartbeatMs: number;
  /** Set while the member waits for the rebalance to complete its JoinGroup. */
  pendingJoin: ((result: JoinResult) => void) | undefined;
  /** Set while the member waits for the leader's SyncGroup. */
  pendingSync: ((result: SyncResult) => void) | undefined;
}

/** What a completed join tells a member. */
export interface JoinResult {
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leader: string;
  readonly memberId: string;
  /** JoinGroup v9+: the leader of a static rejoin gets the members but must keep the current assignment (KIP-814). */
  readonly skipAssignment: boolean;
  /** Filled for the leader only: every member with its metadata for the chosen protocol. */
  readonly members: Array<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>;
}

/** What a completed sync tells a member. */
export interface SyncResult {
  readonly errorCode: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignment: Buffer;
}

/** Kafka's classic group states. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

/** A consumer group's membership and generation. */
export class ConsumerGroup {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, GroupMember>();
  /** Static members (KIP-345): `group.instance.id` → the member id that holds it now. */
  readonly staticMembers = new Map<string, string>();
  /**
   * Member ids handed out with MEMBER_ID_REQUIRED (KIP-394) whose JoinGroup has not come back yet,
   * → when they expire (the session timeout they asked for). A rebalance waits for them as for members.
   */
  readonly pendingMembers = new Map<string, number>();
  /** When the current rebalance gives up on members that have not rejoined. */
  rebalanceDeadlineMs = 0;
  /** A new group's first rebalance waits until then for more members (Kafka's initial rebalance delay). */
  joinNotBeforeMs = 0;

  constructor(readonly groupId: string) {}

  /** Puts `next` in `previous`'s place, keeping the members' order (the first member's protocol preference wins). */
  replaceMember(previous: GroupMember, next: GroupMember): void {
    const entries = [...this.members.entries()].map(([id, m]): [string, GroupMember] => (id === previous.memberId ? [next.memberId, next] : [id, m]));
    this.members.clear();
    for (const [id, m] of entries) this.members.set(id, m);
    if (this.leaderId === previous.memberId) this.leaderId = next.memberId;
    if (next.groupInstanceId !== null) this.staticMembers.set(next.groupInstanceId, next.memberId);
  }

  /**
   * Why a request naming an existing member is refused (Kafka's validateMember), or undefined when
   * it is not: UNKNOWN_MEMBER_ID for an id the group does not hold, FENCED_INSTANCE_ID for an older
   * member id of a `group.instance.id`.
   */
  memberError(memberId: string, groupInstanceId: string | null): 'UNKNOWN_MEMBER_ID' | 'FENCED_INSTANCE_ID' | undefined {
    if (groupInstanceId !== null) {
      const holder = this.staticMembers.get(groupInstanceId);
      if (holder === undefined) return 'UNKNOWN_MEMBER_ID';
      if (holder !== memberId) return 'FENCED_INSTANCE_ID';
    }
    return this.members.has(memberId) ? undefined : 'UNKNOWN_MEMBER_ID';
  }

  /**
   * True when a request names a `group.instance.id` now held by another member id: it comes from an
   * older start of the same instance and is answered with FENCED_INSTANCE_ID.
   */
  fencedInstance(memberId: string, groupInstanceId: string | null): boolean {
    if (groupInstanceId === null) return false;
    const holder = this.staticMembers.get(groupInstanceId);
    return holder !== undefined && holder !== memberId;
  }

  /** The protocol every member supports, in the leader's (first member's) order of preference. */
  chooseProtocol(): string | null {
    const members = [...this.members.values()];
    const first = members[0];
    if (first === undefined) return null;
    return first.protocols.map((p) => p.name).find((name) => members.every((m) => m.protocols.some((p) => p.name === name))) ?? null;
  }

  /** True when every member supports at least one protocol all the others support too. */
  supportsProtocols(protocolType: string, protocols: ReadonlyArray<{ name: string }>): boolean {
    if (this.members.size === 0) return true;
    if (this.protocolType !== null && protocolType !== this.protocolType) return false;
    return protocols.some((p) => [...this.members.values()].every((m) => m.protocols.some((q) => q.name === p.name)));
  }
}
