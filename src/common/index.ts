export { StreamsError, isStreamsError, describeLocation } from './errors.ts';
export type { StreamsErrorCode, ErrorLocation } from './errors.ts';
export { getLogger, setLogLevel, setLogSink } from './logger.ts';
export type { Logger, LogLevel, LogSink } from './logger.ts';
export { systemClock, ManualClock } from './clock.ts';
export type { Clock } from './clock.ts';
export { murmur2, toPositive, partitionForKey } from './murmur2.ts';
export { toMillis } from './duration.ts';
export type { DurationLike } from './duration.ts';
