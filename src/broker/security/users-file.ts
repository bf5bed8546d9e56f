import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { StreamsError } from '../../common/index.ts';
import { SCRAM_MECHANISMS, scramCredentialOf, type ScramCredential, type ScramMechanism } from './scram-credential.ts';

/** Users and their SCRAM credentials, by user name and mechanism. */
export type BrokerUsers = ReadonlyMap<string, ReadonlyMap<ScramMechanism, ScramCredential>>;

/**
 * The broker's users file (`--users-file`): JSON, one entry per user and SCRAM mechanism, salted —
 * never a password:
 *
 *   { "users": { "alice": { "SCRAM-SHA-256": { "salt": "<base64>", "iterations": 4096,
 *                                              "storedKey": "<base64>", "serverKey": "<base64>" } } } }
 *
 * `kstreams broker --users-file FILE --add-user NAME` writes an entry (both mechanisms).
 */
export function readUsersFile(path: string): BrokerUsers {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new StreamsError('INVALID_CONFIG', `--users-file ${path}: cannot read it as JSON: ${(cause as Error).message}`, { cause });
  }
  const users = new Map<string, Map<ScramMechanism, ScramCredential>>();
  const entries = (parsed as { users?: unknown }).users;
  if (typeof entries !== 'object' || entries === null) throw new StreamsError('INVALID_CONFIG', `--users-file ${path}: expected {"users": {"<name>": {"SCRAM-SHA-256": {...}}}}`);
  for (const [name, byMechanism] of Object.entries(entries)) {
    const credentials = new Map<ScramMechanism, ScramCredential>();
    for (const [mechanism, raw] of Object.entries(byMechanism as object)) {
      if (!(mechanism in SCRAM_MECHANISMS)) throw new StreamsError('INVALID_CONFIG', `--users-file ${path}: user "${name}" has a credential for ${mechanism}; use ${Object.keys(SCRAM_MECHANISMS).join(' or ')}`);
      credentials.set(mechanism as ScramMechanism, credentialOf(raw, `--users-file ${path}: user "${name}" ${mechanism}`));
    }
    users.set(name, credentials);
  }
  return users;
}

function credentialOf(raw: unknown, where: string): ScramCredential {
  const { salt, iterations, storedKey, serverKey } = raw as { [key: string]: unknown };
  if (typeof salt !== 'string' || typeof storedKey !== 'string' || typeof serverKey !== 'string' || typeof iterations !== 'number' || !Number.isInteger(iterations) || iterations < 4096) {
    throw new StreamsError('INVALID_CONFIG', `${where}: needs "salt", "storedKey", "serverKey" (base64) and "iterations" (>= 4096)`);
  }
  return { salt: Buffer.from(salt, 'base64'), iterations, storedKey: Buffer.from(storedKey, 'base64'), serverKey: Buffer.from(serverKey, 'base64') };
}

/** Adds (or replaces) a user's SCRAM-SHA-256 and SCRAM-SHA-512 credentials in the users file, creating it when missing. */
export async function addUser(path: string, name: string, password: string): Promise<void> {
  if (!/^[^\s=,]+$/.test(name)) throw new StreamsError('INVALID_ARGUMENT', `user name "${name}" must be non-empty, without spaces, "=" or ","`);
  if (password === '') throw new StreamsError('INVALID_ARGUMENT', `the password of "${name}" is empty; give it on standard input`);
  let document: { users: { [name: string]: unknown } } = { users: {} };
  try {
    document = JSON.parse(readFileSync(path, 'utf8')) as typeof document;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new StreamsError('INVALID_CONFIG', `--users-file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const entry: { [mechanism: string]: unknown } = {};
  for (const mechanism of Object.keys(SCRAM_MECHANISMS) as ScramMechanism[]) {
    const c = await scramCredentialOf(mechanism, password);
    entry[mechanism] = { salt: c.salt.toString('base64'), iterations: c.iterations, storedKey: c.storedKey.toString('base64'), serverKey: c.serverKey.toString('base64') };
  }
  document.users[name] = entry;
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}
