/**
 * CDC into a materialized view: Debezium-style change events for a `customers` table (`op` is
 * `c` create, `u` update, `d` delete, `r` snapshot read; `before`/`after` are the row images),
 * keyed by customer id, become the current table state in the store `customers-view` — deletes
 * remove the row — and a compacted `customers-view` topic other services can read.
 *
 * Property tests (test/examples/cdc-materialized-view.prop.test.ts): the view equals replaying
 * the change events on a map, for any partition count and across restarts.
 */
import { Consumed, Materialized, Produced, Serdes, StreamsBuilder } from 'kstreams';
import type { Topology } from 'kstreams';

export interface CustomerRow { readonly name: string; readonly email: string }
export interface ChangeEvent { readonly op: 'c' | 'u' | 'd' | 'r'; readonly before: CustomerRow | null; readonly after: CustomerRow | null }

export const TOPICS = { changes: 'dbserver.public.customers', view: 'customers-view' } as const;
export const VIEW_STORE = 'customers-view';

/** The row a change leaves behind; a delete leaves none, and the table reads the null as a tombstone. */
export function rowAfter(change: ChangeEvent): CustomerRow {
  return (change.op === 'd' ? null : change.after) as CustomerRow;
}

export function buildCdcViewTopology(): Topology {
  const builder = new StreamsBuilder();
  const rows = Serdes.Json<CustomerRow>();
  builder
    .stream<string, ChangeEvent>(TOPICS.changes, Consumed.with(Serdes.String(), Serdes.Json<ChangeEvent>()))
    .mapValues(rowAfter)
    .toTable(Materialized.as<string, CustomerRow>(VIEW_STORE).withValueSerde(rows))
    .toStream()
    .to(TOPICS.view, Produced.with(Serdes.String(), rows));
  return builder.build();
}

export default function cdcViewApp() {
  return { applicationId: 'cdc-materialized-view', topology: buildCdcViewTopology() };
}
