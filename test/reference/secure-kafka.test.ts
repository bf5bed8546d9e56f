import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../src/client/index.ts';
import { Consumed, KafkaStreams, Produced, Serdes, StreamsBuilder } from '../../src/index.ts';
import type { StreamsConfig } from '../../src/index.ts';
import { resolveConfig } from '../../src/runtime/streams-config.ts';
import '../support/log-capture.ts';
import { runNode } from '../support/run-node.ts';
import { makeTestPki, type TestPki } from '../support/test-certificates.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startKafka, type ReferenceKafka } from './kit.ts';
import { referenceBuild } from './reference-tools.ts';

/**
 * kstreams against an Apache Kafka whose listeners are secured as managed clusters are: SASL_SSL
 * with SCRAM users, mutual TLS (ssl.client.auth=required), and a listener whose certificate names
 * another host. The configs are Kafka's own keys, as a Java client's properties would hold them.
 */
const build = referenceBuild();
const SCRAM = 'org.apache.kafka.common.security.scram.ScramLoginModule';
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'kstreams.js');

let kafka: ReferenceKafka;
let pki: TestPki;
let workDir: string;

beforeAll(async () => {
  if (build === undefined) return;
  workDir = mkdtempSync(join(tmpdir(), 'kstreams-secure-kafka-'));
  pki = makeTestPki(join(workDir, 'pki'));
  const serverTls = (keystore: string) => ({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': keystore });
  kafka = await startKafka(build, {
    listeners: [
      {
        name: 'SECURE', protocol: 'SASL_SSL', properties: {
          ...serverTls(pki.server.keystore), 'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512',
          'scram-sha-256.sasl.jaas.config': `${SCRAM} required;`, 'scram-sha-512.sasl.jaas.config': `${SCRAM} required;`,
        },
      },
      { name: 'MTLS', protocol: 'SSL', properties: { ...serverTls(pki.server.keystore), 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': pki.caCert, 'ssl.client.auth': 'required' } },
      { name: 'WRONGHOST', protocol: 'SSL', properties: serverTls(pki.wrongHost.keystore) },
      // Kafka's unsecured OAUTHBEARER validator: accepts unsigned tokens with a subject and an expiry.
      { name: 'OAUTH', protocol: 'SASL_PLAINTEXT', properties: { 'sasl.enabled.mechanisms': 'OAUTHBEARER', 'oauthbearer.sasl.jaas.config': 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;' } },
    ],
    scramUsers: [{ mechanism: 'SCRAM-SHA-256', name: 'alice', password: 'alice-secret' }, { mechanism: 'SCRAM-SHA-512', name: 'bob', password: 'bob-secret' }],
  });
}, 180_000);

afterAll(async () => {
  await kafka?.stop();
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

const saslSsl = (user: string, password: string, mechanism = 'SCRAM-SHA-256'): StreamsConfig => ({
  'security.protocol': 'SASL_SSL', 'sasl.mechanism': mechanism,
  'sasl.jaas.config': `${SCRAM} required username="${user}" password="${password}";`,
  'ssl.truststore.type': 'PEM', 'ssl.truststore.location': pki.caCert,
});
const mtls = (): StreamsConfig => ({
  'security.protocol': 'SSL', 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': pki.caCert,
  'ssl.keystore.type': 'PEM', 'ssl.keystore.location': pki.client.keystore,
});

/** Connecting with a config fails with this error (code and message), or resolves when it connects. */
async function connectWith(bootstrap: string, security: StreamsConfig): Promise<void> {
  const config = resolveConfig({ 'application.id': 'secure-probe', 'bootstrap.servers': bootstrap, ...security });
  const cluster = await KafkaCluster.connect({ bootstrapServers: [bootstrap], clientId: 'secure-probe', groupId: 'secure-probe', clients: { ...config.clients, admin: { retries: 0 } } });
  await cluster.close();
}

/** Upper-cases every value: the example app. */
function shouting(input: string, output: string) {
  const builder = new StreamsBuilder();
  builder.stream<string, string>(input, Consumed.with(Serdes.String(), Serdes.String())).mapValues((v) => v.toUpperCase()).to(output, Produced.with(Serdes.String(), Serdes.String()));
  return builder.build();
}

/** Runs the example app over `security`, feeds it three records and waits for them upper-cased. */
async function runExampleApp(bootstrap: string, security: StreamsConfig, name: string): Promise<string[]> {
  const cluster = await KafkaCluster.connect({ bootstrapServers: [bootstrap], clientId: `${name}-feeder`, groupId: `${name}-feeder`, clients: resolveConfig({ 'application.id': name, ...security }).clients });
  try {
    await cluster.ensureTopics([{ name: `${name}-in`, partitions: 1, config: {} }, { name: `${name}-out`, partitions: 1, config: {} }]);
    const streams = new KafkaStreams(shouting(`${name}-in`, `${name}-out`), {
      'application.id': name, 'bootstrap.servers': bootstrap, 'state.dir': join(tempDir(), 'state'), 'commit.interval.ms': 100, 'poll.ms': 20, ...security,
    });
    await streams.start();
    try {
      await cluster.produce(`${name}-in`, ['a', 'b', 'c'].map((v) => ({ key: Buffer.from(v), value: Buffer.from(`hello ${v}`), timestamp: Date.now(), headers: [] })));
      const deadline = Date.now() + 40_000;
      for (;;) {
        const { records } = await cluster.fetch(`${name}-out`, 0, 0, 1_000_000);
        if (records.length >= 3 || Date.now() > deadline) return records.map((r) => r.value!.toString());
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await streams.close();
    }
  } finally {
    await cluster.close();
  }
}

describe.skipIf(build === undefined)('kstreams on a secured Apache Kafka', () => {
  it('runs an app end to end over SASL_SSL with SCRAM-SHA-256, and connects with SCRAM-SHA-512', async () => {
    expect(await runExampleApp(kafka.listeners['SECURE']!, saslSsl('alice', 'alice-secret'), 'sasl-app')).toEqual(['HELLO A', 'HELLO B', 'HELLO C']);
    await connectWith(kafka.listeners['SECURE']!, saslSsl('bob', 'bob-secret', 'SCRAM-SHA-512'));
  }, 90_000);

  it('runs an app end to end over mutual TLS (client certificate from a PEM key store)', async () => {
    expect(await runExampleApp(kafka.listeners['MTLS']!, mtls(), 'mtls-app')).toEqual(['HELLO A', 'HELLO B', 'HELLO C']);
  }, 90_000);

  it('authenticates with OAUTHBEARER, taking a fresh token from the callback for each connection', async () => {
    let calls = 0;
    const token = () => {
      calls++;
      const part = (json: object) => Buffer.from(JSON.stringify(json)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      return `${part({ alg: 'none' })}.${part({ sub: 'alice', iat: now, exp: now + 3600 })}.`;
    };
    await connectWith(kafka.listeners['OAUTH']!, { 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'OAUTHBEARER', 'sasl.oauthbearer.token.callback': token });
    expect(calls).toBeGreaterThan(0);
    const error = await connectWith(kafka.listeners['OAUTH']!, { 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'OAUTHBEARER', 'sasl.oauthbearer.token.callback': 'not-a-token' })
      .then(() => undefined, (e: unknown) => e as { code: string; message: string });
    expect(error).toMatchObject({ code: 'AUTHENTICATION_FAILED', message: expect.stringMatching(/SASL OAUTHBEARER authentication of the OAUTHBEARER token at 127\.0\.0\.1:\d+ failed \(the cluster refused the token \(invalid_token\)\); check "sasl.oauthbearer.token.callback"/) });
  }, 60_000);

  it('a wrong password, an unknown CA, a certificate for another host and a missing client certificate each fail in one coded line', async () => {
    const secure = kafka.listeners['SECURE']!;
    const failure = async (bootstrap: string, security: StreamsConfig) => {
      const error = await connectWith(bootstrap, security).then(() => undefined, (e: unknown) => e as { code: string; message: string });
      expect(error, 'connecting should fail').toBeDefined();
      expect(error!.message).not.toContain('\n');
      return { code: error!.code, message: error!.message };
    };
    expect(await failure(secure, saslSsl('alice', 'wrong-password'))).toEqual({
      code: 'AUTHENTICATION_FAILED', message: expect.stringMatching(/SASL SCRAM-SHA-256 authentication of user "alice" at 127\.0\.0\.1:\d+ failed .*check the username and password in "sasl.jaas.config"/),
    });
    expect(await failure(secure, { ...saslSsl('alice', 'alice-secret'), 'ssl.truststore.location': pki.strangerCaCert })).toEqual({
      code: 'TLS_HANDSHAKE_FAILED', message: expect.stringMatching(/not signed by a trusted CA .*set "ssl.truststore.location"/),
    });
    expect(await failure(kafka.listeners['WRONGHOST']!, { ...mtls(), 'ssl.keystore.location': undefined, 'ssl.keystore.type': undefined })).toEqual({
      code: 'TLS_HANDSHAKE_FAILED', message: expect.stringMatching(/certificate is not for this host .*"ssl.endpoint.identification.algorithm"/),
    });
    expect(await failure(kafka.listeners['MTLS']!, { ...mtls(), 'ssl.keystore.location': pki.strangerClient.keystore })).toEqual({
      code: 'TLS_HANDSHAKE_FAILED', message: expect.stringMatching(/refuses this client.s certificate .*set "ssl.keystore.location"/),
    });
    // As Kafka: an empty ssl.endpoint.identification.algorithm skips the hostname check.
    await connectWith(kafka.listeners['WRONGHOST']!, { 'security.protocol': 'SSL', 'ssl.truststore.location': pki.caCert, 'ssl.endpoint.identification.algorithm': '' });
  }, 60_000);

  it('the command line reaches the cluster with Kafka\'s properties file (--command-config, --producer.config, --consumer.config)', async () => {
    const file = join(tempDir(), 'client.properties');
    writeFileSync(file, [
      'security.protocol=SASL_SSL', 'sasl.mechanism=SCRAM-SHA-256',
      `sasl.jaas.config=${SCRAM} required username="alice" password="alice-secret";`,
      'ssl.truststore.type=PEM', `ssl.truststore.location=${pki.caCert}`, '',
    ].join('\n'));
    const secure = kafka.listeners['SECURE']!;
    const created = await runNode([BIN, 'topics', 'create', 'cli-secure', '--partitions', '1', '--bootstrap-server', secure, '--command-config', file]);
    expect(created.stderr).toBe('');
    const produced = await runNode([BIN, 'produce', 'cli-secure', '--key-separator', ':', '--bootstrap-server', secure, '--producer.config', file], 'k1:one\nk2:two\n');
    expect(produced.stderr).toBe('');
    const consumed = await runNode([BIN, 'consume', 'cli-secure', '--print-key', '--bootstrap-server', secure, '--consumer.config', file]);
    expect(consumed.stdout.trim().split('\n')).toEqual(['k1\tone', 'k2\ttwo']);
    const refused = await runNode([BIN, 'topics', 'list', '--bootstrap-server', secure]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/a cluster that requires TLS or SASL needs --command-config/);
  }, 90_000);
});
