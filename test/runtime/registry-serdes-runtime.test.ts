import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Consumed, KafkaStreams, LogEngine, Produced, Serdes, StreamsBuilder } from '../../src/index.ts';
import { referenceBuild } from '../reference/reference-tools.ts';
import { buildRegistry, startRegistry, type ReferenceRegistry } from '../reference/registry-kit.ts';
import { tempDir } from '../support/temp-dir.ts';

// A Kafka Streams app whose serdes talk to a real registry (Apicurio's Confluent-compatible API);
// skips where Java is missing.
const java = referenceBuild();

interface Order { user: string; cents: number; currency?: string }
const orderV1 = { type: 'record' as const, name: 'Order', namespace: 'shop', fields: [{ name: 'user', type: 'string' }, { name: 'cents', type: 'long' }] };
const orderV2 = { ...orderV1, fields: [...orderV1.fields, { name: 'currency', type: 'string', default: 'EUR' }] };
const centsSchema = { $schema: 'http://json-schema.org/draft-07/schema#', title: 'Cents', type: 'object', properties: { user: { type: 'string' }, cents: { type: 'integer' } }, required: ['user', 'cents'] };

describe.skipIf(java === undefined)('a streams app with Schema Registry serdes', () => {
  let registry: ReferenceRegistry;
  beforeAll(async () => {
    registry = await startRegistry(buildRegistry());
  }, 900_000);
  afterAll(async () => registry?.stop());

  it('reads records of two schema versions met mid-run and registers its output schema when its task starts', async () => {
    const config = { 'schema.registry.url': registry.url };
    const dir = tempDir();
    const log = await LogEngine.open({ dataDir: join(dir, 'log') });
    await log.createTopic('orders');
    await log.createTopic('cents');
    const produce = async (schema: typeof orderV1, orders: Order[]) => {
      const writer = Serdes.AvroRegistry<Order>(config, { schema });
      await writer.prepareWrite('orders');
      await log.produce('orders', orders.map((order) => ({ key: null, value: writer.serialize('orders', order), timestamp: 1, headers: [] })));
    };
    await produce(orderV1, [{ user: 'ann', cents: 5 }, { user: 'bob', cents: 7 }]);

    const builder = new StreamsBuilder();
    builder.stream('orders', Consumed.with(Serdes.String(), Serdes.AvroRegistry<Order>(config, { schema: orderV2 })))
      .mapValues((order) => ({ user: order.user, cents: order.currency === 'EUR' ? order.cents : order.cents * 2 }))
      .to('cents', Produced.with(Serdes.String(), Serdes.JsonSchemaRegistry(config, { schema: centsSchema })));
    const streams = new KafkaStreams(builder.build(), { 'application.id': 'registry-app', 'state.dir': join(dir, 'state'), 'commit.interval.ms': 20, 'poll.ms': 5 }, { engine: log });
    await streams.start();
    // Nothing prefetches: the app's serde learns both ids from the runtime's once-per-batch preparation,
    // the v2 one registered only after the app started.
    await produce(orderV2, [{ user: 'cy', cents: 3, currency: 'USD' }]);
    const deadline = Date.now() + 20_000;
    while ((await log.fetchOffsets('registry-app')).find((c) => c.topic === 'orders')?.offset !== 3) {
      if (Date.now() > deadline) throw new Error('the orders were not all committed within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await streams.close();

    const output = await log.fetch('cents', 0, 0);
    const reader = Serdes.JsonSchemaRegistry(config);
    await reader.prepareRead(output.map((r) => r.value));
    expect(output.map((r) => reader.deserialize('cents', r.value))).toEqual([{ user: 'ann', cents: 5 }, { user: 'bob', cents: 7 }, { user: 'cy', cents: 6 }]);
    expect((await (await fetch(`${registry.url}/subjects`)).json()) as string[]).toContain('cents-value');
    await log.close();
  });
});
