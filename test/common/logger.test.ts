import { afterEach, describe, expect, it } from 'vitest';
import { getLogger } from '../../src/common/index.ts';
import { setLogSink, useLogger } from '../../src/index.ts';
import type { LogSink, StructuredLogger } from '../../src/index.ts';

describe('useLogger', () => {
  let previous: LogSink | undefined;
  afterEach(() => {
    if (previous !== undefined) setLogSink(previous);
  });

  it('sends every line to a pino-shaped logger with its component as a field', () => {
    const calls: Array<[string, { component: string }, string]> = [];
    const record = (level: string) => (fields: { component: string }, message: string) => void calls.push([level, fields, message]);
    const logger: StructuredLogger = { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') };
    previous = useLogger(logger);
    getLogger('runtime').info('state RUNNING');
    getLogger('broker').warn('closing connection');
    expect(calls).toEqual([['info', { component: 'runtime' }, 'state RUNNING'], ['warn', { component: 'broker' }, 'closing connection']]);
  });
});
