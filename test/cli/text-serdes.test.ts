import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serdesOf, textSerde } from '../../src/cli/text-serdes.ts';
import { Serdes, WindowedSerdes, windowed } from '../../src/serde/index.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('the command line serdes', () => {
  it('round-trip text and JSON for every serde', () => {
    const cases: Array<[string, string[], unknown[]]> = [
      ['string', ['', 'héllo', '{"not":"parsed"}'], ['x']],
      ['long', ['0', '-1', '9223372036854775807', '-9223372036854775808'], [42, '9007199254740993']],
      ['integer', ['2147483647', '-2147483648', '7'], [-5]],
      ['double', ['12.5', '-0.001', 'Infinity', 'NaN'], [3.25]],
      ['json', ['{"a":[1,2]}', '"text"', 'null'], [{ a: 1 }, [1, 'b']]],
      ['bytes', ['', '00ff10'], ['deadbeef']],
      ['base64', ['AAEC', ''], ['aGk=']],
    ];
    for (const [name, texts, jsons] of cases) {
      const serde = textSerde(name, '--value-serde');
      for (const text of texts) expect({ name, text: serde.format(serde.parse(text)) }).toEqual({ name, text });
      for (const json of jsons) expect({ name, json: serde.toJson(serde.fromJson(json)) }).toEqual({ name, json });
    }
  });

  it('write the bytes of Kafka\'s serializers, so the app and Java clients read them', () => {
    expect(textSerde('long', 'f').parse('1250')).toEqual(Serdes.Long().serialize('t', 1250));
    expect(textSerde('integer', 'f').parse('-3')).toEqual(Serdes.Integer().serialize('t', -3));
    expect(textSerde('double', 'f').parse('0.5')).toEqual(Serdes.Double().serialize('t', 0.5));
    const timeWindowed = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), 60_000);
    const key = windowed('alice', 1_700_000_000_000, 1_700_000_060_000);
    const text = textSerde('windowed-string', '--key-serde', { windowSizeMs: 60_000 });
    expect(text.parse('[alice@1700000000000/1700000060000]')).toEqual(timeWindowed.serialize('t', key));
    expect(text.format(timeWindowed.serialize('t', key)!)).toBe('[alice@1700000000000/1700000060000]');
    const session = textSerde('session-windowed-long', '--key-serde');
    const sessionKey = windowed(7, 1000, 5000);
    expect(session.format(WindowedSerdes.sessionWindowedSerdeFrom(Serdes.Long()).serialize('t', sessionKey)!)).toBe('[7@1000/5000]');
    expect(session.fromJson({ key: 7, start: 1000, end: 5000 })).toEqual(WindowedSerdes.sessionWindowedSerdeFrom(Serdes.Long()).serialize('t', sessionKey));
  });

  it('read and write Avro with a schema file', () => {
    const file = join(tempDir(), 'order.avsc');
    const schema = JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'user', type: 'string' }, { name: 'cents', type: 'long' }] });
    writeFileSync(file, schema);
    const { value } = serdesOf('produce', { 'value-serde': 'avro', 'value-schema': file });
    const bytes = value.parse('{"user":"alice","cents":1250}');
    expect(bytes).toEqual(Serdes.Avro(schema).serialize('t', { user: 'alice', cents: 1250 }));
    expect(value.format(bytes)).toBe('{"user":"alice","cents":1250}');
    expect(() => value.parse('{"user":"alice"}')).toThrow(/does not match the Avro schema of --value-schema/);
  });

  it('name the flag and the expected form when input is wrong', () => {
    expect(() => textSerde('float', '--value-serde')).toThrow(/--value-serde must be one of string, long, .*; got 'float'/);
    expect(() => textSerde('windowed-string', '--key-serde')).toThrow(/--key-serde windowed-string needs --window-size-ms N/);
    expect(() => textSerde('avro', '--key-serde', { schemaFlag: '--key-schema' })).toThrow(/add --key-schema FILE.avsc/);
    expect(() => serdesOf('consume', { 'window-size-ms': '0' })).toThrow(/--window-size-ms must be a whole number > 0, got '0'/);
    expect(() => textSerde('long', 'f').parse('12.5')).toThrow(/'12.5' is not a long value/);
    expect(() => textSerde('long', 'f').parse('9223372036854775808')).toThrow(/64-bit range/);
    expect(() => textSerde('windowed-string', 'f', { windowSizeMs: 10 }).parse('[a@0/20]')).toThrow(/--window-size-ms 10 long/);
    expect(() => textSerde('long', 'f').format(Buffer.from('abc'))).toThrow(expect.objectContaining({ code: 'DESERIALIZATION_ERROR' }));
  });
});
