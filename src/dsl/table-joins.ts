import type { InternalStreamsBuilder } from './internal-streams-builder.ts';
import { KTable } from './ktable.ts';
import { materialize } from './materialize.ts';
import type { Materialized } from './materialized.ts';
import type { Named } from './named.ts';
import type { ValueJoiner } from './processors/stream-table-join.ts';
import { tableJoinMergeProcessor } from './processors/table-join-merge.ts';
import { joinedRow, tableTableJoinProcessor } from './processors/table-table-join.ts';
import type { TableJoinKind } from './processors/table-table-join.ts';
import type { TableValueGetterSupplier } from './table-value-getter.ts';

/**
 * `KTable.join/leftJoin/outerJoin(KTable)` (Kafka's KTableImpl.doJoin): each side's updates look up
 * the other side (so both tables share a sub-topology and must be co-partitioned), and a
 * `KTABLE-MERGE` node combines them — into a store when `Materialized` is given. Both inputs send
 * old values, which tells a delete of an existing row from a delete of nothing. Names follow
 * Kafka's order whatever the kind of join: the store (when materialized), then `KTABLE-MERGE`,
 * `KTABLE-JOINTHIS` and `KTABLE-JOINOTHER`; a `Named` names the merge node and suffixes the others.
 */
export function joinTables<K, VL, VR, VOut>(
  left: KTable<K, VL>,
  right: KTable<K, VR>,
  joiner: ValueJoiner<VL | null, VR | null, VOut, K>,
  kind: TableJoinKind,
  named: Named | undefined,
  materialized: Materialized<K, VOut> | undefined,
): KTable<K, VOut> {
  const builder: InternalStreamsBuilder = left.builder;
  const store = materialized === undefined
    ? undefined
    : materialize(materialized, { newStoreName: () => builder.newStoreName('KTABLE-MERGE'), keySerde: left.keySerde ?? right.keySerde });
  const mergeName = builder.processorName(named?.name, 'KTABLE-MERGE');
  const thisName = builder.processorName(named === undefined ? undefined : `${named.name}-join-this`, 'KTABLE-JOINTHIS');
  const otherName = builder.processorName(named === undefined ? undefined : `${named.name}-join-other`, 'KTABLE-JOINOTHER');
  left.enableSendingOldValues();
  right.enableSendingOldValues();
  const leftGetter = left.valueGetter();
  const rightGetter = right.valueGetter();
  let sendOldValues = false;
  const table: KTable<K, VOut> = new KTable<K, VOut>(
    builder, mergeName, store?.keySerde ?? left.keySerde, store?.valueSerde, store?.storeName,
    () => { sendOldValues = true; }, undefined,
    store === undefined ? () => joinedValueGetter(kind, joiner, leftGetter, rightGetter) : undefined,
  );
  const thisJoin = tableTableJoinProcessor<K, VL, VR, VOut>({ isLeftSide: true, kind, other: rightGetter, joiner, sendOldValues: () => sendOldValues || table.sendsOldValues });
  const otherJoin = tableTableJoinProcessor<K, VL, VR, VOut>({ isLeftSide: false, kind, other: leftGetter, joiner, sendOldValues: () => sendOldValues || table.sendsOldValues });
  const merge = tableJoinMergeProcessor<K, VOut>(store?.storeName, () => table.sendsOldValues);
  builder.add((topology) => {
    topology
      .addProcessor(thisName, thisJoin, left.name)
      .addProcessor(otherName, otherJoin, right.name)
      .addProcessor(mergeName, merge, thisName, otherName)
      .connectProcessorAndStateStores(thisName, ...rightGetter.storeNames)
      .connectProcessorAndStateStores(otherName, ...leftGetter.storeNames);
    if (store !== undefined) topology.addStateStore(store.builder, mergeName);
  });
  return table;
}

/** Reads the joined table's row for a key from both sides' current rows (for joins of join results). */
function joinedValueGetter<K, VL, VR, VOut>(
  kind: TableJoinKind,
  joiner: ValueJoiner<VL | null, VR | null, VOut, K>,
  left: TableValueGetterSupplier<K, VL>,
  right: TableValueGetterSupplier<K, VR>,
): TableValueGetterSupplier<K, VOut> {
  return {
    storeNames: [...left.storeNames, ...right.storeNames],
    get() {
      const l = left.get();
      const r = right.get();
      return {
        init(context) {
          l.init(context);
          r.init(context);
        },
        get(key) {
          const lv = l.get(key);
          const rv = r.get(key);
          const value = joinedRow(kind, joiner, key, lv?.value ?? null, rv?.value ?? null);
          return value === null ? null : { value, timestamp: Math.max(lv?.timestamp ?? -1, rv?.timestamp ?? -1) };
        },
      };
    },
  };
}
