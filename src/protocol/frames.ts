import { StreamsError } from '../common/index.ts';
import { decodeMessage, encodeMessage } from './codec.ts';
import type { ApiSchema, Message } from './schema.ts';
import { WireReader } from './wire-reader.ts';
import { WireWriter } from './wire-writer.ts';

/** The header of a request: which API and version, the id the response echoes, and the client. */
export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}

/** A request as the broker reads it: header, then the body when the API and version are served. */
export interface DecodedRequest {
  readonly header: RequestHeader;
  readonly body: Message;
  readonly flexible: boolean;
}

/** API key of ApiVersions, whose responses always use header v0 (KIP-511). */
export const API_VERSIONS_KEY = 18;

export function isFlexible(api: ApiSchema, version: number): boolean {
  return api.flexibleFrom !== null && version >= api.flexibleFrom;
}

/**
 * Reads a request frame's content (the 4-byte size already removed): header v1 (api key, version,
 * correlation id, client id as a classic nullable string), plus tagged fields (header v2) for
 * flexible versions, then the body from the API's schema.
 */
export function decodeRequestHeader(frame: Buffer): { header: RequestHeader; reader: WireReader } {
  const reader = new WireReader(frame);
  const apiKey = reader.int16();
  const apiVersion = reader.int16();
  const correlationId = reader.int32();
  const clientIdLength = reader.int16();
  const clientId = clientIdLength < 0 ? null : reader.raw(clientIdLength).toString('utf8');
  return { header: { apiKey, apiVersion, correlationId, clientId }, reader };
}

/** Reads the body of a request whose API and version are served; skips the header's tagged fields first. */
export function decodeRequestBody(api: ApiSchema, header: RequestHeader, reader: WireReader): Message {
  const flexible = isFlexible(api, header.apiVersion);
  if (flexible) {
    const tags = reader.uvarint();
    for (let i = 0; i < tags; i++) {
      reader.uvarint();
      reader.raw(reader.uvarint());
    }
  }
  return decodeMessage(reader, api.request, header.apiVersion, flexible);
}

/** Encodes a whole request frame, size prefix included (for clients and tests). */
export function encodeRequest(api: ApiSchema, header: RequestHeader, body: Message): Buffer {
  const writer = new WireWriter();
  writer.int32(0);
  writer.int16(header.apiKey);
  writer.int16(header.apiVersion);
  writer.int32(header.correlationId);
  if (header.clientId === null) writer.int16(-1);
  else {
    const id = Buffer.from(header.clientId, 'utf8');
    writer.int16(id.length);
    writer.raw(id);
  }
  const flexible = isFlexible(api, header.apiVersion);
  if (flexible) writer.uvarint(0);
  encodeMessage(writer, api.request, body, header.apiVersion, flexible);
  return withSize(writer.finish());
}

/**
 * Encodes a response frame, size prefix included: correlation id, tagged fields (header v1) for
 * flexible versions except ApiVersions, then the body.
 */
export function encodeResponse(api: ApiSchema, version: number, correlationId: number, body: Message): Buffer {
  const writer = new WireWriter();
  writer.int32(0);
  writer.int32(correlationId);
  const flexible = isFlexible(api, version);
  if (flexible && api.apiKey !== API_VERSIONS_KEY) writer.uvarint(0);
  encodeMessage(writer, api.response, body, version, flexible);
  return withSize(writer.finish());
}

/** Reads a response frame's content (size removed) for the given API and version (for clients and tests). */
export function decodeResponse(api: ApiSchema, version: number, frame: Buffer): { correlationId: number; body: Message } {
  const reader = new WireReader(frame);
  const correlationId = reader.int32();
  const flexible = isFlexible(api, version);
  if (flexible && api.apiKey !== API_VERSIONS_KEY) {
    const tags = reader.uvarint();
    for (let i = 0; i < tags; i++) {
      reader.uvarint();
      reader.raw(reader.uvarint());
    }
  }
  const body = decodeMessage(reader, api.response, version, flexible);
  if (reader.remaining() !== 0) throw new StreamsError('PROTOCOL_ERROR', `${api.name} v${version} response has ${reader.remaining()} bytes left over`);
  return { correlationId, body };
}

function withSize(frame: Buffer): Buffer {
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}
