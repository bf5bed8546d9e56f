import { Consumed, Produced, Serdes, StreamsBuilder } from '../../src/index.ts';
import type { Header, Topology } from '../../src/index.ts';

/**
 * A topology with one poison record of each kind, shared by the error-handler tests and the
 * reference test against Kafka Streams (whose Java twin is ErrorHandlers.java):
 * `orders` (JSON) → mapValues(amount; throws on 13) → `amounts` (Long). "not json" fails to
 * deserialize, amount 13 makes the processor throw, amount "lots" cannot be serialized as a Long.
 */
export function poisonOrders(): Topology {
  const builder = new StreamsBuilder();
  builder.stream('orders', Consumed.with(Serdes.String(), Serdes.Json<{ amount: unknown }>()))
    .mapValues((order) => {
      if (order.amount === 13) throw new RangeError('13 is unlucky');
      return order.amount as number;
    })
    .to('amounts', Produced.with(Serdes.String(), Serdes.Long()));
  return builder.build();
}

/** The node names Kafka Streams gives the topology above. */
export const NODES = { source: 'KSTREAM-SOURCE-0000000000', mapValues: 'KSTREAM-MAPVALUES-0000000001', sink: 'KSTREAM-SINK-0000000002' } as const;

export interface PoisonInput {
  readonly key: string;
  readonly value: string;
  readonly timestamp: number;
  readonly headers: readonly Header[];
}

const trace = (id: string): Header[] => [{ key: 'trace', value: Buffer.from(id) }];

/** Offsets 0 and 4 are good; 1, 2 and 3 are poison of each kind, in the order deserialization, processing, production. */
export const POISON_INPUTS: readonly PoisonInput[] = [
  { key: 'a', value: '{"amount":1}', timestamp: 1000, headers: [] },
  { key: 'b', value: 'not json', timestamp: 1001, headers: trace('t-b') },
  { key: 'c', value: '{"amount":13}', timestamp: 1002, headers: trace('t-c') },
  { key: 'd', value: '{"amount":"lots"}', timestamp: 1003, headers: trace('t-d') },
  { key: 'e', value: '{"amount":2}', timestamp: 1004, headers: [] },
];
