/**
 * When a windowed aggregation emits (Kafka's EmitStrategy): on every update of a window (the
 * default), or once per window when it closes — stream time past its end plus grace — with its
 * final value.
 *
 * @example
 * grouped.windowedBy(TimeWindows.ofSizeWithNoGrace('PT1M')).emitStrategy(EmitStrategy.onWindowClose()).count();
 */
export class EmitStrategy {
  private constructor(readonly type: 'on-window-update' | 'on-window-close') {}

  static onWindowUpdate(): EmitStrategy {
    return new EmitStrategy('on-window-update');
  }

  static onWindowClose(): EmitStrategy {
    return new EmitStrategy('on-window-close');
  }
}
