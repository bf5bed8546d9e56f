import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addUser, readUsersFile } from '../../src/broker/index.ts';
import { passwordMatches } from '../../src/broker/security/index.ts';
import { brokerSaslOf, brokerTlsOf, securityProtocolOf } from '../../src/cli/broker-security.ts';
import { tempDir } from '../support/temp-dir.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('kstreams broker security flags', () => {
  it('reads TLS files and a users file into the listener Kafka would call SSL, SASL_PLAINTEXT or SASL_SSL', async () => {
    const dir = tempDir();
    const [cert, key, ca, users] = ['cert.pem', 'key.pem', 'ca.pem', 'users.json'].map((name) => join(dir, name)) as [string, string, string, string];
    for (const file of [cert, key, ca]) writeFileSync(file, PEM);
    await addUser(users, 'alice', 'first');
    await addUser(users, 'alice', 'second');
    const tls = brokerTlsOf({ 'tls-cert': cert, 'tls-key': key, 'tls-ca': ca, 'tls-client-auth': 'required' });
    expect(tls).toEqual({ cert: PEM, key: PEM, ca: PEM, clientAuth: 'required' });
    const sasl = brokerSaslOf({ 'users-file': users, 'sasl-mechanisms': 'scram-sha-512' });
    expect(sasl?.mechanisms).toEqual(['SCRAM-SHA-512']);
    // --add-user replaces the entry: the latest password is the one that works.
    const credential = readUsersFile(users).get('alice')!.get('SCRAM-SHA-512')!;
    expect(await passwordMatches('SCRAM-SHA-512', credential, 'second')).toBe(true);
    expect(await passwordMatches('SCRAM-SHA-512', credential, 'first')).toBe(false);
    expect(readFileSync(users, 'utf8')).not.toMatch(/first|second/);
    expect([securityProtocolOf(undefined, undefined), securityProtocolOf(tls, undefined), securityProtocolOf(undefined, sasl), securityProtocolOf(tls, sasl)])
      .toEqual(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL']);
    expect(brokerTlsOf({})).toBeUndefined();
    expect(brokerSaslOf({})).toBeUndefined();
  });

  it('refuses incomplete or wrong settings, saying what is missing', () => {
    const dir = tempDir();
    const users = join(dir, 'users.json');
    writeFileSync(users, JSON.stringify({ users: { bob: { 'SCRAM-SHA-256': { salt: 'c2FsdA==', iterations: 10, storedKey: 'AA==', serverKey: 'AA==' } } } }));
    expect(() => brokerTlsOf({ 'tls-key': 'k.pem' })).toThrow(/--tls-key, --tls-ca and --tls-client-auth need --tls-cert/);
    expect(() => brokerTlsOf({ 'tls-cert': 'c.pem' })).toThrow(/--tls-cert needs --tls-key/);
    expect(() => brokerTlsOf({ 'tls-cert': 'c.pem', 'tls-key': 'k.pem', 'tls-client-auth': 'required' })).toThrow(/needs --tls-ca/);
    expect(() => brokerTlsOf({ 'tls-cert': join(dir, 'missing.pem'), 'tls-key': 'k.pem' })).toThrow(/--tls-cert: cannot read/);
    expect(() => brokerSaslOf({ 'users-file': users, 'sasl-mechanisms': 'GSSAPI' })).toThrow(/--sasl-mechanisms: GSSAPI is not served/);
    expect(() => brokerSaslOf({ 'users-file': users })).toThrow(/user "bob" SCRAM-SHA-256: needs .*"iterations" \(>= 4096\)/);
    expect(() => brokerSaslOf({ 'sasl-mechanisms': 'PLAIN' })).toThrow(/--sasl-mechanisms needs --users-file/);
  });
});
