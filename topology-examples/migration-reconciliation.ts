/**
 * Migration reconciliation: while orders move from the old system (topic `ORDER`) to the new one
 * (`ORDERNEW`), both are read as tables keyed by order id and outer-joined; every order whose two
 * versions differ — or that exists on one side only — is a row of the table `order-mismatches`
 * (also streamed to the topic of that name, tombstoned when the two sides agree again).
 *
 * Property tests (test/examples/migration-reconciliation.prop.test.ts): the mismatches equal a
 * comparison of the final ORDER and ORDERNEW tables, for any partition count.
 */
import { Consumed, Materialized, Produced, Serdes, StreamsBuilder } from 'kstreams';
import type { Topology } from 'kstreams';

export const TOPICS = { old: 'ORDER', migrated: 'ORDERNEW', mismatches: 'order-mismatches' } as const;
export const MISMATCH_STORE = 'order-mismatches';

/** The mismatch of one order's two versions, or null when they agree. */
export function compare(old: string | null, migrated: string | null): string | null {
  if (old === migrated) return null;
  if (migrated === null) return `missing in ORDERNEW (ORDER: ${old})`;
  if (old === null) return `only in ORDERNEW (${migrated})`;
  return `ORDER: ${old} / ORDERNEW: ${migrated}`;
}

export function buildReconciliationTopology(): Topology {
  const builder = new StreamsBuilder();
  const strings = Consumed.with(Serdes.String(), Serdes.String());
  const old = builder.table<string, string>(TOPICS.old, strings);
  const migrated = builder.table<string, string>(TOPICS.migrated, strings);
  old
    .outerJoin(migrated, (a, b) => compare(a, b) ?? 'agree')
    .filter((_id, result) => result !== 'agree', Materialized.as<string, string>(MISMATCH_STORE).withValueSerde(Serdes.String()))
    .toStream()
    .to(TOPICS.mismatches, Produced.with(Serdes.String(), Serdes.String()));
  return builder.build();
}

export default function reconciliationApp() {
  return { applicationId: 'migration-reconciliation', topology: buildReconciliationTopology() };
}
