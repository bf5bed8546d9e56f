import { describe, expect, it } from 'vitest';
import { WireReader, WireWriter, apis, decodeMessage, encodeMessage } from './support.ts';
import type { ApiSchema, Message } from '../../src/protocol/index.ts';

function bytesOf(api: ApiSchema, side: 'request' | 'response', message: Message, version: number): string {
  const writer = new WireWriter(8);
  encodeMessage(writer, api[side], message, version, api.flexibleFrom !== null && version >= api.flexibleFrom);
  return writer.finish().toString('hex');
}

function decoded(api: ApiSchema, side: 'request' | 'response', hex: string, version: number): Message {
  const reader = new WireReader(Buffer.from(hex, 'hex'));
  const message = decodeMessage(reader, api[side], version, api.flexibleFrom !== null && version >= api.flexibleFrom);
  expect(reader.remaining()).toBe(0);
  return message;
}

/** The newest group versions, byte for byte as Kafka's JoinGroup/LeaveGroup/SyncGroup JSON schemas lay them out. */
describe('group API versions Kafka 4.4 serves', () => {
  it('JoinGroup v9: a reason in the request; skipAssignment between the leader and the member id in the response', () => {
    const request = [
      '0267', '00002710', '00002710', '01', // "g", session 10 s, rebalance 10 s, member id "" (compact: length + 1; 00 is null)
      '0269', '09636f6e73756d6572', // instance id "i", protocol type "consumer"
      '02', '0672616e6765', '026d', '00', // one protocol: "range", metadata "m", its tags
      '0472656f', '00', // reason "reo", tags
    ].join('');
    expect(decoded(apis.joinGroup, 'request', request, 9)).toEqual({
      groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: '', groupInstanceId: 'i', protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.from('m') }], reason: 'reo',
    });
    expect(bytesOf(apis.joinGroup, 'response', {
      throttleTimeMs: 0, errorCode: 0, generationId: 5, protocolType: 'consumer', protocolName: 'range', leader: 'l', skipAssignment: true, memberId: 'l',
      members: [{ memberId: 'l', groupInstanceId: null, metadata: Buffer.from('m') }],
    }, 9)).toBe([
      '00000000', '0000', '00000005', '09636f6e73756d6572', '0672616e6765', '026c', // throttle, error, generation, type, name, leader
      '01', '026c', // skipAssignment true, member id
      '02', '026c', '00', '026d', '00', '00', // one member: id, null instance id, metadata, its tags; body tags
    ].join(''));
    // v8 has the reason but no skipAssignment; a null protocol type and name are written as null (00), not as "".
    expect(bytesOf(apis.joinGroup, 'response', { throttleTimeMs: 0, errorCode: 0, generationId: 5, protocolType: null, protocolName: null, leader: 'l', skipAssignment: true, memberId: 'l', members: [] }, 8))
      .toBe(['00000000', '0000', '00000005', '00', '00', '026c', '026c', '01', '00'].join(''));
  });

  it('LeaveGroup v5: a reason per leaving member', () => {
    const request = ['0267', '02', '026d', '00', '0462796500', '00'].join(''); // "g", one member: "m", null instance id, reason "bye" + its tags, body tags
    expect(decoded(apis.leaveGroup, 'request', request, 5)).toMatchObject({ groupId: 'g', members: [{ memberId: 'm', groupInstanceId: null, reason: 'bye' }] });
    expect(bytesOf(apis.leaveGroup, 'response', { throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'm', groupInstanceId: null, errorCode: 25 }] }, 5))
      .toBe(['00000000', '0000', '02', '026d', '00', '0019', '00', '00'].join('')); // a null instance id is null (00), not ""
  });

  it('SyncGroup v5: the protocol type and name in both directions', () => {
    expect(bytesOf(apis.syncGroup, 'response', { throttleTimeMs: 0, errorCode: 23, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) }, 5))
      .toBe(['00000000', '0017', '00', '00', '01', '00'].join('')); // INCONSISTENT_GROUP_PROTOCOL, null type and name, empty assignment, tags
  });
});
