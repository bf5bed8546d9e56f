import type { ProcessorContext } from '../../processor/index.ts';

/** The internal config that throttles on-window-close emission (Kafka's name and default, 1 s of wall-clock time). */
export const EMIT_INTERVAL_CONFIG = 'emit.interval.ms.kstreams.windowed.aggregation';

/**
 * Decides when an on-window-close aggregation looks for newly closed windows (Kafka's emit-final
 * throttle): at most once per emit interval of wall-clock time, and only when the close time
 * (stream time minus grace) has moved past the last one emitted for. Looking means a scan of the
 * store by time, so it is not done per record.
 */
export class EmitFinalThrottle {
  private nextEmitMs = 0;
  private readonly intervalMs: number;
  /** Close time of the last emission; windows ending at or before it were emitted. -1: none yet. */
  lastEmitCloseTime = -1;

  constructor(private readonly context: ProcessorContext<unknown, unknown>) {
    const configured = context.appConfigs[EMIT_INTERVAL_CONFIG];
    this.intervalMs = configured === undefined ? 1000 : Number(configured);
  }

  /** True when windows closing up to `closeTime` should be looked for now. */
  shouldEmit(closeTime: number): boolean {
    const now = this.context.currentSystemTimeMs();
    if (now < this.nextEmitMs) return false;
    this.nextEmitMs = now + this.intervalMs;
    return this.lastEmitCloseTime < closeTime;
  }
}
