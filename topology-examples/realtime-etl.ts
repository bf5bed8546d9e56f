/**
 * Real-time ETL: raw sign-ups are cleaned (e-mail trimmed and lower-cased, names trimmed; records
 * without a valid e-mail are dropped), enriched with the region of their country from the
 * `country-regions` table (unknown countries get region "unknown"), and routed by region to
 * `customers-eu` or `customers-other`, keyed by the cleaned e-mail.
 *
 * Property tests (test/examples/realtime-etl.prop.test.ts): the routed output equals a batch
 * clean-enrich-route over the same input (with the regions known at each sign-up), in any
 * partition count.
 */
import { Branched, Consumed, Joined, Produced, Serdes, StreamsBuilder } from 'kstreams';
import type { Topology } from 'kstreams';

export interface RawSignup { readonly email: string; readonly name: string; readonly country: string }
export interface Customer { readonly email: string; readonly name: string; readonly country: string; readonly region: string }

export const TOPICS = { signups: 'raw-signups', regions: 'country-regions', eu: 'customers-eu', other: 'customers-other' } as const;

/** The cleaning step, or null when the record cannot be used. */
export function clean(raw: RawSignup): RawSignup | null {
  const email = raw.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[a-z]+$/.test(email)) return null;
  return { email, name: raw.name.trim(), country: raw.country.trim().toUpperCase() };
}

export function buildRealtimeEtlTopology(): Topology {
  const builder = new StreamsBuilder();
  const regions = builder.table<string, string>(TOPICS.regions, Consumed.with(Serdes.String(), Serdes.String()));
  const json = Produced.with(Serdes.String(), Serdes.Json<Customer>());
  builder
    .stream<string, RawSignup>(TOPICS.signups, Consumed.with(Serdes.String(), Serdes.Json<RawSignup>()))
    .mapValues((raw) => clean(raw))
    .filter((_key, signup) => signup !== null)
    .selectKey((_key, signup) => signup!.country)
    // Re-keyed by country, the sign-ups go through a repartition topic to meet the regions table: Joined gives its serdes.
    .leftJoin(regions, (signup, region): Customer => ({ ...signup!, region: region ?? 'unknown' }), Joined.with(Serdes.String(), Serdes.Json<RawSignup | null>(), Serdes.String()))
    .selectKey((_country, customer) => customer.email)
    .split()
    .branch((_key, customer) => customer.region === 'EU', Branched.withConsumer((eu) => eu.to(TOPICS.eu, json)))
    .defaultBranch(Branched.withConsumer((other) => other.to(TOPICS.other, json)));
  return builder.build();
}

export default function realtimeEtlApp() {
  return { applicationId: 'realtime-etl', topology: buildRealtimeEtlTopology() };
}
