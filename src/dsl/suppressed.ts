import { StreamsError, toMillis } from '../common/index.ts';
import type { DurationLike } from '../common/index.ts';

/**
 * How much a suppression buffer may hold, and what happens when it is full (Kafka's BufferConfig):
 * emit the oldest entries early, or stop the application with SUPPRESSION_BUFFER_FULL.
 *
 * @example
 * BufferConfig.maxRecords(10_000).emitEarlyWhenFull();
 * BufferConfig.unbounded();
 */
export class BufferConfig {
  private constructor(
    readonly maxRecords: number,
    readonly maxBytes: number,
    readonly whenFull: 'emit-early' | 'shut-down',
  ) {}

  /** No limit (memory permitting); required, or `shutDownWhenFull`, for final results. */
  static unbounded(): BufferConfig {
    return new BufferConfig(Infinity, Infinity, 'shut-down');
  }

  static maxRecords(records: number): BufferConfig {
    return new BufferConfig(Infinity, Infinity, 'emit-early').withMaxRecords(records);
  }

  static maxBytes(bytes: number): BufferConfig {
    return new BufferConfig(Infinity, Infinity, 'emit-early').withMaxBytes(bytes);
  }

  withMaxRecords(records: number): BufferConfig {
    return new BufferConfig(positive(records, 'maxRecords'), this.maxBytes, this.whenFull);
  }

  withMaxBytes(bytes: number): BufferConfig {
    return new BufferConfig(this.maxRecords, positive(bytes, 'maxBytes'), this.whenFull);
  }

  withNoBound(): BufferConfig {
    return new BufferConfig(Infinity, Infinity, this.whenFull);
  }

  /** When full, emit the oldest buffered updates before their time (results are then not final). */
  emitEarlyWhenFull(): BufferConfig {
    return new BufferConfig(this.maxRecords, this.maxBytes, 'emit-early');
  }

  /** When full, stop processing with SUPPRESSION_BUFFER_FULL rather than emit early. */
  shutDownWhenFull(): BufferConfig {
    return new BufferConfig(this.maxRecords, this.maxBytes, 'shut-down');
  }

  /** @internal True when `records`/`bytes` exceed a bound. */
  isExceededBy(records: number, bytes: number): boolean {
    return records > this.maxRecords || bytes > this.maxBytes;
  }
}

function positive(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new StreamsError('INVALID_ARGUMENT', `BufferConfig ${what} must be a positive number, got ${value}`);
  return value;
}

/**
 * What `KTable.suppress` holds back (Kafka's Suppressed): updates of a windowed table until each
 * window closes — exactly one final result per window — or updates of any table until they are a
 * given time old (rate limiting), per key, the latest one winning.
 *
 * @example
 * counts.suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded())).toStream().to('final-counts');
 * updates.suppress(Suppressed.untilTimeLimit('PT1M', BufferConfig.maxRecords(1000).emitEarlyWhenFull()));
 */
export class Suppressed {
  static readonly BufferConfig = BufferConfig;

  private constructor(
    readonly kind: 'until-window-closes' | 'until-time-limit',
    readonly timeToWaitMs: number,
    readonly bufferConfig: BufferConfig,
    readonly name: string | undefined,
  ) {}

  /** Final results of a windowed table: each window once, when stream time passes its end plus grace. */
  static untilWindowCloses(bufferConfig: BufferConfig): Suppressed {
    if (bufferConfig.whenFull === 'emit-early') {
      throw new StreamsError('INVALID_ARGUMENT', 'Suppressed.untilWindowCloses needs a strict buffer: BufferConfig.unbounded() or a bounded one with .shutDownWhenFull(); emitting early would break "final results only"');
    }
    return new Suppressed('until-window-closes', 0, bufferConfig, undefined);
  }

  /** Holds each key's updates until the latest is `timeToWait` old in stream time. */
  static untilTimeLimit(timeToWait: DurationLike, bufferConfig: BufferConfig): Suppressed {
    return new Suppressed('until-time-limit', toMillis(timeToWait, 'Suppressed.untilTimeLimit'), bufferConfig, undefined);
  }

  /** Names the processor (`<name>-suppress`) and its buffer store (`<name>-store`). */
  withName(name: string): Suppressed {
    return new Suppressed(this.kind, this.timeToWaitMs, this.bufferConfig, name);
  }
}
