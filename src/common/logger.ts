/**
 * A small leveled logger writing one line per event to stderr. The level comes from
 * `KSTREAMS_LOG_LEVEL` (error, warn, info, debug; default info) unless set in code; with
 * `KSTREAMS_LOG_FORMAT=json` each line is a JSON object (`time`, `level`, `component`, `msg`, as
 * log shippers expect). Tests and embedders swap the sink with `setLogSink` to capture lines.
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const rank: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export type LogSink = (level: LogLevel, component: string, message: string) => void;

const stderrSink: LogSink = (level, component, message) => {
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${component}] ${message}\n`);
};

/** One JSON object per line on stderr: `{"time":"…","level":"info","component":"runtime","msg":"…"}`. */
export const jsonLogSink: LogSink = (level, component, message) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, component, msg: message })}\n`);
};

function envLevel(): LogLevel {
  const v = process.env['KSTREAMS_LOG_LEVEL'];
  return v === 'error' || v === 'warn' || v === 'info' || v === 'debug' ? v : 'info';
}

let currentLevel: LogLevel = envLevel();
let currentSink: LogSink = process.env['KSTREAMS_LOG_FORMAT'] === 'json' ? jsonLogSink : stderrSink;

/** Sets the lowest level that is written. */
export function setLogLevel(level: LogLevel): void {
  currentLevel = level;
}

/** The lowest level that is written now. */
export function logLevel(): LogLevel {
  return currentLevel;
}

/** Replaces where log lines go; returns the previous sink so callers can restore it. */
export function setLogSink(sink: LogSink): LogSink {
  const previous = currentSink;
  currentSink = sink;
  return previous;
}

/**
 * A logger of pino's shape (pino, and loggers that copy its API): a method per level taking an
 * object of fields and the message. Give one to {@link useLogger} so kstreams' lines join the
 * application's own logs.
 */
export interface StructuredLogger {
  error(fields: { component: string }, message: string): void;
  warn(fields: { component: string }, message: string): void;
  info(fields: { component: string }, message: string): void;
  debug(fields: { component: string }, message: string): void;
}

/**
 * Sends kstreams' log lines to `logger` (pino's shape), each with a `component` field
 * (`runtime`, `broker`, `log`, ...); returns the previous sink so it can be restored. The level
 * filter still applies (`setLogLevel`, `KSTREAMS_LOG_LEVEL`); set it to `debug` to let the given
 * logger decide alone.
 *
 * @example
 * import pino from 'pino';
 * useLogger(pino({ level: 'info' }));
 */
export function useLogger(logger: StructuredLogger): LogSink {
  return setLogSink((level, component, message) => logger[level]({ component }, message));
}

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

/** Returns a logger that tags each line with `component`. */
export function getLogger(component: string): Logger {
  const write = (level: LogLevel, message: string) => {
    if (rank[level] <= rank[currentLevel]) currentSink(level, component, message);
  };
  return {
    error: (m) => write('error', m),
    warn: (m) => write('warn', m),
    info: (m) => write('info', m),
    debug: (m) => write('debug', m),
  };
}
