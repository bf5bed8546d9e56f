/**
 * Log aggregation: raw web-server log lines (`<service> <status> <path> <millis>`, no key) are
 * parsed and keyed by service into `access-log` (JSON), lines that do not parse go to
 * `log-parse-errors` untouched, and server errors (status 5xx) are counted per service in the
 * table `errors-per-service` (also streamed to the topic of that name).
 *
 * Property tests (test/examples/log-aggregation.prop.test.ts): the error counts equal a count over
 * the whole input, for any mix of good and bad lines and any partition count; nothing is lost —
 * every line is either in `access-log` or in `log-parse-errors`.
 */
import { Branched, Consumed, Grouped, Materialized, Produced, Serdes, StreamsBuilder } from 'kstreams';
import type { Topology } from 'kstreams';

export interface AccessLogEntry {
  readonly service: string;
  readonly status: number;
  readonly path: string;
  readonly millis: number;
}

export const TOPICS = { lines: 'web-logs', access: 'access-log', parseErrors: 'log-parse-errors', errors: 'errors-per-service' } as const;
export const ERRORS_STORE = 'errors-per-service';

/** Parses one line, or returns null when it is not `<service> <status> <path> <millis>`. */
export function parseLogLine(line: string): AccessLogEntry | null {
  const match = /^(\S+) (\d{3}) (\S+) (\d+)$/.exec(line.trim());
  return match === null ? null : { service: match[1]!, status: Number(match[2]), path: match[3]!, millis: Number(match[4]) };
}

export function buildLogAggregationTopology(): Topology {
  const builder = new StreamsBuilder();
  const branches = builder
    .stream<string, string>(TOPICS.lines, Consumed.with(Serdes.String(), Serdes.String()))
    .split()
    .branch((_key, line) => parseLogLine(line) === null, Branched.withConsumer((bad) => bad.to(TOPICS.parseErrors, Produced.with(Serdes.String(), Serdes.String()))))
    .defaultBranch(Branched.as('parsed'));
  const entries = Object.values(branches)[0]!.map((_key, line) => {
    const entry = parseLogLine(line)!;
    return [entry.service, entry] as [string, AccessLogEntry];
  });
  entries.to(TOPICS.access, Produced.with(Serdes.String(), Serdes.Json<AccessLogEntry>()));
  entries
    .filter((_key, entry) => entry.status >= 500)
    .groupByKey(Grouped.with(Serdes.String(), Serdes.Json<AccessLogEntry>()))
    .count(Materialized.as<string, number>(ERRORS_STORE))
    .toStream()
    .to(TOPICS.errors, Produced.with(Serdes.String(), Serdes.Long()));
  return builder.build();
}

export default function logAggregationApp() {
  return { applicationId: 'log-aggregation', topology: buildLogAggregationTopology() };
}
