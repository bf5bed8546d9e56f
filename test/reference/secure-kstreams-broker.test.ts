import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commandExists } from '../support/global-setup.ts';
import { startBrokerProcess, type BrokerProcess } from '../support/broker-process.ts';
import { runNode } from '../support/run-node.ts';
import { makeTestPki, type TestPki } from '../support/test-certificates.ts';
import { tempDir } from '../support/temp-dir.ts';
import { runJava } from './kit.ts';
import { referenceBuild } from './reference-tools.ts';

/**
 * `kstreams broker` secured from its command line (a users file made with --add-user, TLS from PEM
 * files), reached by Kafka's Java clients and by kcat with the settings they use for Apache Kafka.
 */
const build = referenceBuild();
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'kstreams.js');
/** Steps of JavaClients that fail on any kstreams broker, secured or not (see java-clients-on-kstreams-broker.test.ts). */
const UNSUPPORTED: { [step: string]: RegExp } = {
  'admin.deleteConsumerGroupOffsets': /does not support OFFSET_DELETE/,
};

let dir: string;
let pki: TestPki;
let usersFile: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kstreams-secure-broker-'));
  pki = makeTestPki(join(dir, 'pki'));
  usersFile = join(dir, 'users.json');
  const added = await runNode([BIN, 'broker', '--users-file', usersFile, '--add-user', 'alice'], 'alice-secret\n');
  expect(added.stdout).toMatch(/user "alice" written to/);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function startSecuredBroker(args: string[]): Promise<BrokerProcess> {
  const broker = await startBrokerProcess(join(tempDir(), 'data'), 2, ['--tls-cert', pki.server.cert, '--tls-key', pki.server.key, ...args]);
  cleanup.push(() => broker.stop());
  return broker;
}

async function javaClients(bootstrap: string, topic: string, properties: string[]): Promise<void> {
  const file = join(tempDir(), 'client.properties');
  writeFileSync(file, `${properties.join('\n')}\n`);
  const report = JSON.parse(await runJava(build!, 'dev.kstreams.reference.JavaClients', [bootstrap, topic, file], { timeoutMs: 120_000 })) as { steps: { [step: string]: string } };
  for (const [step, outcome] of Object.entries(report.steps)) {
    const reason = UNSUPPORTED[step];
    if (reason === undefined) expect({ step, outcome }).toEqual({ step, outcome: 'ok' });
    else expect(outcome).toMatch(reason);
  }
  expect(Object.keys(report.steps).length).toBeGreaterThan(10);
}

/** Runs kcat with `args`, feeding `input`; returns what it printed. */
function kcat(args: string[], input = ''): string {
  const result = spawnSync('kcat', args, { input, encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`kcat ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

describe.skipIf(build === undefined)('Kafka\'s Java clients on a secured kstreams broker', () => {
  it('SASL_SSL with SCRAM-SHA-512: admin, producer and consumer group work as on the plaintext broker', async () => {
    const broker = await startSecuredBroker(['--users-file', usersFile]);
    expect(broker.output()).toMatch(/\(SASL_SSL\)/);
    await javaClients(broker.bootstrap, 'java-sasl', [
      'security.protocol=SASL_SSL', 'sasl.mechanism=SCRAM-SHA-512',
      'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="alice-secret";',
      'ssl.truststore.type=PEM', `ssl.truststore.location=${pki.caCert}`,
    ]);
  }, 150_000);

  it('mutual TLS: the client\'s PEM key store is accepted', async () => {
    const broker = await startSecuredBroker(['--tls-ca', pki.caCert, '--tls-client-auth', 'required']);
    await javaClients(broker.bootstrap, 'java-mtls', [
      'security.protocol=SSL', 'ssl.truststore.type=PEM', `ssl.truststore.location=${pki.caCert}`,
      'ssl.keystore.type=PEM', `ssl.keystore.location=${pki.client.keystore}`,
    ]);
  }, 150_000);
});

describe.skipIf(!commandExists('kcat'))('kcat on a secured kstreams broker', () => {
  it('produces and consumes over SASL_SSL (SCRAM-SHA-256 and PLAIN) and over mutual TLS; a wrong password is refused', async () => {
    const sasl = await startSecuredBroker(['--users-file', usersFile]);
    const login = (mechanism: string, password = 'alice-secret') => ['-b', sasl.bootstrap, '-X', 'security.protocol=SASL_SSL', '-X', `sasl.mechanisms=${mechanism}`,
      '-X', 'sasl.username=alice', '-X', `sasl.password=${password}`, '-X', `ssl.ca.location=${pki.caCert}`];
    kcat([...login('SCRAM-SHA-256'), '-P', '-t', 'kcat-sasl', '-p', '0'], 'one\ntwo\n');
    expect(kcat([...login('PLAIN'), '-C', '-t', 'kcat-sasl', '-p', '0', '-o', 'beginning', '-e', '-q'])).toBe('one\ntwo\n');
    expect(() => kcat([...login('SCRAM-SHA-256', 'wrong'), '-L', '-m', '5'])).toThrow(/Authentication failed/);

    const mtls = await startSecuredBroker(['--tls-ca', pki.caCert, '--tls-client-auth', 'required']);
    const cert = ['-b', mtls.bootstrap, '-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${pki.caCert}`,
      '-X', `ssl.certificate.location=${pki.client.cert}`, '-X', `ssl.key.location=${pki.client.key}`];
    kcat([...cert, '-P', '-t', 'kcat-mtls', '-p', '0'], 'three\n');
    expect(kcat([...cert, '-C', '-t', 'kcat-mtls', '-p', '0', '-o', 'beginning', '-e', '-q'])).toBe('three\n');
  }, 60_000);
});
