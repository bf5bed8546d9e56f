/**
 * The broker's authentication: SASL PLAIN and SCRAM-SHA-256/512 against a users file of salted
 * SCRAM credentials (never passwords), one `SaslSession` per connection that gates every API but
 * ApiVersions, SaslHandshake and SaslAuthenticate until the client has logged in. TLS itself is
 * node:tls, set up by `KafkaBroker` from PEM files.
 *
 * @example
 * const users = readUsersFile('users.json');
 * const broker = new KafkaBroker({ engine, sasl: { users, mechanisms: ['SCRAM-SHA-256'] } });
 */
export { SaslSession, SASL_MECHANISMS } from './sasl-session.ts';
export type { SaslMechanism, SaslServerConfig } from './sasl-session.ts';
export { addUser, readUsersFile } from './users-file.ts';
export type { BrokerUsers } from './users-file.ts';
export { scramCredentialOf, passwordMatches } from './scram-credential.ts';
export type { ScramCredential, ScramMechanism } from './scram-credential.ts';
