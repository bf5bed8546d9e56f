import { describe, expect, it } from 'vitest';
import { frame, payloadOf, schemaIdOf } from '../../../src/serde/registry/wire-format.ts';
import { resolveRegistryConfig, subjectName } from '../../../src/serde/registry/registry-config.ts';
import { isStreamsError } from '../../../src/common/index.ts';

describe("Confluent's wire format", () => {
  it('writes magic 0x00, the id as a big-endian int32, then the payload', () => {
    // The Avro string "hi" (zig-zag length 2 = 0x04, then 'h' 'i') under schema id 1, as Confluent documents the layout.
    const bytes = frame(1, Buffer.from([0x04, 0x68, 0x69]));
    expect(bytes.toString('hex')).toBe('000000000104' + '6869');
    expect(frame(0x01020304, Buffer.alloc(0)).toString('hex')).toBe('0001020304');
  });

  it('reads the id and payload back, and says why unframed bytes are not framed', () => {
    const bytes = Buffer.from('00000001c8' + '0a0b', 'hex');
    expect(schemaIdOf(bytes)).toBe(456);
    expect(payloadOf(bytes).toString('hex')).toBe('0a0b');
    expect(schemaIdOf(Buffer.from('7b7d', 'hex'))).toMatch(/too short/);
    expect(schemaIdOf(Buffer.from('010000000100', 'hex'))).toMatch(/first byte is 0x01/);
  });
});

describe('registry settings', () => {
  it('sends USER_INFO credentials as HTTP basic auth and trims the URL', () => {
    const config = resolveRegistryConfig({
      'schema.registry.url': 'http://localhost:8081/', 'basic.auth.credentials.source': 'USER_INFO', 'basic.auth.user.info': 'key:secret',
    }, false);
    expect(config.urls).toEqual(['http://localhost:8081']);
    expect(config.authorization).toBe(`Basic ${Buffer.from('key:secret').toString('base64')}`);
    expect(config.autoRegister).toBe(true);
  });

  it('takes URL credentials out of the URL', () => {
    const config = resolveRegistryConfig({ 'schema.registry.url': 'https://u%40x:p@registry.example/api', 'basic.auth.credentials.source': 'URL' }, true);
    expect(config.urls).toEqual(['https://registry.example/api']);
    expect(Buffer.from(config.authorization!.slice('Basic '.length), 'base64').toString()).toBe('u@x:p');
  });

  it('names subjects by topic or by record, with short or Confluent class names', () => {
    expect(subjectName('TopicNameStrategy', 'orders', true, 'shop.Order')).toBe('orders-key');
    expect(subjectName('TopicNameStrategy', 'orders', false, undefined)).toBe('orders-value');
    const byRecord = resolveRegistryConfig({ 'schema.registry.url': 'http://r', 'value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.RecordNameStrategy' }, false);
    expect(subjectName(byRecord.strategy, 'orders', false, 'shop.Order')).toBe('shop.Order');
  });

  it('rejects settings that cannot work, naming the key', () => {
    const attempts: Array<[Parameters<typeof resolveRegistryConfig>[0], RegExp]> = [
      [{ 'schema.registry.url': '' }, /schema\.registry\.url' is required/],
      [{ 'schema.registry.url': 'not a url' }, /not a URL/],
      [{ 'schema.registry.url': 'http://r', 'basic.auth.credentials.source': 'USER_INFO' }, /basic\.auth\.user\.info/],
      [{ 'schema.registry.url': 'http://r', 'use.latest.version': true }, /auto\.register\.schemas: false/],
      [{ 'schema.registry.url': 'http://r', 'value.subject.name.strategy': 'TopicRecordNameStrategy' }, /value\.subject\.name\.strategy/],
    ];
    for (const [config, message] of attempts) {
      let thrown: unknown;
      try {
        resolveRegistryConfig(config, false);
      } catch (err) {
        thrown = err;
      }
      expect(isStreamsError(thrown, 'INVALID_CONFIG')).toBe(true);
      expect((thrown as Error).message).toMatch(message);
    }
  });
});
