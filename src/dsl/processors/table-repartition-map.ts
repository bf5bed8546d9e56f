import { StreamsError } from '../../common/index.ts';
import type { Processor, ProcessorContext, Record } from '../../processor/index.ts';
import type { Change } from '../change.ts';
import type { ChangeSerde } from './change-serde.ts';
import { pairKey, pairValue } from './key-value-pair.ts';
import type { KeyValuePair } from './key-value-pair.ts';

/**
 * Picks the grouping key and the value to aggregate for one row of a table (`KTable.groupBy`);
 * `null` (or a pair with a null key or value) leaves the row out of every group.
 */
export type TableGroupSelector<K, V, KR, VR> = (key: K, value: V) => KeyValuePair<KR, VR> | null;

/**
 * The processor behind `KTable.groupBy` (Kafka's KTableRepartitionMap). For each change of a table
 * row it maps the old and the new value with `selector` and forwards what the aggregation needs:
 * the old pair as a subtraction (`{ newValue: null, oldValue }`) before the new pair as an addition
 * (`{ newValue, oldValue: null }`), or both in one change when they select the same key, so the
 * subtractor always runs before the adder. A null pair, or one with a null key or value, is
 * dropped, as Kafka does. Needs the upstream table to send old values. `changeSerde`, the serde of the
 * repartition topic it writes to, is given the default value serde at init when it has none.
 *
 * @example
 * topology.addProcessor('by-region', tableRepartitionMapProcessor((user, region: string) => [region, user]), 'users');
 */
export function tableRepartitionMapProcessor<K, V, KR, VR>(
  selector: TableGroupSelector<K, V, KR, VR>,
  changeSerde?: ChangeSerde<VR>,
): () => Processor<K, Change<V>, KR, Change<VR>> {
  return () => new TableRepartitionMapProcessor(selector, changeSerde);
}

class TableRepartitionMapProcessor<K, V, KR, VR> implements Processor<K, Change<V>, KR, Change<VR>> {
  private context!: ProcessorContext<KR, Change<VR>>;

  constructor(
    private readonly selector: TableGroupSelector<K, V, KR, VR>,
    private readonly changeSerde: ChangeSerde<VR> | undefined,
  ) {}

  init(context: ProcessorContext<KR, Change<VR>>): void {
    this.context = context;
    this.changeSerde?.useDefaultFrom(context.appConfigs);
  }

  process(record: Record<K, Change<V>>): void {
    if (record.key === null || record.key === undefined) {
      throw new StreamsError(
        'PROCESSOR_ERROR',
        'KTable.groupBy received a table row with a null key; a KTable never holds null keys, so check the processor feeding it',
      );
    }
    const oldPair = record.value.oldValue === null ? null : this.select(record.key, record.value.oldValue);
    const newPair = record.value.newValue === null ? null : this.select(record.key, record.value.newValue);
    if (oldPair !== null && newPair !== null && Object.is(oldPair.key, newPair.key)) {
      this.context.forward(record.withKey(newPair.key).withValue<Change<VR>>({ newValue: newPair.value, oldValue: oldPair.value }));
      return;
    }
    if (oldPair !== null) this.context.forward(record.withKey(oldPair.key).withValue<Change<VR>>({ newValue: null, oldValue: oldPair.value }));
    if (newPair !== null) this.context.forward(record.withKey(newPair.key).withValue<Change<VR>>({ newValue: newPair.value, oldValue: null }));
  }

  /** The selected pair, or null when there is none or its key or value is null (such rows are not aggregated). */
  private select(key: K, value: V): { key: KR; value: VR } | null {
    const pair = this.selector(key, value);
    if (pair === null || pair === undefined) return null;
    const newKey = pairKey(pair);
    const newValue = pairValue(pair);
    if (newKey === null || newKey === undefined || newValue === null || newValue === undefined) return null;
    return { key: newKey, value: newValue };
  }
}
