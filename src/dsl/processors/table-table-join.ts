import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';
import type { ValueAndTimestamp } from '../../state/index.ts';
import type { Change } from '../change.ts';
import type { TableValueGetter, TableValueGetterSupplier } from '../table-value-getter.ts';
import type { ValueJoiner } from './stream-table-join.ts';

/** Which rows a table-table join holds: both sides present, the left present, or either. */
export type TableJoinKind = 'inner' | 'left' | 'outer';

/**
 * The joined value for a key given both sides' current values, or null when the join has no row:
 * inner needs both, left needs the left, outer needs either.
 */
export function joinedRow<K, VL, VR, VOut>(
  kind: TableJoinKind,
  joiner: ValueJoiner<VL | null, VR | null, VOut, K>,
  key: K,
  left: VL | null,
  right: VR | null,
): VOut | null {
  if (kind === 'inner' && (left === null || right === null)) return null;
  if (kind === 'left' && left === null) return null;
  if (left === null && right === null) return null;
  return joiner(left, right, key);
}

/**
 * One side of `KTable.join/leftJoin/outerJoin(KTable)` (Kafka's KTableKTableJoin processors): an
 * update of this side looks up the other side's current row and emits the joined row's new value
 * (null when the join no longer has the row), timestamped with the later of the two rows. An
 * update is ignored when the join had and has no row for the key — the other side is absent where
 * the join needs it, or both sides are and the update deletes nothing. Old values (when downstream
 * asks) are joined the same way.
 */
export function tableTableJoinProcessor<K, VL, VR, VOut>(spec: {
  isLeftSide: boolean;
  kind: TableJoinKind;
  other: TableValueGetterSupplier<K, unknown>;
  joiner: ValueJoiner<VL | null, VR | null, VOut, K>;
  sendOldValues: () => boolean;
}): () => Processor<K, Change<unknown>, K, Change<VOut>> {
  return () => {
    const getter: TableValueGetter<K, unknown> = spec.other.get();
    const sendOldValues = spec.sendOldValues();
    let context: ProcessorContext<K, Change<VOut>>;
    // The other side is required when this is the right side of a left join, or any side of an inner join.
    const otherRequired = spec.kind === 'inner' || (spec.kind === 'left' && !spec.isLeftSide);
    const join = (thisValue: unknown, other: unknown, key: K): VOut | null => (spec.isLeftSide
      ? joinedRow(spec.kind, spec.joiner, key, thisValue as VL | null, other as VR | null)
      : joinedRow(spec.kind, spec.joiner, key, other as VL | null, thisValue as VR | null));
    return {
      init(ctx) {
        context = ctx;
        getter.init(ctx as ProcessorContext<unknown, unknown>);
      },
      process(record: Record<K, Change<unknown>>) {
        if (record.key === null || record.key === undefined) return;
        const other: ValueAndTimestamp<unknown> | null = getter.get(record.key);
        if (other === null && (otherRequired || (record.value.newValue === null && record.value.oldValue === null))) return;
        const newValue = join(record.value.newValue, other?.value ?? null, record.key);
        const oldValue = sendOldValues ? join(record.value.oldValue, other?.value ?? null, record.key) : null;
        const timestamp = other === null ? record.timestamp : Math.max(record.timestamp, other.timestamp);
        context.forward(record.withValue<Change<VOut>>({ newValue, oldValue }).withTimestamp(timestamp));
      },
    };
  };
}
