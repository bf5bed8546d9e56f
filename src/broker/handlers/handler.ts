import type { Message } from '../../protocol/index.ts';
import type { BrokerContext } from '../broker-context.ts';
import type { SaslSession } from '../security/index.ts';

/** Who sent a request. */
export interface RequestSource {
  readonly clientId: string;
  readonly clientHost: string;
  /** The connection's SASL state (SaslHandshake and SaslAuthenticate advance it). */
  readonly session: SaslSession;
}

/**
 * Answers one API's request: the response body, or null when the request wants none (Produce with
 * acks 0). Handlers never throw for a client's mistake: they answer with Kafka error codes.
 */
export type ApiHandler = (context: BrokerContext, request: Message, version: number, source: RequestSource) => Promise<Message | null>;
