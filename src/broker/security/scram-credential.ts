import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** The SCRAM mechanisms the broker serves, with their hash and its length in bytes. */
export const SCRAM_MECHANISMS = {
  'SCRAM-SHA-256': { hash: 'sha256', length: 32 },
  'SCRAM-SHA-512': { hash: 'sha512', length: 64 },
} as const;
export type ScramMechanism = keyof typeof SCRAM_MECHANISMS;

/**
 * What the broker stores of a password (RFC 5802): the salt, the iteration count, and two keys
 * derived from the salted password — enough to check a client's proof and to prove the server
 * knows them, never enough to log in with.
 */
export interface ScramCredential {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

/** Kafka's default (and minimum) iteration count for SCRAM credentials. */
export const DEFAULT_ITERATIONS = 4096;

export function hmac(mechanism: ScramMechanism, key: Buffer, data: string): Buffer {
  return createHmac(SCRAM_MECHANISMS[mechanism].hash, key).update(data).digest();
}

export function digest(mechanism: ScramMechanism, data: Buffer): Buffer {
  return createHash(SCRAM_MECHANISMS[mechanism].hash).update(data).digest();
}

/** The salted password and the client key derived from it. */
async function clientKeyOf(mechanism: ScramMechanism, password: string, salt: Buffer, iterations: number): Promise<{ salted: Buffer; clientKey: Buffer }> {
  const { hash, length } = SCRAM_MECHANISMS[mechanism];
  const salted = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, length, hash);
  return { salted, clientKey: hmac(mechanism, salted, 'Client Key') };
}

/** A fresh credential for `password`, with a random salt. */
export async function scramCredentialOf(mechanism: ScramMechanism, password: string, iterations = DEFAULT_ITERATIONS): Promise<ScramCredential> {
  const salt = randomBytes(24);
  const { salted, clientKey } = await clientKeyOf(mechanism, password, salt, iterations);
  return { salt, iterations, storedKey: digest(mechanism, clientKey), serverKey: hmac(mechanism, salted, 'Server Key') };
}

/** True when `password` is the one the credential was made from (PLAIN logins check against SCRAM credentials). */
export async function passwordMatches(mechanism: ScramMechanism, credential: ScramCredential, password: string): Promise<boolean> {
  const { clientKey } = await clientKeyOf(mechanism, password, credential.salt, credential.iterations);
  return timingSafeEqual(digest(mechanism, clientKey), credential.storedKey);
}
