import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KafkaBroker } from '../../src/broker/index.ts';
import type { KafkaBrokerOptions } from '../../src/broker/index.ts';
import { addUser, readUsersFile } from '../../src/broker/security/index.ts';
import { KafkaCluster } from '../../src/client/index.ts';
import { LogEngine } from '../../src/log/index.ts';
import { FrameReader, apis, decodeResponse, encodeRequest } from '../../src/protocol/index.ts';
import { Consumed, KafkaStreams, Produced, Serdes, StreamsBuilder } from '../../src/index.ts';
import type { StreamsConfig } from '../../src/index.ts';
import { resolveConfig } from '../../src/runtime/streams-config.ts';
import { loggedLines } from '../support/log-capture.ts';
import { makeTestPki, type TestPki } from '../support/test-certificates.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * `kstreams broker` with TLS, mutual TLS and SASL (PLAIN, SCRAM-SHA-256/512): clients connect with
 * Kafka's own settings, unauthenticated requests close the connection, and wrong credentials fail
 * in one coded line.
 */
let pki: TestPki;
let usersFile: string;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kstreams-broker-security-'));
  pki = makeTestPki(join(dir, 'pki'));
  usersFile = join(dir, 'users.json');
  await addUser(usersFile, 'alice', 'alice-secret');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  cleanup = [];
});

async function startBroker(security: Partial<KafkaBrokerOptions>): Promise<string> {
  const engine = await LogEngine.open({ dataDir: join(tempDir(), 'data') });
  const broker = new KafkaBroker({ engine, port: 0, ...security });
  const { port } = await broker.start();
  cleanup.push(() => engine.close(), () => broker.close());
  return `127.0.0.1:${port}`;
}

const tls = () => ({ cert: readFileSync(pki.server.cert), key: readFileSync(pki.server.key) });
const sasl = () => ({ users: readUsersFile(usersFile), mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const });
const login = (mechanism: string, password: string): StreamsConfig => ({
  'security.protocol': 'SASL_SSL', 'sasl.mechanism': mechanism, 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': pki.caCert,
  'sasl.jaas.config': `org.apache.kafka.common.security.${mechanism === 'PLAIN' ? 'plain.PlainLoginModule' : 'scram.ScramLoginModule'} required username="alice" password="${password}";`,
});

/** Connects with a config, writes one record and reads it back. */
async function roundTrip(bootstrap: string, security: StreamsConfig): Promise<string> {
  const { clients } = resolveConfig({ 'application.id': 'probe', ...security });
  const cluster = await KafkaCluster.connect({ bootstrapServers: [bootstrap], clientId: 'probe', groupId: 'probe', clients: { ...clients, admin: { retries: 0 } } });
  try {
    await cluster.ensureTopics([{ name: 'secured', partitions: 1, config: {} }]);
    await cluster.produce('secured', [{ key: null, value: Buffer.from('hello'), timestamp: 1, headers: [] }]);
    const { records } = await cluster.fetch('secured', 0, 0, 1_000_000);
    return records.map((r) => r.value!.toString()).join(',');
  } finally {
    await cluster.close();
  }
}

async function failureOf(bootstrap: string, security: StreamsConfig): Promise<{ code: string; message: string }> {
  const error = await roundTrip(bootstrap, security).then(() => undefined, (e: unknown) => e as { code: string; message: string });
  expect(error, 'connecting should fail').toBeDefined();
  expect(error!.message).not.toContain('\n');
  return { code: error!.code, message: error!.message };
}

describe('kstreams broker with TLS and SASL', () => {
  it('serves SASL_SSL logins with SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN from a users file of salted credentials', async () => {
    const users = readFileSync(usersFile, 'utf8');
    expect(users).not.toContain('alice-secret');
    expect(Object.keys(JSON.parse(users).users.alice)).toEqual(['SCRAM-SHA-256', 'SCRAM-SHA-512']);
    const bootstrap = await startBroker({ tls: tls(), sasl: sasl() });
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512', 'PLAIN']) {
      expect(await roundTrip(bootstrap, login(mechanism, 'alice-secret'))).toMatch(/^hello/);
    }
  }, 60_000);

  it('runs a KafkaStreams app over SASL_SSL: group membership and commits on authenticated connections', async () => {
    const bootstrap = await startBroker({ tls: tls(), sasl: sasl() });
    const security = login('SCRAM-SHA-256', 'alice-secret');
    const { clients } = resolveConfig({ 'application.id': 'feeder', ...security });
    const cluster = await KafkaCluster.connect({ bootstrapServers: [bootstrap], clientId: 'feeder', groupId: 'feeder', clients });
    cleanup.push(() => cluster.close());
    await cluster.ensureTopics([{ name: 'words', partitions: 2, config: {} }, { name: 'shouted', partitions: 2, config: {} }]);
    const builder = new StreamsBuilder();
    builder.stream<string, string>('words', Consumed.with(Serdes.String(), Serdes.String())).mapValues((v) => v.toUpperCase()).to('shouted', Produced.with(Serdes.String(), Serdes.String()));
    const streams = new KafkaStreams(builder.build(), {
      'application.id': 'shouter', 'bootstrap.servers': bootstrap, 'state.dir': join(tempDir(), 'state'), 'commit.interval.ms': 50, 'poll.ms': 10, ...security,
    });
    await streams.start();
    cleanup.push(() => streams.close());
    await cluster.produce('words', ['a', 'b', 'c', 'd'].map((w, i) => ({ key: Buffer.from(w), value: Buffer.from(w), timestamp: i, headers: [], partition: i % 2 })));
    const shouted = new Set<string>();
    const offsets = [0, 0];
    while (shouted.size < 4) {
      for (const partition of [0, 1]) {
        for (const record of (await cluster.fetch('shouted', partition, offsets[partition]!, 1 << 20)).records) {
          shouted.add(record.value!.toString());
          offsets[partition] = record.offset + 1;
        }
      }
      if (shouted.size < 4) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect([...shouted].sort()).toEqual(['A', 'B', 'C', 'D']);
    await streams.close();
    expect((await cluster.committedOffsets('shouter')).reduce((sum, c) => sum + c.offset, 0)).toBe(4);
  }, 60_000);

  it('a wrong password or a mechanism the broker does not enable fails in one coded line; the broker log says why', async () => {
    const bootstrap = await startBroker({ tls: tls(), sasl: { ...sasl(), mechanisms: ['SCRAM-SHA-512'] } });
    expect(await failureOf(bootstrap, login('SCRAM-SHA-512', 'wrong'))).toEqual({
      code: 'AUTHENTICATION_FAILED', message: expect.stringMatching(/SASL SCRAM-SHA-512 authentication of user "alice" at 127\.0\.0\.1:\d+ failed \(Authentication failed: invalid username or password\); check the username and password/),
    });
    expect(loggedLines('warn').map((l) => l.message)).toContainEqual(expect.stringMatching(/authentication from 127\.0\.0\.1:\d+ .* failed: invalid credentials of "alice"/));
    expect(await failureOf(bootstrap, login('SCRAM-SHA-256', 'alice-secret'))).toMatchObject({ code: 'AUTHENTICATION_FAILED' });
    expect(loggedLines('warn').map((l) => l.message)).toContainEqual(expect.stringMatching(/mechanism SCRAM-SHA-256 is not enabled \(enabled: SCRAM-SHA-512\)/));
  }, 60_000);

  it('answers ApiVersions before authentication and closes the connection on any other request, unanswered', async () => {
    const bootstrap = await startBroker({ sasl: sasl() });
    const socket: Socket = connect(Number(bootstrap.split(':')[1]), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const frames = new FrameReader(1 << 20);
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(...frames.push(chunk)));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(encodeRequest(apis.apiVersions, { apiKey: apis.apiVersions.apiKey, apiVersion: 0, correlationId: 1, clientId: 'raw' }, {}));
    socket.write(encodeRequest(apis.metadata, { apiKey: apis.metadata.apiKey, apiVersion: 1, correlationId: 2, clientId: 'raw' }, { topics: null }));
    await closed;
    expect(received.map((frame) => decodeResponse(apis.apiVersions, 0, frame).correlationId)).toEqual([1]);
    expect(loggedLines('warn').map((l) => l.message)).toContainEqual(expect.stringMatching(/Metadata v1 before authenticating \(SASL is required on this listener\)/));
  });

  it('serves the SaslHandshake v0 exchange: raw token frames, then requests', async () => {
    const bootstrap = await startBroker({ sasl: sasl() });
    const socket: Socket = connect(Number(bootstrap.split(':')[1]), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const frames = new FrameReader(1 << 20);
    const pending: Array<(frame: Buffer) => void> = [];
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      for (const frame of frames.push(chunk)) (pending.shift() ?? ((f: Buffer) => received.push(f)))(frame);
    });
    const next = () => new Promise<Buffer>((resolve) => (received.length > 0 ? resolve(received.shift()!) : pending.push(resolve)));
    socket.write(encodeRequest(apis.saslHandshake, { apiKey: apis.saslHandshake.apiKey, apiVersion: 0, correlationId: 1, clientId: 'raw' }, { mechanism: 'PLAIN' }));
    expect(decodeResponse(apis.saslHandshake, 0, await next()).body).toEqual({ errorCode: 0, mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] });
    const token = Buffer.from('\0alice\0alice-secret');
    const size = Buffer.alloc(4);
    size.writeInt32BE(token.length);
    socket.write(Buffer.concat([size, token]));
    expect((await next()).length).toBe(0);
    socket.write(encodeRequest(apis.metadata, { apiKey: apis.metadata.apiKey, apiVersion: 1, correlationId: 2, clientId: 'raw' }, { topics: [] }));
    expect(decodeResponse(apis.metadata, 1, await next()).correlationId).toBe(2);
    socket.destroy();
  });

  it('with client authentication required, serves clients whose certificate its CA signed and refuses others', async () => {
    const bootstrap = await startBroker({ tls: { ...tls(), ca: readFileSync(pki.caCert), clientAuth: 'required' } });
    const mtls: StreamsConfig = { 'security.protocol': 'SSL', 'ssl.truststore.location': pki.caCert, 'ssl.keystore.location': pki.client.keystore };
    expect(await roundTrip(bootstrap, mtls)).toMatch(/^hello/);
    expect(await failureOf(bootstrap, { ...mtls, 'ssl.keystore.location': pki.strangerClient.keystore })).toMatchObject({ code: 'TLS_HANDSHAKE_FAILED' });
    expect(await failureOf(bootstrap, { ...mtls, 'ssl.keystore.location': undefined })).toMatchObject({ code: 'TLS_HANDSHAKE_FAILED' });
  }, 60_000);
});
