import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJaasConfig, securityOf } from '../../src/client/security/index.ts';
import { resolveConfig } from '../../src/runtime/streams-config.ts';
import { tempDir } from '../support/temp-dir.ts';

const SCRAM = 'org.apache.kafka.common.security.scram.ScramLoginModule';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';

describe('securityOf: Kafka\'s security keys to TLS and SASL options', () => {
  it('reads SASL_SSL with SCRAM credentials from the JAAS line and trusts the PEM CA file, verifying host names', () => {
    const ca = join(tempDir(), 'ca.pem');
    writeFileSync(ca, CERT);
    const { security, ignored } = securityOf({
      'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'SCRAM-SHA-512', 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': ca,
      'sasl.jaas.config': `${SCRAM} required username="alice" password="p\\"w;d";`, 'ssl.enabled.protocols': 'TLSv1.3',
    });
    expect(security?.sasl).toEqual({ mechanism: 'SCRAM-SHA-512', username: 'alice', password: 'p"w;d' });
    expect(security?.tls?.ca).toBe(CERT);
    expect(security?.tls?.checkServerIdentity).toBeUndefined();
    expect(ignored).toEqual(['ssl.enabled.protocols']);
  });

  it('reads inline PEM certificates and client key for mutual TLS; an empty endpoint identification algorithm skips the host check', () => {
    const { security } = securityOf({
      'security.protocol': 'SSL', 'ssl.truststore.type': 'PEM', 'ssl.truststore.certificates': CERT, 'ssl.keystore.type': 'PEM',
      'ssl.keystore.certificate.chain': CERT, 'ssl.keystore.key': KEY, 'ssl.key.password': 'k', 'ssl.endpoint.identification.algorithm': '',
    });
    expect(security?.tls).toMatchObject({ ca: CERT, cert: CERT, key: KEY, passphrase: 'k' });
    expect(security?.tls?.checkServerIdentity?.('wrong.example', {} as never)).toBeUndefined();
    expect(security?.sasl).toBeUndefined();
  });

  it('takes an OAUTHBEARER token callback', async () => {
    const { security } = securityOf({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'OAUTHBEARER', 'sasl.oauthbearer.token.callback': async () => 'jwt' });
    expect(security?.tls).toBeUndefined();
    expect(await (security?.sasl?.token as () => Promise<string>)()).toBe('jwt');
  });

  it('is nothing for PLAINTEXT, naming security keys given with it as without effect', () => {
    expect(securityOf({ 'sasl.mechanism': 'PLAIN' })).toEqual({ security: undefined, ignored: ['sasl.mechanism'] });
  });

  it('refuses what it cannot do, saying what to do instead', () => {
    expect(() => securityOf({ 'security.protocol': 'SASL_SSL' })).toThrow(/"sasl.mechanism" GSSAPI \(Kafka's default\) is not supported; set it to one of PLAIN/);
    expect(() => securityOf({ 'security.protocol': 'SSL', 'ssl.truststore.type': 'JKS', 'ssl.truststore.location': '/x.jks' })).toThrow(/"ssl.truststore.type" JKS is not supported: kstreams reads PEM only; convert it to PEM: `keytool -importkeystore/);
    expect(() => securityOf({ 'security.protocol': 'SSL', 'ssl.keystore.location': '/etc/client.p12' })).toThrow(/"ssl.keystore.type" JKS \(assumed from \/etc\/client.p12\) is not supported/);
    expect(() => securityOf({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': 'com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true;' }))
      .toThrow(/names the login module com.sun.security.auth.module.Krb5LoginModule, which kstreams cannot run/);
    expect(() => securityOf({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': `${SCRAM} required username="a" password="b";` }))
      .toThrow(/does not serve "sasl.mechanism" PLAIN/);
    expect(() => securityOf({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'OAUTHBEARER' })).toThrow(/needs "sasl.oauthbearer.token.callback"/);
    expect(() => securityOf({ 'security.protocol': 'TLS' })).toThrow(/"security.protocol" must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL/);
    expect(() => securityOf({ 'ssl.engine.factory.class': 'x' })).toThrow(/"ssl.engine.factory.class" is not supported/);
    expect(() => securityOf({ 'security.protocol': 'SSL', 'ssl.truststore.location': join(tempDir(), 'missing.pem') })).toThrow(/"ssl.truststore.location": cannot read/);
  });

  it('refuses security keys for one client only: every client is secured alike', () => {
    expect(() => resolveConfig({ 'application.id': 'a', 'producer.sasl.jaas.config': 'x' })).toThrow(/"producer.sasl.jaas.config": kstreams secures all its clients alike; give "sasl.jaas.config" without the "producer." prefix/);
  });

  it('parses JAAS option values quoted or bare', () => {
    expect(Object.fromEntries(parseJaasConfig('org.apache.kafka.common.security.plain.PlainLoginModule required username=alice password="a b";', 'PLAIN').options))
      .toEqual({ username: 'alice', password: 'a b' });
  });
});
