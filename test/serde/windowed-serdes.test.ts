import { describe, expect, it } from 'vitest';
import { Serdes, WindowedSerdes, windowed } from '../../src/serde/index.ts';

describe('windowed keys', () => {
  it('print as Kafka does: [key@start/end]', () => {
    expect(String(windowed('alice', 0, 60_000))).toBe('[alice@0/60000]');
  });

  it('time-windowed bytes are the key then the 8-byte start; the end comes from the window size', () => {
    const serde = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), 100);
    const bytes = serde.serialize('t', windowed('k', 300, 400))!;
    expect(bytes.toString('hex')).toBe('6b' + '000000000000012c');
    const back = serde.deserialize('t', bytes)!;
    expect([back.key, back.window.start, back.window.end]).toEqual(['k', 300, 400]);
  });

  it('session-windowed bytes are the key, then the end, then the start', () => {
    const serde = WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String());
    const bytes = serde.serialize('t', windowed('k', 5, 9))!;
    expect(bytes.toString('hex')).toBe('6b' + '0000000000000009' + '0000000000000005');
    const back = serde.deserialize('t', bytes)!;
    expect([back.key, back.window.start, back.window.end]).toEqual(['k', 5, 9]);
  });

  it('refuses keys too short to hold a window', () => {
    expect(() => WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()).deserialize('t', Buffer.alloc(9))).toThrow(/at least 16 bytes, got 9/);
  });
});
