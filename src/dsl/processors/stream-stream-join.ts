import { StreamsError } from '../../common/index.ts';
import { Record } from '../../processor/index.ts';
import type { Processor, ProcessorContext } from '../../processor/index.ts';
import type { Serde } from '../../serde/index.ts';
import type { KeyValueStore, WindowStore } from '../../state/index.ts';
import type { ValueJoiner } from './stream-table-join.ts';
import { warnSkippedRecord } from './dropped-records.ts';

/** The internal config that throttles emission of left/outer non-matches (Kafka's name; 1 s wall-clock). */
export const OUTER_JOIN_EMIT_INTERVAL_CONFIG = 'emit.interval.ms.kstreams.outer.join.spurious.results.fix';

/** Stream time and pending non-matches shared by the two sides of one join in one task. */
interface JoinTimeTracker {
  streamTime: number;
  /** The oldest timestamp that may wait in the outer store. */
  minTime: number;
  nextTimeToEmit: number;
}

/** One tracker per task, shared by the join's two processors (they run in the same task). */
export class JoinTimeTrackers {
  private readonly byTask = new Map<string, JoinTimeTracker>();

  acquire(taskId: string): JoinTimeTracker {
    let tracker = this.byTask.get(taskId);
    if (tracker === undefined) {
      tracker = { streamTime: -1, minTime: Number.MAX_SAFE_INTEGER, nextTimeToEmit: 0 };
      this.byTask.set(taskId, tracker);
    }
    return tracker;
  }

  release(taskId: string): void {
    this.byTask.delete(taskId);
  }
}

/** What one side's join processor needs, in that side's view of the window. */
export interface StreamStreamJoinSpec<K, VL, VR, VOut> {
  readonly isLeftSide: boolean;
  readonly otherStoreName: string;
  /** How much earlier / later the other side's records may be, seen from this side. */
  readonly beforeMs: number;
  readonly afterMs: number;
  /** The window's extent seen from the left side, to tell when a waiting record's window closed. */
  readonly leftAfterMs: number;
  readonly leftBeforeMs: number;
  readonly graceMs: number;
  /** Whether this side's records without a partner are emitted (left side of left/outer, right side of outer). */
  readonly emitsUnmatched: boolean;
  /** The store where unmatched records of outer sides wait for their window to close. */
  readonly outerStoreName: string | undefined;
  readonly joiner: ValueJoiner<VL | null, VR | null, VOut, K>;
  readonly keySerde: Serde<K> | undefined;
  readonly leftValueSerde: Serde<VL> | undefined;
  readonly rightValueSerde: Serde<VR> | undefined;
  readonly trackers: JoinTimeTrackers;
}

/**
 * One side of `KStream.join/leftJoin/outerJoin(KStream)` (Kafka's KStreamKStreamJoin). A record
 * joins every record of the other side's window store with the same key timestamped within its
 * window; each pair is emitted with the larger timestamp. A record of an outer side that finds no
 * partner waits in the shared outer store and is emitted with a null partner only when its window
 * and grace have passed in stream time — unless a partner arrives first, which takes it out — so
 * no spurious non-match is emitted (Kafka since 3.1). A record whose window already passed is
 * emitted as a non-match at once. A null key on an outer side is emitted at once with no partner.
 */
export function streamStreamJoinProcessor<K, VL, VR, VOut>(spec: StreamStreamJoinSpec<K, VL, VR, VOut>): () => Processor<K, unknown, K, VOut> {
  return () => new StreamStreamJoinProcessor(spec);
}

class StreamStreamJoinProcessor<K, VL, VR, VOut> implements Processor<K, unknown, K, VOut> {
  private context!: ProcessorContext<K, VOut>;
  private otherStore!: WindowStore<K, unknown>;
  private outerStore: KeyValueStore<Buffer, Buffer> | undefined;
  private tracker!: JoinTimeTracker;
  private emitIntervalMs = 1000;
  private codec!: OuterEntryCodec<K, VL, VR>;

  constructor(private readonly spec: StreamStreamJoinSpec<K, VL, VR, VOut>) {}

  init(context: ProcessorContext<K, VOut>): void {
    this.context = context;
    this.otherStore = context.getStateStore(this.spec.otherStoreName);
    this.tracker = this.spec.trackers.acquire(context.taskId);
    if (this.spec.outerStoreName !== undefined) {
      this.outerStore = context.getStateStore(this.spec.outerStoreName);
      const configured = context.appConfigs[OUTER_JOIN_EMIT_INTERVAL_CONFIG];
      if (configured !== undefined) this.emitIntervalMs = Number(configured);
      this.codec = new OuterEntryCodec(
        serdeOf(this.spec.keySerde, 'default.key.serde', context),
        serdeOf(this.spec.leftValueSerde, 'default.value.serde', context),
        serdeOf(this.spec.rightValueSerde, 'default.value.serde', context),
      );
    }
  }

  process(record: Record<K, unknown>): void {
    const { spec, tracker } = this;
    const t = record.timestamp;
    // Every record moves stream time, even one skipped below (as Kafka's join does).
    tracker.streamTime = Math.max(tracker.streamTime, t);
    if (record.value === null || record.value === undefined) {
      warnSkippedRecord('stream-stream join', this.context);
      return;
    }
    if (record.key === null || record.key === undefined) {
      if (spec.emitsUnmatched) this.context.forward(record.withValue(this.joinWith(record.value, null, record.key)));
      else warnSkippedRecord('stream-stream join', this.context);
      return;
    }
    if (t === tracker.streamTime && this.outerStore !== undefined) this.emitClosedNonMatches();
    const timeFrom = Math.max(0, t - spec.beforeMs);
    const timeTo = Math.max(0, t + spec.afterMs);
    let matched = false;
    for (const { key: otherTime, value: otherValue } of this.otherStore.fetch(record.key, timeFrom, timeTo)) {
      matched = true;
      // A waiting non-match of the other side found its partner: it will never be emitted alone.
      this.outerStore?.delete(this.codec.key(otherTime, !spec.isLeftSide, record.key));
      this.context.forward(new Record(record.key, this.joinWith(record.value, otherValue, record.key), Math.max(t, otherTime), record.headers));
    }
    if (matched || !spec.emitsUnmatched) return;
    if (this.outerStore === undefined || timeTo < tracker.streamTime) {
      this.context.forward(record.withValue(this.joinWith(record.value, null, record.key)));
      return;
    }
    tracker.minTime = Math.min(tracker.minTime, t);
    // Records of one side with the same key and timestamp share an entry: each waits in its list.
    const entryKey = this.codec.key(t, spec.isLeftSide, record.key);
    this.outerStore.put(entryKey, this.codec.appendValue(this.outerStore.get(entryKey), spec.isLeftSide, record.value));
  }

  close(): void {
    this.spec.trackers.release(this.context.taskId);
  }

  private joinWith(thisValue: unknown, otherValue: unknown, key: K): VOut {
    return this.spec.isLeftSide
      ? this.spec.joiner(thisValue as VL, otherValue as VR | null, key)
      : this.spec.joiner(otherValue as VL | null, thisValue as VR, key);
  }

  /**
   * Emits, oldest first, the waiting non-matches whose window and grace have passed. Stops once
   * both sides have an entry still open. `minTime` ends as the time of the last entry looked at
   * (not the oldest one left): Kafka's join does the same, and it decides when the next scan
   * happens, so keeping it identical keeps non-match emission timing record for record equal.
   */
  private emitClosedNonMatches(): void {
    const { spec, tracker } = this;
    if (tracker.minTime + spec.afterMs + spec.graceMs >= tracker.streamTime) return;
    const now = this.context.currentSystemTimeMs();
    if (now < tracker.nextTimeToEmit) return;
    tracker.nextTimeToEmit = now + this.emitIntervalMs;
    tracker.minTime = Number.MAX_SAFE_INTEGER;
    const store = this.outerStore!;
    const iterator = store.all();
    let leftOpen = false;
    let rightOpen = false;
    try {
      for (const { key: entryKey, value: entryValue } of iterator) {
        const entry = this.codec.decode(entryKey, entryValue);
        tracker.minTime = entry.timestamp;
        if (leftOpen && rightOpen) break;
        // A left record's window reaches `after` past it; a right record's reaches `before` past it.
        const reach = entry.isLeft ? spec.leftAfterMs : spec.leftBeforeMs;
        if (entry.timestamp + reach + spec.graceMs >= tracker.streamTime) {
          if (entry.isLeft) leftOpen = true;
          else rightOpen = true;
          continue;
        }
        for (const value of entry.values) {
          const joined = entry.isLeft ? spec.joiner(value as VL, null, entry.key) : spec.joiner(null, value as VR, entry.key);
          this.context.forward(new Record(entry.key, joined, entry.timestamp));
        }
        store.delete(entryKey);
      }
    } finally {
      iterator.close();
    }
  }
}

function serdeOf<T>(given: Serde<T> | undefined, configKey: string, context: ProcessorContext<unknown, unknown>): Serde<T> {
  const serde = given ?? (context.appConfigs[configKey] as Serde<T> | undefined);
  if (serde === undefined) {
    throw new StreamsError('INVALID_CONFIG', `a left/outer stream-stream join needs serdes for its waiting records; give them with StreamJoined.with(...) or set "${configKey}"`);
  }
  return serde;
}

/**
 * Keys and values of the outer store: `[timestamp: int64 BE][side: 1 = left, 0 = right][key]` so
 * entries sort by time, and the list of that side's serialized values waiting under that key, in
 * arrival order, each as `[length: int32 BE][bytes]` (Kafka's shared outer store keeps such a list
 * too, so two unmatched records with the same key and timestamp are both emitted). Internal to the join.
 */
class OuterEntryCodec<K, VL, VR> {
  constructor(
    private readonly keySerde: Serde<K>,
    private readonly leftSerde: Serde<VL>,
    private readonly rightSerde: Serde<VR>,
  ) {}

  key(timestamp: number, isLeft: boolean, key: K): Buffer {
    const keyBytes = this.keySerde.serialize('', key) ?? Buffer.alloc(0);
    const out = Buffer.allocUnsafe(9 + keyBytes.length);
    out.writeBigInt64BE(BigInt(timestamp), 0);
    out.writeUInt8(isLeft ? 1 : 0, 8);
    keyBytes.copy(out, 9);
    return out;
  }

  /** The list `existing` (null: none yet) with `value` added at its end. */
  appendValue(existing: Buffer | null, isLeft: boolean, value: unknown): Buffer {
    const bytes = (isLeft ? this.leftSerde.serialize('', value as VL) : this.rightSerde.serialize('', value as VR)) ?? Buffer.alloc(0);
    const before = existing?.length ?? 0;
    const out = Buffer.allocUnsafe(before + 4 + bytes.length);
    existing?.copy(out, 0);
    out.writeInt32BE(bytes.length, before);
    bytes.copy(out, before + 4);
    return out;
  }

  decode(key: Buffer, list: Buffer): { timestamp: number; isLeft: boolean; key: K; values: Array<VL | VR> } {
    const isLeft = key.readUInt8(8) === 1;
    const serde: Serde<VL | VR> = isLeft ? this.leftSerde : this.rightSerde;
    const values: Array<VL | VR> = [];
    for (let offset = 0; offset < list.length;) {
      const length = offset + 4 <= list.length ? list.readInt32BE(offset) : -1;
      if (length < 0 || offset + 4 + length > list.length) {
        throw new StreamsError('DESERIALIZATION_ERROR', `stream-stream join: a waiting entry of the outer store at timestamp ${key.readBigInt64BE(0)} is not a value list (${list.length} bytes, broken at byte ${offset})`);
      }
      values.push(serde.deserialize('', list.subarray(offset + 4, offset + 4 + length)) as VL | VR);
      offset += 4 + length;
    }
    return { timestamp: Number(key.readBigInt64BE(0)), isLeft, key: this.keySerde.deserialize('', key.subarray(9)) as K, values };
  }
}
