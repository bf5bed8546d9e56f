import { Serdes, type Serde } from '../../serde/index.ts';
import { Stores, dslDefaultPrefixScannedStore } from '../../state/index.ts';
import { KTable } from '../ktable.ts';
import { materialize } from '../materialize.ts';
import { SourceTableStore } from '../source-table-store.ts';
import type { Materialized } from '../materialized.ts';
import type { Named } from '../named.ts';
import type { ValueJoiner } from '../processors/stream-table-join.ts';
import { tableJoinMergeProcessor } from '../processors/table-join-merge.ts';
import { responseResolverProcessor } from './response-resolver.ts';
import { rightTableUpdateProcessor } from './right-table-update.ts';
import type { ForeignKeyJoinSerdes } from './serdes.ts';
import { subscriptionJoinProcessor } from './subscription-join.ts';
import { subscriptionReceiveProcessor } from './subscription-receive.ts';
import { subscriptionSendProcessor } from './subscription-send.ts';
import { subscriptionPrefix } from './wire.ts';

const BYTES: { keySerde: Serde<Buffer>; valueSerde: Serde<Buffer> } = { keySerde: Serdes.Bytes(), valueSerde: Serdes.Bytes() };

/**
 * `KTable.join/leftJoin(other, foreignKeyExtractor, joiner)` (Kafka's foreign-key join, KIP-213):
 * left rows subscribe to the right row their foreign key names through the internal topic
 * `…-SUBSCRIPTION-REGISTRATION-<n>-topic` (partitioned like the right table); the right side keeps
 * subscriptions in a store and answers on `…-SUBSCRIPTION-RESPONSE-<n>-topic` (partitioned like the
 * left table) whenever a subscription arrives or the right row changes; the left side applies each
 * answer if it is still current. The result is keyed by the left table's key and stays correct
 * under updates and deletes of either side and changes of the foreign key.
 */
export function foreignKeyJoin<K, V, KO, VO, VR>(
  left: KTable<K, V>,
  right: KTable<KO, VO>,
  foreignKeyExtractor: (value: V) => KO | null,
  joiner: ValueJoiner<V, VO | null, VR, K>,
  leftJoin: boolean,
  named: Named | undefined,
  materialized: Materialized<K, VR> | undefined,
): KTable<K, VR> {
  const builder = left.builder;
  const base = named?.name;
  // A given name still takes each generated name's index, as Kafka's NamedInternal does.
  const name = (suffix: string, prefix: string) => {
    const generated = builder.newProcessorName(prefix);
    return base === undefined ? generated : `${base}${suffix}`;
  };
  // The generated names take Kafka's indexes, in Kafka's order, so describe() prints Kafka's text.
  const subscriptionTopic = `${name('-subscription-registration', 'KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION')}-topic`;
  const sendName = name('-subscription-registration-processor', 'KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION');
  const subscriptionSink = name('-subscription-registration-sink', 'KTABLE-SINK');
  const subscriptionSource = name('-subscription-registration-source', 'KTABLE-SOURCE');
  const generatedStoreName = builder.newStoreName('KTABLE-FK-JOIN-SUBSCRIPTION');
  const subscriptionStoreName = base === undefined ? generatedStoreName : `${base}-subscription-store`;
  const receiveName = name('-subscription-receive', 'KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR');
  const subscriptionJoinName = name('-subscription-join-foreign', 'KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR');
  const rightUpdateName = name('-foreign-join-subscription', 'KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR');
  const responseName = name('-subscription-response', 'KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE');
  const responseTopic = `${responseName}-topic`;
  const responseSink = name('-subscription-response-sink', 'KTABLE-SINK');
  const responseSource = name('-subscription-response-source', 'KTABLE-SOURCE');
  const resolverName = name('-subscription-response-resolver', 'KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR');
  const outputName = name('-result', 'KTABLE-FK-JOIN-OUTPUT');
  // Like a source table, the result gets a store when it is named or something downstream needs
  // one (a join reading its rows, `groupBy` needing old values); its name is taken either way.
  const output = new SourceTableStore(materialize(materialized, { newStoreName: () => builder.newStoreName('KTABLE-FK-JOIN-OUTPUT'), keySerde: left.keySerde }));

  // Old values tell a changed foreign key apart (left) and a delete from a delete of nothing (right).
  left.enableSendingOldValues();
  right.enableSendingOldValues();
  const leftGetter = left.valueGetter();
  const rightGetter = right.valueGetter();
  const serdes: ForeignKeyJoinSerdes<K, V, KO, VO> = { primaryKey: left.keySerde, leftValue: left.valueSerde, foreignKey: right.keySerde, rightValue: right.valueSerde };
  const table = new KTable<K, VR>(builder, outputName, output.store.keySerde ?? left.keySerde, output.store.valueSerde, output, (force) => output.enableSendingOldValues(force));
  const subscriptionStore = Stores.keyValueStoreBuilder(
    // Records reaching the subscription store's task are keyed by foreign key: past its key limit, a LevelDB store reads ahead that key's subscriptions.
    dslDefaultPrefixScannedStore(subscriptionStoreName, subscriptionPrefix), Serdes.Bytes(), Serdes.Bytes());

  builder.add((topology) => {
    topology
      .addProcessor(sendName, subscriptionSendProcessor<K, V, KO, VO>({ foreignKeyExtractor, leftJoin, serdes }), left.name)
      .addInternalTopic(subscriptionTopic, 'repartition')
      .addSink({ name: subscriptionSink, topic: subscriptionTopic, ...BYTES }, sendName)
      .addSource({ name: subscriptionSource, topics: [subscriptionTopic], ...BYTES })
      .addProcessor(receiveName, subscriptionReceiveProcessor({ subscriptionStoreName }), subscriptionSource)
      .addProcessor(subscriptionJoinName, subscriptionJoinProcessor<K, V, KO, VO>({ right: rightGetter, serdes }), receiveName)
      .connectProcessorAndStateStores(subscriptionJoinName, ...rightGetter.storeNames)
      .addProcessor(rightUpdateName, rightTableUpdateProcessor<K, V, KO, VO>({ subscriptionStoreName, serdes }), right.name)
      .addStateStore(subscriptionStore, receiveName, rightUpdateName)
      .addInternalTopic(responseTopic, 'repartition')
      .addSink({ name: responseSink, topic: responseTopic, ...BYTES }, subscriptionJoinName, rightUpdateName)
      .addSource({ name: responseSource, topics: [responseTopic], ...BYTES })
      .addProcessor(resolverName, responseResolverProcessor<K, V, KO, VO, VR>({ left: leftGetter, joiner, leftJoin, serdes }), responseSource)
      .connectProcessorAndStateStores(resolverName, ...leftGetter.storeNames)
      .addProcessor(outputName, tableJoinMergeProcessor<K, VR>(output.materialized ? output.storeName : undefined, () => table.sendsOldValues), resolverName);
    if (output.materialized) topology.addStateStore(output.store.builder, outputName);
  });
  return table;
}
