import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceBuild } from '../reference/reference-tools.ts';
import { buildRegistry, startRegistry, type ReferenceRegistry } from '../reference/registry-kit.ts';
import { tempDir } from '../support/temp-dir.ts';
import { cli } from './in-process-cli.ts';

// kstreams produce/consume with registry serdes on the embedded engine, against a real registry
// (Apicurio's Confluent-compatible API); skips where Java is missing.
const java = referenceBuild();

describe.skipIf(java === undefined)('kstreams produce and consume with Schema Registry serdes', () => {
  let registry: ReferenceRegistry;
  beforeAll(async () => {
    registry = await startRegistry(buildRegistry());
  }, 900_000);
  afterAll(async () => registry?.stop());

  it('produces Avro under a registered id and reads it back by that id, without the schema file', async () => {
    const dir = tempDir();
    const schema = join(dir, 'order.avsc');
    writeFileSync(schema, JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'string' }, { name: 'cents', type: 'long' }] }));
    const data = ['--data-dir', join(dir, 'data')];
    const url = ['--schema-registry-url', registry.url];
    await cli(['topics', 'create', 'orders', ...data]);
    const produced = await cli(['produce', 'orders', '--key-separator', ':', '--value-serde', 'avro-registry', '--value-schema', schema, ...url, ...data],
      'alice:{"id":"o-1","cents":500}\nbob:{"id":"o-2","cents":7}\n');
    expect([produced.code, produced.stderr, produced.lines]).toEqual([0, '', ['produced 2 record(s) to orders']]);

    const consumed = await cli(['consume', 'orders', '--print-key', '--value-serde', 'avro-registry', ...url, ...data]);
    expect([consumed.code, consumed.stderr, consumed.lines]).toEqual([0, '', ['alice\t{"id":"o-1","cents":500}', 'bob\t{"id":"o-2","cents":7}']]);
    const id = ((await (await fetch(`${registry.url}/subjects/orders-value/versions/latest`)).json()) as { id: number }).id;
    const raw = await cli(['consume', 'orders', '--value-serde', 'bytes', '--max-messages', '1', ...data]);
    expect(raw.lines[0]!.slice(0, 10)).toBe(`00${id.toString(16).padStart(8, '0')}`);

    const invalid = await cli(['produce', 'orders', '--value-serde', 'avro-registry', '--value-schema', schema, ...url, ...data], '{"id":"o-3"}\n');
    expect([invalid.code, invalid.stderr]).toEqual([2, expect.stringMatching(/^kstreams: line 1: .*does not match the schema at cents/)]);
  });

  it('validates JSON Schema values on produce and says what a registry serde is missing', async () => {
    const dir = tempDir();
    const schema = join(dir, 'click.json');
    writeFileSync(schema, JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'Click', type: 'object', properties: { url: { type: 'string' } }, required: ['url'] }));
    const data = ['--data-dir', join(dir, 'data')];
    const url = ['--schema-registry-url', registry.url];
    await cli(['topics', 'create', 'clicks', ...data]);
    const produced = await cli(['produce', 'clicks', '--value-serde', 'json-schema-registry', '--value-schema', schema, ...url, ...data], '{"url":"/a"}\n{"href":"/b"}\n');
    expect([produced.code, produced.stderr]).toEqual([2, expect.stringMatching(/^kstreams: line 2: .*must have required property 'url'/)]);
    const good = await cli(['produce', 'clicks', '--format', 'json', '--value-serde', 'json-schema-registry', '--value-schema', schema, ...url, ...data], '{"value":{"url":"/c"}}\n');
    expect(good.code).toBe(0);
    const consumed = await cli(['consume', 'clicks', '--value-serde', 'json-schema-registry', ...url, ...data]);
    expect(consumed.lines).toEqual(['{"url":"/c"}']);

    const noUrl = await cli(['consume', 'clicks', '--value-serde', 'json-schema-registry', ...data]);
    expect([noUrl.code, noUrl.stderr.trim()]).toEqual([2, 'kstreams: --value-serde json-schema-registry needs --schema-registry-url URL (e.g. http://localhost:8081)']);
    const noSchema = await cli(['produce', 'clicks', '--value-serde', 'json-schema-registry', ...url, ...data], '{"url":"/d"}\n');
    expect([noSchema.code, noSchema.stderr.trim()]).toEqual([2, 'kstreams: --value-serde json-schema-registry needs --value-schema FILE to produce: the schema to register or look up']);
  });
});
