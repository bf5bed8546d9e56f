import type { ProcessorSupplier } from '../processor/index.ts';
import type { Serde, Windowed } from '../serde/index.ts';
import { StreamAggregationNode } from './aggregation-node.ts';
import type { GroupedStreamInput } from './aggregation-node.ts';
import type { InternalStreamsBuilder } from './internal-streams-builder.ts';
import { KTable } from './ktable.ts';
import type { KeyValueMaterialization, Materializer } from './materialize.ts';

/** The user's `Named` and `Materialized` for one windowed aggregation, and how its store is made. */
export interface WindowedAggregationSpec<K, VAgg> {
  readonly prefix: string;
  readonly processorName: string | undefined;
  readonly materialized: KeyValueMaterialization<K, VAgg> | undefined;
  /** Serde of the aggregate when `Materialized` gives none (count's Long, reduce's value serde). */
  readonly valueSerde: Serde<VAgg> | undefined;
  readonly materializer: Materializer<K, VAgg>;
  /** The output table's key serde, from the record key serde. */
  readonly windowedKeySerde: (keySerde: Serde<K> | undefined) => Serde<Windowed<K>> | undefined;
  readonly makeSupplier: (storeName: string, sendOldValues: () => boolean) => ProcessorSupplier<K, unknown, Windowed<K>, unknown>;
  /** The windows' grace period, which `suppress(untilWindowCloses)` waits for. */
  readonly graceMs: number;
}

/**
 * Adds a windowed aggregation to the graph (repartitioning first when the key changed, as for
 * plain aggregations) and returns its result: a KTable keyed by `Windowed<K>` over the window or
 * session store.
 *
 * @example
 * const table = windowedAggregation(builder, input, { prefix: 'KSTREAM-AGGREGATE', ... });
 */
export function windowedAggregation<K, V, VAgg>(
  builder: InternalStreamsBuilder,
  input: GroupedStreamInput<K, V>,
  spec: WindowedAggregationSpec<K, VAgg>,
): KTable<Windowed<K>, VAgg> {
  let sendOldValues = false;
  const node = new StreamAggregationNode<K, V, VAgg>(
    builder,
    input,
    {
      prefix: spec.prefix, storePrefix: spec.prefix, processorName: spec.processorName, materialized: spec.materialized,
      keySerde: input.keySerde, valueSerde: spec.valueSerde, materializer: spec.materializer,
    },
    (storeName) => spec.makeSupplier(storeName, () => sendOldValues) as ProcessorSupplier<K, V, unknown, unknown>,
  );
  builder.add((topology) => node.writeTo(topology));
  return new KTable<Windowed<K>, VAgg>(builder, node.processorName, spec.windowedKeySerde(node.store.keySerde), node.store.valueSerde, node.store.storeName, () => {
    sendOldValues = true;
  }, spec.graceMs);
}
