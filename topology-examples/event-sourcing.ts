/**
 * Event sourcing: account balances rebuilt from the `account-events` log (deposits and
 * withdrawals keyed by account). A withdrawal larger than the balance is refused — the balance
 * stays — and counted. The balance is a table (`account-balances`, also a topic); replaying the
 * same events always rebuilds the same balances, and a restart resumes from the changelog.
 *
 * Property tests (test/examples/event-sourcing.prop.test.ts): balances equal a fold over the
 * events per account, for any partition count, and are unchanged by restarts at any point.
 */
import { Consumed, Materialized, Produced, Serdes, StreamsBuilder } from 'kstreams';
import type { Topology } from 'kstreams';

export interface AccountEvent { readonly type: 'deposit' | 'withdrawal'; readonly cents: number }
export interface Account { readonly balanceCents: number; readonly refused: number }

export const TOPICS = { events: 'account-events', balances: 'account-balances' } as const;
export const BALANCES_STORE = 'account-balances';

/** Applies one event to an account: the rule the stream and any replay share. */
export function apply(account: Account, event: AccountEvent): Account {
  if (event.type === 'deposit') return { ...account, balanceCents: account.balanceCents + event.cents };
  if (event.cents > account.balanceCents) return { ...account, refused: account.refused + 1 };
  return { ...account, balanceCents: account.balanceCents - event.cents };
}

export const OPENED: Account = { balanceCents: 0, refused: 0 };

export function buildEventSourcingTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string, AccountEvent>(TOPICS.events, Consumed.with(Serdes.String(), Serdes.Json<AccountEvent>()))
    .groupByKey()
    .aggregate(() => OPENED, (_account, event, account) => apply(account, event), Materialized.as<string, Account>(BALANCES_STORE).withValueSerde(Serdes.Json<Account>()))
    .toStream()
    .to(TOPICS.balances, Produced.with(Serdes.String(), Serdes.Json<Account>()));
  return builder.build();
}

export default function eventSourcingApp() {
  return { applicationId: 'event-sourcing', topology: buildEventSourcingTopology() };
}
