import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  SERVED_APIS, WireReader, WireWriter, apis, decodeMessage, decodeRequestBody, decodeRequestHeader, decodeResponse, encodeMessage, encodeRequest,
  encodeResponse, inVersions, isStreamsErrorCode,
} from './support.ts';
import type { FieldSchema, Message } from '../../src/protocol/index.ts';

/** A message with a distinct value in every field present at `version` (absent fields left out). */
function sample(fields: readonly FieldSchema[], version: number, seed: number): Message {
  const message: Message = {};
  fields.forEach((field, i) => {
    if (!inVersions(field.versions, version)) return;
    const n = seed + i;
    if (field.type === 'array') {
      message[field.name] = field.fields !== undefined ? [sample(field.fields, version, n + 1), sample(field.fields, version, n + 2)] : [primitive(field.items!, n), primitive(field.items!, n + 1)];
    } else if (field.type === 'struct') {
      message[field.name] = sample(field.fields!, version, n + 3);
    } else {
      message[field.name] = primitive(field.type, n);
    }
  });
  return message;
}

function primitive(type: string, n: number): unknown {
  switch (type) {
    case 'string': return `s${n}`;
    case 'bool': return n % 2 === 0;
    case 'bytes': case 'records': return Buffer.from([n % 256, 1, 2]);
    case 'uuid': return Buffer.alloc(16, n % 256);
    case 'int8': return n % 100;
    case 'float64': return n + 0.5;
    case 'int64': return 2 ** 40 + n;
    default: return n % 30_000;
  }
}

/** The decoded form of `message`: fields absent at `version` hold their defaults. */
function comparable(fields: readonly FieldSchema[], decoded: Message, version: number): Message {
  const out: Message = {};
  for (const field of fields) {
    if (!inVersions(field.versions, version)) continue;
    const value = decoded[field.name];
    if (field.type === 'array' && field.fields !== undefined) out[field.name] = (value as Message[]).map((m) => comparable(field.fields!, m, version));
    else if (field.type === 'struct' && value !== null) out[field.name] = comparable(field.fields!, value as Message, version);
    else out[field.name] = value;
  }
  return out;
}

describe('schema codec', () => {
  it('round-trips every request and response of every served API and version', () => {
    let checked = 0;
    for (const api of SERVED_APIS.values()) {
      for (let version = api.minVersion; version <= api.maxVersion; version++) {
        const flexible = api.flexibleFrom !== null && version >= api.flexibleFrom;
        for (const fields of [api.request, api.response]) {
          const message = sample(fields, version, version);
          const writer = new WireWriter(8);
          encodeMessage(writer, fields, message, version, flexible);
          const reader = new WireReader(writer.finish());
          const decoded = decodeMessage(reader, fields, version, flexible);
          expect(reader.remaining(), `${api.name} v${version}`).toBe(0);
          expect(comparable(fields, decoded, version), `${api.name} v${version}`).toEqual(comparable(fields, message, version));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  it('writes a Heartbeat v4 request byte for byte: header v2, compact strings, empty tagged fields', () => {
    const frame = encodeRequest(apis.heartbeat, { apiKey: 12, apiVersion: 4, correlationId: 7, clientId: 'c' },
      { groupId: 'g', generationId: 3, memberId: 'm', groupInstanceId: null });
    expect(frame.toString('hex')).toBe([
      '00000016', // size 22
      '000c', '0004', '00000007', '0001', '63', '00', // key 12, v4, correlation 7, client id "c" (classic string), header tags
      '0267', '00000003', '026d', '00', '00', // "g" compact, generation 3, "m" compact, null instance id, body tags
    ].join(''));
  });

  it('writes an ApiVersions v3 response with header v0 (no tagged fields in the header), as KIP-511 requires', () => {
    const frame = encodeResponse(apis.apiVersions, 3, 9, { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }], throttleTimeMs: 0 });
    expect(frame.subarray(4, 8).toString('hex')).toBe('00000009');
    expect(frame.subarray(8, 10).toString('hex')).toBe('0000'); // error code follows the correlation id directly
    expect(decodeResponse(apis.apiVersions, 3, frame.subarray(4)).body).toMatchObject({ errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }] });
  });

  it('reads a classic Metadata v1 request built by hand', () => {
    const body = Buffer.from('00000001' + '0003' + Buffer.from('foo').toString('hex'), 'hex'); // one topic "foo"
    const header = Buffer.from('0003' + '0001' + '0000002a' + 'ffff', 'hex'); // key 3, v1, correlation 42, null client id
    const { header: decodedHeader, reader } = decodeRequestHeader(Buffer.concat([header, body]));
    expect(decodedHeader).toEqual({ apiKey: 3, apiVersion: 1, correlationId: 42, clientId: null });
    expect(decodeRequestBody(apis.metadata, decodedHeader, reader)).toMatchObject({ topics: [{ name: 'foo' }] });
  });

  it('fails with PROTOCOL_ERROR on truncated or lying frames, never reads past the end', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      try {
        const { header, reader } = decodeRequestHeader(Buffer.from(bytes));
        const api = SERVED_APIS.get(header.apiKey);
        if (api !== undefined && header.apiVersion >= api.minVersion && header.apiVersion <= api.maxVersion) decodeRequestBody(api, header, reader);
      } catch (error) {
        expect(isStreamsErrorCode(error, 'PROTOCOL_ERROR')).toBe(true);
      }
    }), { numRuns: 2000, seed: 12 });
  });
});
