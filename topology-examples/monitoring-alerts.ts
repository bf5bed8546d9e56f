/**
 * Monitoring and alerting: request outcomes per service (`ok` or `error`) are counted in tumbling
 * one-minute windows; when a window has closed (10 s of grace for late events) and more than 10%
 * of at least 10 requests failed, `service-alerts` gets one alert for that service and minute.
 * Final results only (`suppress`), so an alert is never raised on a partial minute.
 *
 * Property tests (test/examples/monitoring-alerts.prop.test.ts): alerts equal a batch computation
 * over the whole input, and reordering events within the grace period changes no alert.
 */
import { BufferConfig, Consumed, Materialized, Produced, Serdes, StreamsBuilder, Suppressed, TimeWindows } from 'kstreams';
import type { Topology } from 'kstreams';

export interface Health { readonly requests: number; readonly errors: number }
export const TOPICS = { requests: 'request-outcomes', alerts: 'service-alerts' } as const;
export const WINDOW_MS = 60_000;
export const GRACE_MS = 10_000;
export const MIN_REQUESTS = 10;
export const ERROR_RATE = 0.1;

/** Whether a closed window's counts raise an alert. */
export function isAlarming(health: Health): boolean {
  return health.requests >= MIN_REQUESTS && health.errors / health.requests > ERROR_RATE;
}

export function buildMonitoringTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>(TOPICS.requests, Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW_MS, GRACE_MS))
    .aggregate<Health>(
      () => ({ requests: 0, errors: 0 }),
      (_service, outcome, health) => ({ requests: health.requests + 1, errors: health.errors + (outcome === 'error' ? 1 : 0) }),
      Materialized.as<string, Health>('service-health').withValueSerde(Serdes.Json<Health>()),
    )
    .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
    .toStream()
    .filter((_window, health) => health !== null && isAlarming(health))
    .map((window, health) => [window.key, `${window.key}: ${health.errors} of ${health.requests} requests failed in the minute from ${new Date(window.window.start).toISOString()}`])
    .to(TOPICS.alerts, Produced.with(Serdes.String(), Serdes.String()));
  return builder.build();
}

export default function monitoringAlertsApp() {
  return { applicationId: 'monitoring-alerts', topology: buildMonitoringTopology() };
}
