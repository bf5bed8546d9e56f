/**
 * Secure connections to Kafka: Kafka's `security.protocol`, `sasl.*` and `ssl.*` keys read into
 * the TLS and SASL options of the Kafka client (`securityOf`), and connection failures caused by
 * them explained in one coded line (`securityFailureOf`). PEM material only; JKS and PKCS12 stores
 * are refused with how to convert them.
 *
 * @example
 * const { security } = securityOf({ 'security.protocol': 'SSL', 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': '/etc/kafka/ca.pem' });
 */
export { securityOf, isSecurityKey, SECURITY_KEYS, IGNORED_SECURITY_KEYS, OAUTHBEARER_TOKEN_KEY } from './security-config.ts';
export { securityFailureOf } from './connection-failure.ts';
export { parseJaasConfig } from './jaas-config.ts';
