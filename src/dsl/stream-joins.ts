import { Stores } from '../state/index.ts';
import { Serdes } from '../serde/index.ts';
import type { Serde } from '../serde/index.ts';
import type { Joined } from './joined.ts';
import { KStream } from './kstream.ts';
import type { KTable } from './ktable.ts';
import type { Named } from './named.ts';
import { joinWindowStorePutProcessor } from './processors/join-window-store-put.ts';
import { passThroughProcessor } from './processors/stream-peek.ts';
import { JoinTimeTrackers, streamStreamJoinProcessor } from './processors/stream-stream-join.ts';
import { streamTableJoinProcessor } from './processors/stream-table-join.ts';
import type { ValueJoiner } from './processors/stream-table-join.ts';
import type { GlobalKTable } from './streams-builder.ts';
import type { StreamJoined } from './stream-joined.ts';
import { storeValueGetter } from './table-value-getter.ts';
import type { JoinWindows } from './windows/join-windows.ts';

/**
 * `KStream.join/leftJoin(KTable)`: the stream (repartitioned first if its key may have changed)
 * looks each record up in the table; the join processor reads the table's store, which puts both
 * in one sub-topology, so their topics must be co-partitioned.
 */
export function joinStreamWithTable<K, V, VT, VR>(
  stream: KStream<K, V>,
  table: KTable<K, VT>,
  joiner: ValueJoiner<V, VT | null, VR, K>,
  joined: Joined<K, V, VT> | undefined,
  leftJoin: boolean,
): KStream<K, VR> {
  const builder = stream.builder;
  const input = stream.repartitionedForJoin(joined?.name === undefined ? undefined : `${joined.name}-left`, joined?.keySerde, joined?.valueSerde);
  const name = builder.processorName(joined?.name, leftJoin ? 'KSTREAM-LEFTJOIN' : 'KSTREAM-JOIN');
  const getter = table.valueGetter();
  const supplier = streamTableJoinProcessor<K, V, K, VT, VR>({ table: getter, keyMapper: (key) => key, joiner, leftJoin });
  builder.add((topology) => topology.addProcessor(name, supplier, input.name).connectProcessorAndStateStores(name, ...getter.storeNames));
  if (leftJoin) builder.markNullKeyJoin(name);
  return new KStream<K, VR>(builder, name, input.keySerde, undefined, false);
}

/**
 * `KStream.join/leftJoin(GlobalKTable)`: each record looks up `keyMapper(key, value)` in the global
 * table, which holds every partition of its topic, so no repartitioning or co-partitioning is needed.
 */
export function joinStreamWithGlobalTable<K, V, KG, VG, VR>(
  stream: KStream<K, V>,
  table: GlobalKTable<KG, VG>,
  keyMapper: (key: K, value: V) => KG,
  joiner: ValueJoiner<V, VG | null, VR, K>,
  named: Named | undefined,
  leftJoin: boolean,
): KStream<K, VR> {
  const builder = stream.builder;
  // Kafka names both global-table joins KSTREAM-LEFTJOIN.
  const name = builder.processorName(named?.name, 'KSTREAM-LEFTJOIN');
  const supplier = streamTableJoinProcessor<K, V, KG, VG, VR>({ table: storeValueGetter(table.storeName), keyMapper, joiner, leftJoin });
  const parent = stream.name;
  builder.add((topology) => topology.addProcessor(name, supplier, parent));
  if (leftJoin) builder.markNullKeyJoin(name);
  return new KStream<K, VR>(builder, name, stream.keySerde, undefined, stream.repartitionRequired);
}

/** Which sides of a stream-stream join emit records that found no partner. */
export type StreamJoinKind = 'inner' | 'left' | 'outer';

/**
 * `KStream.join/leftJoin/outerJoin(KStream)` (Kafka's KStreamImplJoin): each side is repartitioned
 * if needed, remembered in its own window store (`KSTREAM-WINDOWED`), and joined against the other
 * side's store (`KSTREAM-JOINTHIS`/`-JOINOTHER`, or `-OUTERTHIS`/`-OUTEROTHER` on outer sides);
 * both join processors feed one `KSTREAM-MERGE`. Left and outer joins keep unmatched records in a
 * shared store until their window closes. Stores keep duplicates and expire after the window plus
 * grace.
 */
export function joinStreams<K, V, VO, VR>(
  left: KStream<K, V>,
  right: KStream<K, VO>,
  joiner: ValueJoiner<V | null, VO | null, VR, K>,
  windows: JoinWindows,
  streamJoined: StreamJoined<K, V, VO> | undefined,
  kind: StreamJoinKind,
): KStream<K, VR> {
  const builder = left.builder;
  const named = streamJoined?.name;
  const keySerde = streamJoined?.keySerde ?? left.keySerde ?? right.keySerde;
  const leftSerde = streamJoined?.valueSerde ?? left.valueSerde;
  const rightSerde = streamJoined?.otherValueSerde ?? right.valueSerde;
  const thisStream = left.repartitionedForJoin(named === undefined ? undefined : `${named}-left`, keySerde, leftSerde);
  const otherStream = right.repartitionedForJoin(named === undefined ? undefined : `${named}-right`, keySerde, rightSerde);
  const leftOuter = kind !== 'inner';
  const rightOuter = kind === 'outer';
  const suffixed = (suffix: string, prefix: string) => (named === undefined ? builder.newProcessorName(prefix) : `${named}${suffix}`);
  const thisWindowedName = suffixed('-this-windowed', 'KSTREAM-WINDOWED');
  const otherWindowedName = suffixed('-other-windowed', 'KSTREAM-WINDOWED');
  const thisGenerated = builder.newProcessorName(rightOuter ? 'KSTREAM-OUTERTHIS' : 'KSTREAM-JOINTHIS');
  const otherGenerated = builder.newProcessorName(leftOuter ? 'KSTREAM-OUTEROTHER' : 'KSTREAM-JOINOTHER');
  const thisJoinName = named === undefined ? thisGenerated : `${named}-this-join`;
  const otherJoinName = named === undefined ? otherGenerated : `${named}-other-join`;
  const mergeName = suffixed('-merge', 'KSTREAM-MERGE');
  const storeBase = streamJoined?.storeName;
  const thisStoreName = storeBase === undefined ? `${thisGenerated}-store` : `${storeBase}-this-join-store`;
  const otherStoreName = storeBase === undefined ? `${otherGenerated}-store` : `${storeBase}-other-join-store`;
  const outerStoreName = !leftOuter ? undefined
    : storeBase === undefined ? `${thisGenerated.replace(/JOINTHIS|OUTERTHIS/, 'OUTERSHARED')}-store` : `${storeBase}-outer-shared-join-store`;
  const logging = streamJoined?.loggingEnabled ?? true;
  const windowStore = <VS>(name: string, valueSerde: Serde<VS> | undefined) => {
    const size = windows.size();
    const storeBuilder = Stores.windowStoreBuilder(Stores.dslDefaultWindowStore(name, size + windows.gracePeriodMs(), size, true), keySerde, valueSerde);
    return logging ? storeBuilder : storeBuilder.withLoggingDisabled();
  };
  const trackers = new JoinTimeTrackers();
  const common = {
    leftAfterMs: windows.afterMs, leftBeforeMs: windows.beforeMs, graceMs: windows.gracePeriodMs(), outerStoreName,
    joiner: joiner as ValueJoiner<V | null, VO | null, VR, K>, keySerde, leftValueSerde: leftSerde, rightValueSerde: rightSerde, trackers,
  };
  const thisJoin = streamStreamJoinProcessor<K, V, VO, VR>({
    ...common, isLeftSide: true, otherStoreName, beforeMs: windows.beforeMs, afterMs: windows.afterMs, emitsUnmatched: leftOuter,
  });
  const otherJoin = streamStreamJoinProcessor<K, V, VO, VR>({
    ...common, isLeftSide: false, otherStoreName: thisStoreName, beforeMs: windows.afterMs, afterMs: windows.beforeMs, emitsUnmatched: rightOuter,
  });
  builder.add((topology) => {
    topology
      .addProcessor(thisWindowedName, joinWindowStorePutProcessor(thisStoreName), thisStream.name)
      .addProcessor(otherWindowedName, joinWindowStorePutProcessor(otherStoreName), otherStream.name)
      .addProcessor(thisJoinName, thisJoin, thisWindowedName)
      .addProcessor(otherJoinName, otherJoin, otherWindowedName)
      .addProcessor(mergeName, passThroughProcessor<K, VR>(), thisJoinName, otherJoinName)
      .addStateStore(windowStore(thisStoreName, leftSerde), thisWindowedName, otherJoinName)
      .addStateStore(windowStore(otherStoreName, rightSerde), otherWindowedName, thisJoinName);
    if (outerStoreName !== undefined) {
      const outer = Stores.keyValueStoreBuilder(Stores.dslDefaultKeyValueStore(outerStoreName), Serdes.Bytes(), Serdes.Bytes());
      topology.addStateStore(logging ? outer : outer.withLoggingDisabled(), thisJoinName, otherJoinName);
    }
  });
  if (leftOuter) builder.markNullKeyJoin(mergeName);
  return new KStream<K, VR>(builder, mergeName, keySerde, undefined, false);
}
