import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStreamsError } from '../../../src/common/index.ts';
import { Serdes, type SchemaRegistryConfig } from '../../../src/serde/index.ts';
import { referenceBuild } from '../../reference/reference-tools.ts';
import { buildRegistry, startRegistry, type ReferenceRegistry } from '../../reference/registry-kit.ts';

// Runs against a real registry (Apicurio's Confluent-compatible API); skips where Java is missing.
const java = referenceBuild();

const orderV1 = { type: 'record' as const, name: 'Order', namespace: 'shop', fields: [{ name: 'id', type: 'string' }, { name: 'cents', type: 'long' }] };
const orderV2 = { ...orderV1, fields: [...orderV1.fields, { name: 'currency', type: 'string', default: 'EUR' }] };
const clickSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#', title: 'Click', type: 'object',
  properties: { url: { type: 'string' }, ms: { type: 'integer' } }, required: ['url'],
};

function thrown(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe.skipIf(java === undefined)('registry serdes against a real Schema Registry', () => {
  let registry: ReferenceRegistry;
  let config: SchemaRegistryConfig;
  const subjects = async (): Promise<string[]> => (await (await fetch(`${registry.url}/subjects`)).json()) as string[];

  beforeAll(async () => {
    registry = await startRegistry(buildRegistry());
    config = { 'schema.registry.url': registry.url };
  }, 900_000);
  afterAll(async () => registry?.stop());

  it('registers <topic>-value, frames records with its id, and a fresh reader learns the schema from the id', async () => {
    const writer = Serdes.AvroRegistry<{ id: string; cents: number }>(config, { schema: orderV1 });
    await writer.prepareWrite('orders');
    const bytes = writer.serialize('orders', { id: 'o-1', cents: 500 })!;
    expect(await subjects()).toContain('orders-value');
    const registered = (await (await fetch(`${registry.url}/subjects/orders-value/versions/latest`)).json()) as { id: number };
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(registered.id);

    const reader = Serdes.AvroRegistry(config);
    const unknown = thrown(() => reader.deserialize('orders', bytes));
    expect(isStreamsError(unknown, 'DESERIALIZATION_ERROR')).toBe(true);
    expect((unknown as Error).message).toMatch(new RegExp(`schema id ${registered.id} is not loaded: await serde.prepareRead`));
    await reader.prepareRead([bytes, null]);
    expect(reader.deserialize('orders', bytes)).toEqual({ id: 'o-1', cents: 500 });
  });

  it('keys go under <topic>-key, and RecordNameStrategy files a schema under its full name', async () => {
    const key = Serdes.AvroRegistry<string>(config, { schema: '"string"', isKey: true });
    await key.prepareWrite('payments');
    const byRecord = Serdes.AvroRegistry(
      { ...config, 'value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.RecordNameStrategy' }, { schema: orderV1 });
    await byRecord.prepareWrite('payments');
    expect(await subjects()).toEqual(expect.arrayContaining(['payments-key', 'shop.Order']));
    expect(await subjects()).not.toContain('payments-value');
  });

  it('reads a record written with an older version into the newer schema, defaults filled in', async () => {
    const v1 = Serdes.AvroRegistry(config, { schema: orderV1 });
    await v1.prepareWrite('evolving');
    const old = v1.serialize('evolving', { id: 'o-2', cents: 42 })!;
    const v2 = Serdes.AvroRegistry(config, { schema: orderV2 });
    await v2.prepareWrite('evolving');
    const fresh = v2.serialize('evolving', { id: 'o-3', cents: 7, currency: 'USD' })!;
    expect(fresh.readInt32BE(1)).not.toBe(old.readInt32BE(1));
    const reader = Serdes.AvroRegistry(config, { schema: orderV2 });
    await reader.prefetch('evolving');
    expect([reader.deserialize('evolving', old), reader.deserialize('evolving', fresh)]).toEqual([
      { id: 'o-2', cents: 42, currency: 'EUR' }, { id: 'o-3', cents: 7, currency: 'USD' },
    ]);
  });

  it('without auto-registration, looks the schema up (an unregistered one is a coded 404) or writes with the latest version', async () => {
    const registering = Serdes.AvroRegistry(config, { schema: orderV1 });
    await registering.prepareWrite('lookups');
    const id = registering.serialize('lookups', { id: 'a', cents: 1 })!.readInt32BE(1);

    const lookingUp = Serdes.AvroRegistry({ ...config, 'auto.register.schemas': false }, { schema: orderV1 });
    await lookingUp.prepareWrite('lookups');
    expect(lookingUp.serialize('lookups', { id: 'b', cents: 2 })!.readInt32BE(1)).toBe(id);

    const unregistered = Serdes.AvroRegistry({ ...config, 'auto.register.schemas': false }, { schema: orderV2 });
    const missing = await unregistered.prepareWrite('lookups').then(() => undefined, (error: unknown) => error);
    expect(isStreamsError(missing, 'SCHEMA_REGISTRY_ERROR')).toBe(true);
    expect((missing as Error).message).toMatch(/HTTP 404/);
    expect(await subjects()).toContain('lookups-value');

    const latest = Serdes.AvroRegistry({ ...config, 'auto.register.schemas': false, 'use.latest.version': true });
    await latest.prepareWrite('lookups');
    const bytes = latest.serialize('lookups', { id: 'c', cents: 3 })!;
    expect(bytes.readInt32BE(1)).toBe(id);
    expect(thrown(() => latest.serialize('lookups', { id: 'c' }))).toMatchObject({ code: 'SERIALIZATION_ERROR', message: expect.stringMatching(/cents/) });
  });

  it('JSON Schema: registers with schemaType JSON, validates on both sides, and rejects an id of another schema type', async () => {
    const clicks = Serdes.JsonSchemaRegistry<{ url: string; ms?: number }>(config, { schema: clickSchema });
    await clicks.prepareWrite('clicks');
    const bytes = clicks.serialize('clicks', { url: '/home', ms: 12 })!;
    expect(bytes.subarray(5).toString('utf8')).toBe('{"url":"/home","ms":12}');
    const bad = thrown(() => clicks.serialize('clicks', { ms: 1.5 } as never));
    expect(isStreamsError(bad, 'SERIALIZATION_ERROR')).toBe(true);
    expect((bad as Error).message).toMatch(/must have required property 'url'.*\/ms must be integer/);

    const reader = Serdes.JsonSchemaRegistry(config);
    await reader.prepareRead([bytes]);
    expect(reader.deserialize('clicks', bytes)).toEqual({ url: '/home', ms: 12 });
    const forged = Buffer.concat([bytes.subarray(0, 5), Buffer.from('{"ms":"x"}')]);
    expect(thrown(() => reader.deserialize('clicks', forged))).toMatchObject({ code: 'DESERIALIZATION_ERROR', message: expect.stringMatching(/url/) });

    const avroRecord = Serdes.AvroRegistry(config, { schema: orderV1 });
    await avroRecord.prepareWrite('orders');
    const avroBytes = avroRecord.serialize('orders', { id: 'x', cents: 1 })!;
    await reader.prepareRead([avroBytes]);
    expect(thrown(() => reader.deserialize('orders', avroBytes))).toMatchObject({ code: 'DESERIALIZATION_ERROR', message: expect.stringMatching(/could not give schema id \d+: schema id \d+ has type AVRO, this serde reads JSON/) });
  });

  it('names the registry it could not reach', async () => {
    const nowhere = Serdes.AvroRegistry({ 'schema.registry.url': 'http://127.0.0.1:1' }, { schema: orderV1 });
    await expect(nowhere.prepareWrite('orders')).rejects.toMatchObject({ code: 'SCHEMA_REGISTRY_ERROR', message: expect.stringMatching(/no schema registry answered at http:\/\/127\.0\.0\.1:1/) });
  });
});
