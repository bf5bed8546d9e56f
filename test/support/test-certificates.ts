import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM files of one certificate: `cert.pem`, `key.pem`, and `keystore.pem` (key then chain, Kafka's PEM key store layout). */
export interface CertificateFiles {
  readonly cert: string;
  readonly key: string;
  readonly keystore: string;
}

/** A test PKI made with openssl: a CA, certificates it signed, and a stranger CA nobody trusts. */
export interface TestPki {
  readonly caCert: string;
  readonly strangerCaCert: string;
  /** Server certificate for 127.0.0.1 and localhost. */
  readonly server: CertificateFiles;
  /** Server certificate for another host name only (wrong.example). */
  readonly wrongHost: CertificateFiles;
  /** Client certificate (CN=kstreams-client) for mutual TLS. */
  readonly client: CertificateFiles;
  /** Client certificate signed by the stranger CA. */
  readonly strangerClient: CertificateFiles;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}-key.pem`);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  return { cert, key };
}

function makeSigned(dir: string, name: string, ca: { cert: string; key: string }, altNames: string | undefined): CertificateFiles {
  const key = join(dir, `${name}-key.pem`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.pem`);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}`], dir);
  const extensions = join(dir, `${name}.ext`);
  writeFileSync(extensions, `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n${altNames === undefined ? '' : `subjectAltName=${altNames}\n`}`);
  openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', extensions], dir);
  const keystore = join(dir, `${name}-keystore.pem`);
  writeFileSync(keystore, readFileSync(key, 'utf8') + readFileSync(cert, 'utf8'));
  return { cert, key, keystore };
}

/** Makes the test PKI in `dir` (RSA 2048, valid two days). */
export function makeTestPki(dir: string): TestPki {
  mkdirSync(dir, { recursive: true });
  const ca = makeCa(dir, 'test-ca');
  const stranger = makeCa(dir, 'stranger-ca');
  return {
    caCert: ca.cert,
    strangerCaCert: stranger.cert,
    server: makeSigned(dir, 'server', ca, 'IP:127.0.0.1,DNS:localhost'),
    wrongHost: makeSigned(dir, 'wrong-host', ca, 'DNS:wrong.example'),
    client: makeSigned(dir, 'kstreams-client', ca, undefined),
    strangerClient: makeSigned(dir, 'stranger-client', stranger, undefined),
  };
}
