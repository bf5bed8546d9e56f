import { randomUUID } from 'node:crypto';
import { getLogger } from '../common/index.ts';
import { ERROR_CODES } from '../protocol/index.ts';
import { ConsumerGroup } from './consumer-group.ts';
import type { GroupMember, JoinResult, SyncResult } from './consumer-group.ts';

const log = getLogger('broker');

/** A JoinGroup as the coordinator needs it. */
export interface JoinRequest {
  readonly groupId: string;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: Array<{ name: string; metadata: Buffer }>;
  /** JoinGroup v4+: a new member first gets MEMBER_ID_REQUIRED with its id, then joins with it (KIP-394). */
  readonly requireKnownMemberId: boolean;
  /** JoinGroup v9+: the client understands `skipAssignment` (KIP-814). */
  readonly supportsSkipAssignment: boolean;
  /** JoinGroup v8+: why the client (re)joins, for the log. */
  readonly reason?: string | null;
}

/** Kafka's isProtocolInconsistent: both named and different. */
function inconsistent(requested: string | null, current: string | null): boolean {
  return requested !== null && current !== null && requested !== current;
}

/** " (reason: …)" for a log line when the client gave one. */
function reasonOf(reason: string | null | undefined): string {
  return reason === null || reason === undefined || reason === '' ? '' : ` (reason: ${reason})`;
}

/** True when a rejoining member asks for the same protocols with the same metadata (Kafka's `matches`). */
function sameProtocols(current: ReadonlyArray<{ name: string; metadata: Buffer }>, requested: ReadonlyArray<{ name: string; metadata: Buffer }>): boolean {
  return current.length === requested.length && current.every((p, i) => p.name === requested[i]!.name && p.metadata.equals(requested[i]!.metadata));
}

/** Options of the coordinator (Kafka's group.* broker settings). */
export interface GroupCoordinatorOptions {
  /** How long the first rebalance of an empty group waits for more members (default 0 ms). */
  readonly initialRebalanceDelayMs?: number;
  readonly minSessionTimeoutMs?: number;
  readonly maxSessionTimeoutMs?: number;
  /** How often sessions and rebalance deadlines are checked (default 100 ms). */
  readonly checkIntervalMs?: number;
}

/**
 * The group coordinator of Kafka's classic consumer-group protocol: members join (JoinGroup), the
 * leader they are given computes an assignment that every member collects (SyncGroup), and
 * heartbeats keep them in the group. A member that joins or leaves, or whose session times out,
 * starts a rebalance: a new generation, which every member must rejoin; requests from an older
 * generation are fenced with ILLEGAL_GENERATION. Static members (`group.instance.id`, KIP-345)
 * are the exception: one that restarts within its session timeout takes its place back under a
 * new member id without a rebalance, and its older member id is fenced with FENCED_INSTANCE_ID.
 * A dynamic member that joins with JoinGroup v4+ and no member id is first given one with
 * MEMBER_ID_REQUIRED and joins again with it (KIP-394); an id the group does not know is refused
 * with UNKNOWN_MEMBER_ID. Membership lives in memory; committed offsets live in the log engine.
 *
 * @example
 * const coordinator = new GroupCoordinator();
 * const joined = await coordinator.join({ groupId: 'g', memberId: '', ... });
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly timer: NodeJS.Timeout;
  private readonly initialDelayMs: number;
  private readonly minSessionMs: number;
  private readonly maxSessionMs: number;

  constructor(options: GroupCoordinatorOptions = {}, private readonly now: () => number = Date.now) {
    this.initialDelayMs = options.initialRebalanceDelayMs ?? 0;
    this.minSessionMs = options.minSessionTimeoutMs ?? 1_000;
    this.maxSessionMs = options.maxSessionTimeoutMs ?? 1_800_000;
    this.timer = setInterval(() => this.checkDeadlines(), options.checkIntervalMs ?? 100);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    for (const group of this.groups.values()) {
      for (const member of group.members.values()) this.failPending(member, ERROR_CODES.COORDINATOR_NOT_AVAILABLE);
    }
  }

  /** Groups that have members now. */
  groupIds(): string[] {
    return [...this.groups.keys()];
  }

  group(groupId: string): ConsumerGroup | undefined {
    return this.groups.get(groupId);
  }

  join(request: JoinRequest): Promise<JoinResult> {
    const isNew = request.memberId === '';
    if (request.groupId === '') return this.failedJoin(ERROR_CODES.INVALID_GROUP_ID, request.memberId);
    if (request.sessionTimeoutMs < this.minSessionMs || request.sessionTimeoutMs > this.maxSessionMs) {
      return this.failedJoin(ERROR_CODES.INVALID_SESSION_TIMEOUT, request.memberId);
    }
    let group = this.groups.get(request.groupId);
    if (group === undefined) {
      // Only a member without an id creates a group; an id names a member of a group that exists.
      if (!isNew) return this.failedJoin(ERROR_CODES.UNKNOWN_MEMBER_ID, request.memberId);
      this.groups.set(request.groupId, (group = new ConsumerGroup(request.groupId)));
    }
    if (!group.supportsProtocols(request.protocolType, request.protocols)) return this.failedJoin(ERROR_CODES.INCONSISTENT_GROUP_PROTOCOL, request.memberId);
    return isNew ? this.joinNew(group, request) : this.joinKnown(group, request);
  }

  private failedJoin(errorCode: number, memberId: string): Promise<JoinResult> {
    return Promise.resolve({ errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId, skipAssignment: false, members: [] });
  }

  /**
   * A member without an id. A static one takes its instance's place or joins; a dynamic one on
   * JoinGroup v4+ only gets an id with MEMBER_ID_REQUIRED and must join again with it (KIP-394), so
   * a client whose JoinGroup times out and retries leaves no unknown member behind.
   */
  private joinNew(group: ConsumerGroup, request: JoinRequest): Promise<JoinResult> {
    const instanceId = request.groupInstanceId;
    if (instanceId !== null) {
      const holder = group.staticMembers.get(instanceId);
      if (holder !== undefined) return this.rejoinStatic(group, group.members.get(holder)!, request);
      return this.addMember(group, request, `${instanceId}-${randomUUID()}`);
    }
    const memberId = `${request.clientId}-${randomUUID()}`;
    if (!request.requireKnownMemberId) return this.addMember(group, request, memberId);
    group.pendingMembers.set(memberId, this.now() + request.sessionTimeoutMs);
    log.info(`group "${group.groupId}": new member gets id ${memberId} and must join again with it`);
    return this.failedJoin(ERROR_CODES.MEMBER_ID_REQUIRED, memberId);
  }

  /**
   * A member with an id: one handed out with MEMBER_ID_REQUIRED joins now; a member of the group
   * rejoins. As in Kafka, a follower that rejoins a stable group with unchanged metadata gets the
   * current generation back without a rebalance; the leader, or changed metadata, starts one.
   */
  private joinKnown(group: ConsumerGroup, request: JoinRequest): Promise<JoinResult> {
    const memberId = request.memberId;
    if (request.groupInstanceId === null && group.pendingMembers.delete(memberId)) return this.addMember(group, request, memberId);
    const refused = group.memberError(memberId, request.groupInstanceId);
    if (refused !== undefined) return this.failedJoin(ERROR_CODES[refused], memberId);
    const member = group.members.get(memberId)!;
    const why = `member ${memberId} rejoined${reasonOf(request.reason)}`;
    if (group.state === 'PreparingRebalance') return this.updateAndRebalance(group, member, request, why);
    const unchanged = sameProtocols(member.protocols, request.protocols);
    if (group.state === 'Stable' && (group.leaderId === memberId || !unchanged)) return this.updateAndRebalance(group, member, request, why);
    if (group.state === 'CompletingRebalance' && !unchanged) return this.updateAndRebalance(group, member, request, why);
    member.lastHeartbeatMs = this.now();
    return Promise.resolve({
      errorCode: ERROR_CODES.NONE, generationId: group.generationId, protocolType: group.protocolType, protocolName: group.protocolName, leader: group.leaderId ?? '',
      memberId, skipAssignment: false, members: group.state === 'CompletingRebalance' && group.leaderId === memberId ? this.memberMetadata(group) : [],
    });
  }

  /** A new member (dynamic or static) enters the group and starts, or waits for, the next generation. */
  private addMember(group: ConsumerGroup, request: JoinRequest, memberId: string): Promise<JoinResult> {
    const member: GroupMember = {
      memberId, groupInstanceId: request.groupInstanceId, clientId: request.clientId, clientHost: request.clientHost,
      sessionTimeoutMs: request.sessionTimeoutMs, rebalanceTimeoutMs: request.rebalanceTimeoutMs, protocolType: request.protocolType,
      protocols: request.protocols, assignment: Buffer.alloc(0), lastHeartbeatMs: this.now(), pendingJoin: undefined, pendingSync: undefined,
    };
    const delayMs = group.state === 'Empty' ? this.initialDelayMs : 0;
    group.members.set(memberId, member);
    if (request.groupInstanceId !== null) group.staticMembers.set(request.groupInstanceId, memberId);
    group.protocolType = request.protocolType;
    return this.joinRebalance(group, member, delayMs, `member ${memberId} joined${reasonOf(request.reason)}`);
  }

  private updateAndRebalance(group: ConsumerGroup, member: GroupMember, request: JoinRequest, why: string): Promise<JoinResult> {
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.protocols = request.protocols;
    member.lastHeartbeatMs = this.now();
    return this.joinRebalance(group, member, 0, why);
  }

  /**
   * A static member restarted (JoinGroup with its `group.instance.id` and no member id): it takes a
   * new member id, the old one is fenced, and in a stable group it gets its previous assignment
   * back without a rebalance of the others (KIP-345). Its leader learns it leads but must keep the
   * assignment (skipAssignment, JoinGroup v9+); older clients are told the previous leader id so they
   * do not assign.
   */
  private rejoinStatic(group: ConsumerGroup, previous: GroupMember, request: JoinRequest): Promise<JoinResult> {
    const wasLeader = group.leaderId === previous.memberId;
    const member: GroupMember = {
      ...previous, memberId: `${request.groupInstanceId}-${randomUUID()}`, clientId: request.clientId, clientHost: request.clientHost,
      sessionTimeoutMs: request.sessionTimeoutMs, rebalanceTimeoutMs: request.rebalanceTimeoutMs, protocols: request.protocols,
      lastHeartbeatMs: this.now(), pendingJoin: undefined, pendingSync: undefined,
    };
    group.replaceMember(previous, member);
    this.failPending(previous, ERROR_CODES.FENCED_INSTANCE_ID);
    log.info(`group "${group.groupId}": static member "${request.groupInstanceId}" rejoined as ${member.memberId}, replacing ${previous.memberId}`);
    const keepsProtocol = group.protocolName !== null && request.protocols.some((p) => p.name === group.protocolName);
    if (group.state !== 'Stable' || !keepsProtocol) {
      return this.joinRebalance(group, member, 0, `static member "${request.groupInstanceId}" rejoined ${keepsProtocol ? 'during a rebalance' : 'with other protocols'}`);
    }
    const skipAssignment = wasLeader && request.supportsSkipAssignment;
    const members = skipAssignment ? this.memberMetadata(group) : [];
    return Promise.resolve({
      errorCode: ERROR_CODES.NONE, generationId: group.generationId, protocolType: group.protocolType, protocolName: group.protocolName,
      leader: skipAssignment ? member.memberId : wasLeader ? previous.memberId : group.leaderId!, memberId: member.memberId, skipAssignment, members,
    });
  }

  /** Parks the member's JoinGroup until the rebalance it starts (or joins) completes. */
  private joinRebalance(group: ConsumerGroup, member: GroupMember, delayMs: number, why: string): Promise<JoinResult> {
    const joined = new Promise<JoinResult>((resolve) => {
      this.failPending(member, ERROR_CODES.REBALANCE_IN_PROGRESS);
      member.pendingJoin = resolve;
    });
    this.prepareRebalance(group, delayMs, why);
    this.maybeCompleteJoin(group);
    return joined;
  }

  private memberMetadata(group: ConsumerGroup): JoinResult['members'] {
    return [...group.members.values()].map((m) => ({
      memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? Buffer.alloc(0),
    }));
  }

  /**
   * SyncGroup. From v5 the member names the protocol type and name it joined with; one that does
   * not match the group's is refused with INCONSISTENT_GROUP_PROTOCOL (null: not checked).
   */
  sync(
    groupId: string, memberId: string, generationId: number, assignments: ReadonlyArray<{ memberId: string; assignment: Buffer }>, groupInstanceId: string | null = null,
    protocol: { type: string | null; name: string | null } = { type: null, name: null },
  ): Promise<SyncResult> {
    const group = this.groups.get(groupId);
    const failure = (errorCode: number): SyncResult => ({ errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) });
    if (group?.fencedInstance(memberId, groupInstanceId) === true) return Promise.resolve(failure(ERROR_CODES.FENCED_INSTANCE_ID));
    const member = group?.members.get(memberId);
    if (group === undefined || member === undefined) return Promise.resolve(failure(ERROR_CODES.UNKNOWN_MEMBER_ID));
    if (generationId !== group.generationId) return Promise.resolve(failure(ERROR_CODES.ILLEGAL_GENERATION));
    if (inconsistent(protocol.type, group.protocolType) || inconsistent(protocol.name, group.protocolName)) return Promise.resolve(failure(ERROR_CODES.INCONSISTENT_GROUP_PROTOCOL));
    if (group.state === 'PreparingRebalance') return Promise.resolve(failure(ERROR_CODES.REBALANCE_IN_PROGRESS));
    member.lastHeartbeatMs = this.now();
    if (group.state === 'Stable') return Promise.resolve(this.syncResult(group, member));
    const synced = new Promise<SyncResult>((resolve) => {
      member.pendingSync = resolve;
    });
    if (memberId === group.leaderId) {
      for (const { memberId: id, assignment } of assignments) {
        const target = group.members.get(id);
        if (target !== undefined) target.assignment = assignment;
      }
      group.state = 'Stable';
      log.info(`group "${group.groupId}" generation ${group.generationId} is stable with ${group.members.size} member(s)`);
      for (const m of group.members.values()) {
        const pending = m.pendingSync;
        m.pendingSync = undefined;
        pending?.(this.syncResult(group, m));
      }
    }
    return synced;
  }

  heartbeat(groupId: string, memberId: string, generationId: number, groupInstanceId: string | null = null): number {
    const group = this.groups.get(groupId);
    if (group?.fencedInstance(memberId, groupInstanceId) === true) return ERROR_CODES.FENCED_INSTANCE_ID;
    const member = group?.members.get(memberId);
    if (group === undefined || member === undefined) return ERROR_CODES.UNKNOWN_MEMBER_ID;
    member.lastHeartbeatMs = this.now();
    if (generationId !== group.generationId) return ERROR_CODES.ILLEGAL_GENERATION;
    if (group.state === 'PreparingRebalance') return ERROR_CODES.REBALANCE_IN_PROGRESS;
    return ERROR_CODES.NONE;
  }

  /**
   * Removes members; returns an error code per member. A static member may be named by its
   * `group.instance.id` alone (empty member id); a member id that no longer holds the instance id is fenced.
   */
  leave(groupId: string, leaving: ReadonlyArray<{ memberId: string; groupInstanceId: string | null; reason?: string | null }>): number[] {
    const group = this.groups.get(groupId);
    return leaving.map(({ memberId: requested, groupInstanceId, reason }) => {
      if (group !== undefined && requested !== '' && group.pendingMembers.delete(requested)) {
        log.info(`group "${group.groupId}": member ${requested} left before joining${reasonOf(reason)}`);
        this.maybeCompleteJoin(group);
        this.forgetIfUnused(group);
        return ERROR_CODES.NONE;
      }
      const memberId = groupInstanceId === null || requested !== '' ? requested : (group?.staticMembers.get(groupInstanceId) ?? '');
      if (group?.fencedInstance(memberId, groupInstanceId) === true) return ERROR_CODES.FENCED_INSTANCE_ID;
      const member = group?.members.get(memberId);
      if (group === undefined || member === undefined) return ERROR_CODES.UNKNOWN_MEMBER_ID;
      this.removeMember(group, member, `left the group${reasonOf(reason)}`);
      return ERROR_CODES.NONE;
    });
  }

  /** Drops a group with neither members nor member ids waiting to join (its offsets stay in the log engine). */
  private forgetIfUnused(group: ConsumerGroup): void {
    if (group.members.size === 0 && group.pendingMembers.size === 0 && group.state === 'Empty') this.groups.delete(group.groupId);
  }

  /**
   * Whether an offset commit may be applied, as Kafka's classic group decides: a commit naming no
   * member (generation -1, the admin client's or a consumer's without a group) only while the
   * group has no members; a member's commit only in its current generation, and not while its
   * group waits for the leader's assignment (REBALANCE_IN_PROGRESS; a member that has not rejoined
   * yet may still commit what it consumed, as a consumer does when its partitions are revoked).
   * A transactional commit (TxnOffsetCommit) is not held back by the group's state.
   */
  validateCommit(groupId: string, memberId: string, generationId: number, groupInstanceId: string | null = null, transactional = false): number {
    const group = this.groups.get(groupId);
    const namesMember = generationId >= 0 || memberId !== '' || groupInstanceId !== null;
    if (group === undefined || (!namesMember && group.state === 'Empty')) return namesMember ? ERROR_CODES.UNKNOWN_MEMBER_ID : ERROR_CODES.NONE;
    if (namesMember) {
      const refused = group.memberError(memberId, groupInstanceId);
      if (refused !== undefined) return ERROR_CODES[refused];
      if (generationId !== group.generationId) return ERROR_CODES.ILLEGAL_GENERATION;
    } else if (!transactional) {
      return ERROR_CODES.UNKNOWN_MEMBER_ID;
    }
    if (!transactional && group.state === 'CompletingRebalance') return ERROR_CODES.REBALANCE_IN_PROGRESS;
    const member = group.members.get(memberId);
    if (member !== undefined) member.lastHeartbeatMs = this.now();
    return ERROR_CODES.NONE;
  }

  private syncResult(group: ConsumerGroup, member: GroupMember): SyncResult {
    return { errorCode: ERROR_CODES.NONE, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment };
  }

  private prepareRebalance(group: ConsumerGroup, delayMs: number, why: string): void {
    if (group.state !== 'PreparingRebalance') {
      log.info(`group "${group.groupId}" is rebalancing: ${why}`);
      // Members waiting for an assignment of the old generation must rejoin.
      for (const member of group.members.values()) {
        const pending = member.pendingSync;
        member.pendingSync = undefined;
        pending?.({ errorCode: ERROR_CODES.REBALANCE_IN_PROGRESS, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) });
      }
      group.state = 'PreparingRebalance';
      const timeout = Math.max(0, ...[...group.members.values()].map((m) => m.rebalanceTimeoutMs));
      group.rebalanceDeadlineMs = this.now() + Math.max(delayMs, timeout);
      group.joinNotBeforeMs = this.now() + delayMs;
    }
  }

  /** Completes the join phase once every member has rejoined (or, at the deadline, with those that did). */
  private maybeCompleteJoin(group: ConsumerGroup, deadlinePassed = false): void {
    if (group.state !== 'PreparingRebalance') return;
    const members = [...group.members.values()];
    const waitingFor = members.filter((m) => m.pendingJoin === undefined);
    // Ids handed out with MEMBER_ID_REQUIRED are waited for too, as Kafka's hasAllMembersJoined does.
    if (!deadlinePassed && (waitingFor.length > 0 || group.pendingMembers.size > 0 || this.now() < group.joinNotBeforeMs)) return;
    for (const member of waitingFor) this.removeMember(group, member, 'did not rejoin in time', false);
    if (group.members.size === 0) {
      group.state = 'Empty';
      return;
    }
    group.generationId++;
    group.protocolName = group.chooseProtocol();
    if (group.leaderId === null || !group.members.has(group.leaderId)) group.leaderId = group.members.keys().next().value!;
    group.state = 'CompletingRebalance';
    const all = this.memberMetadata(group);
    for (const member of group.members.values()) {
      const resolve = member.pendingJoin!;
      member.pendingJoin = undefined;
      member.lastHeartbeatMs = this.now();
      resolve({
        errorCode: ERROR_CODES.NONE, generationId: group.generationId, protocolType: group.protocolType, protocolName: group.protocolName,
        leader: group.leaderId, memberId: member.memberId, skipAssignment: false, members: member.memberId === group.leaderId ? all : [],
      });
    }
  }

  private removeMember(group: ConsumerGroup, member: GroupMember, why: string, rebalance = true): void {
    group.members.delete(member.memberId);
    if (member.groupInstanceId !== null && group.staticMembers.get(member.groupInstanceId) === member.memberId) group.staticMembers.delete(member.groupInstanceId);
    this.failPending(member, ERROR_CODES.UNKNOWN_MEMBER_ID);
    log.info(`group "${group.groupId}": member ${member.memberId} ${why}`);
    if (group.leaderId === member.memberId) group.leaderId = null;
    if (!rebalance) return;
    if (group.members.size === 0) {
      group.state = 'Empty';
      this.forgetIfUnused(group);
      return;
    }
    this.prepareRebalance(group, 0, `member ${member.memberId} ${why}`);
    this.maybeCompleteJoin(group);
  }

  private failPending(member: GroupMember, errorCode: number): void {
    const join = member.pendingJoin;
    const sync = member.pendingSync;
    member.pendingJoin = undefined;
    member.pendingSync = undefined;
    join?.({ errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId: member.memberId, skipAssignment: false, members: [] });
    sync?.({ errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) });
  }

  /** Expires members whose session ran out and completes rebalances whose deadline passed. */
  private checkDeadlines(): void {
    const now = this.now();
    for (const group of [...this.groups.values()]) {
      for (const [memberId, expiresAtMs] of [...group.pendingMembers]) {
        if (now < expiresAtMs) continue;
        group.pendingMembers.delete(memberId);
        log.info(`group "${group.groupId}": member id ${memberId} expired before its member joined with it`);
      }
      for (const member of [...group.members.values()]) {
        // A member waiting in JoinGroup is alive; the rebalance deadline governs it.
        if (member.pendingJoin === undefined && now - member.lastHeartbeatMs > member.sessionTimeoutMs) {
          this.removeMember(group, member, `timed out (no heartbeat for ${member.sessionTimeoutMs} ms)`);
        }
      }
      if (group.state === 'PreparingRebalance') this.maybeCompleteJoin(group, now >= group.rebalanceDeadlineMs);
      this.forgetIfUnused(group);
    }
  }
}
