import { passwordMatches, type ScramMechanism } from './scram-credential.ts';
import { ScramExchange, type SaslStep } from './scram-exchange.ts';
import type { BrokerUsers } from './users-file.ts';

/** The SASL mechanisms the broker serves. */
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = typeof SASL_MECHANISMS[number];

/** How a listener authenticates: its users and the mechanisms it enables. */
export interface SaslServerConfig {
  readonly users: BrokerUsers;
  readonly mechanisms: readonly SaslMechanism[];
}

/**
 * One connection's SASL state, in Kafka's order: ApiVersions (optional), SaslHandshake naming a
 * mechanism, SaslAuthenticate rounds until authenticated. Before that only those three APIs are
 * served; a failed login ends the session (the connection is then closed).
 */
export class SaslSession {
  private exchange: ScramExchange | undefined;
  private state: 'START' | 'HANDSHAKEN' | 'AUTHENTICATED' | 'FAILED';
  /** The authenticated user, once authenticated. */
  user: string | undefined;
  /** After a SaslHandshake v0 the tokens come as raw frames rather than SaslAuthenticate requests. */
  private raw = false;

  constructor(private readonly config: SaslServerConfig | undefined) {
    this.state = config === undefined ? 'AUTHENTICATED' : 'START';
  }

  get authenticated(): boolean {
    return this.state === 'AUTHENTICATED';
  }

  /** True while the next frame is a raw SASL token (the exchange of a SaslHandshake v0). */
  get awaitingRawToken(): boolean {
    return this.raw && this.state === 'HANDSHAKEN';
  }

  get failed(): boolean {
    return this.state === 'FAILED';
  }

  get enabledMechanisms(): readonly string[] {
    return this.config?.mechanisms ?? [];
  }

  /**
   * SaslHandshake: 'ok', or why the mechanism is refused ('unsupported') or the request is out of
   * order ('illegal'); a refusal ends the session, as in Kafka.
   */
  handshake(mechanism: string, version: number): 'ok' | 'unsupported' | 'illegal' {
    const config = this.config;
    if (config === undefined || this.state !== 'START' || !config.mechanisms.includes(mechanism as SaslMechanism)) {
      const outcome = config === undefined || this.state !== 'START' ? 'illegal' : 'unsupported';
      this.state = 'FAILED';
      return outcome;
    }
    if (mechanism !== 'PLAIN') this.exchange = new ScramExchange(mechanism as ScramMechanism, config.users);
    this.state = 'HANDSHAKEN';
    this.raw = version === 0;
    return 'ok';
  }

  /** SaslAuthenticate: one round of the exchange. */
  async authenticate(token: Buffer): Promise<SaslStep | { readonly illegal: true }> {
    if (this.state !== 'HANDSHAKEN') return { illegal: true };
    const step = this.exchange !== undefined ? this.exchange.step(token) : await this.plain(token);
    if ('failure' in step) this.state = 'FAILED';
    else if (step.done) {
      this.state = 'AUTHENTICATED';
      this.user = step.user;
    }
    return step;
  }

  /** PLAIN (RFC 4616): `authzid NUL user NUL password`, checked against the user's first SCRAM credential (all come from one password). */
  private async plain(token: Buffer): Promise<SaslStep> {
    const [authzid, user, password] = token.toString('utf8').split('\0');
    if (user === undefined || password === undefined) return { failure: 'malformed PLAIN token' };
    if (authzid !== '' && authzid !== user) return { failure: `"${user}" may not act as "${authzid}"` };
    const credentials = this.config!.users.get(user);
    const [mechanism, credential] = credentials === undefined ? [] : [...credentials][0] ?? [];
    if (mechanism === undefined || credential === undefined || !(await passwordMatches(mechanism, credential, password))) {
      return { failure: `invalid credentials of "${user}"` };
    }
    return { token: Buffer.alloc(0), done: true, user };
  }
}
