import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { BrokerUsers } from './users-file.ts';
import { digest, hmac, type ScramCredential, type ScramMechanism } from './scram-credential.ts';

/** One step's outcome: the token to send, or why the login failed; `done` once authenticated. */
export type SaslStep = { readonly token: Buffer; readonly done: boolean; readonly user?: string } | { readonly failure: string };

/** `a=b,c=d` attributes of a SCRAM message, with `=2C`/`=3D` unescaped in names. */
function attributes(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    if (at > 0) found.set(part.slice(0, at), part.slice(at + 1));
  }
  return found;
}

/**
 * The server's side of a SCRAM exchange (RFC 5802), two rounds: the client's first message (user
 * and nonce) is answered with the salt, iterations and the joint nonce; its final message carries
 * the proof, checked against the stored key, and is answered with the server's signature.
 */
export class ScramExchange {
  private state: { readonly user: string; readonly credential: ScramCredential; readonly nonce: string; readonly gs2Header: string; readonly firstBare: string; readonly serverFirst: string } | undefined;

  constructor(private readonly mechanism: ScramMechanism, private readonly users: BrokerUsers) {}

  step(token: Buffer): SaslStep {
    return this.state === undefined ? this.first(token.toString('utf8')) : this.final(token.toString('utf8'));
  }

  private first(message: string): SaslStep {
    // gs2-header "n,," (or "y,,"; an authorization id "n,a=name,") then the bare message "n=user,r=nonce".
    const match = /^([ny]),(a=[^,]*)?,(.*)$/s.exec(message);
    if (match === null) return { failure: 'malformed SCRAM client-first message' };
    const firstBare = match[3]!;
    const fields = attributes(firstBare);
    const user = fields.get('n')?.replaceAll('=2C', ',').replaceAll('=3D', '=');
    const clientNonce = fields.get('r');
    if (user === undefined || clientNonce === undefined || clientNonce === '') return { failure: 'malformed SCRAM client-first message' };
    const credential = this.users.get(user)?.get(this.mechanism);
    if (credential === undefined) return { failure: `unknown user "${user}" for ${this.mechanism}` };
    const nonce = clientNonce + randomBytes(18).toString('base64url');
    const serverFirst = `r=${nonce},s=${credential.salt.toString('base64')},i=${credential.iterations}`;
    this.state = { user, credential, nonce, gs2Header: message.slice(0, message.length - firstBare.length), firstBare, serverFirst };
    return { token: Buffer.from(serverFirst), done: false };
  }

  private final(message: string): SaslStep {
    const state = this.state!;
    const proofAt = message.lastIndexOf(',p=');
    if (proofAt < 0) return { failure: 'malformed SCRAM client-final message' };
    const withoutProof = message.slice(0, proofAt);
    const fields = attributes(withoutProof);
    // Ends with, as Kafka checks: librdkafka repeats its own nonce in front of the joint one.
    if (!(fields.get('r') ?? '').endsWith(state.nonce)) return { failure: 'SCRAM nonce mismatch' };
    if (fields.get('c') !== Buffer.from(state.gs2Header).toString('base64')) return { failure: 'SCRAM channel binding mismatch' };
    const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
    const authMessage = `${state.firstBare},${state.serverFirst},${withoutProof}`;
    const signature = hmac(this.mechanism, state.credential.storedKey, authMessage);
    if (proof.length !== signature.length) return { failure: `invalid credentials of "${state.user}"` };
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    if (!timingSafeEqual(digest(this.mechanism, clientKey), state.credential.storedKey)) return { failure: `invalid credentials of "${state.user}"` };
    const serverSignature = hmac(this.mechanism, state.credential.serverKey, authMessage);
    return { token: Buffer.from(`v=${serverSignature.toString('base64')}`), done: true, user: state.user };
  }
}
