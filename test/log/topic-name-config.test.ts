import { describe, expect, it } from 'vitest';
import { parseTopicConfig, toConfigEntries, validateTopicName } from '../../src/log/index.ts';
import { isStreamsError } from '../../src/common/index.ts';

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('topic names follow Kafka\'s rules', () => {
  it('accepts letters, digits, ., _ and - up to 249 characters', () => {
    for (const name of ['a', 'orders', 'Orders.v2_eu-west', '...', '_', 'x'.repeat(249)]) expect(() => validateTopicName(name)).not.toThrow();
  });

  it('refuses empty, reserved, too long and illegal names, saying why', () => {
    expect(String(errorOf(() => validateTopicName('')))).toMatch(/cannot be empty/);
    expect(String(errorOf(() => validateTopicName('.')))).toMatch(/reserved/);
    expect(String(errorOf(() => validateTopicName('..')))).toMatch(/reserved/);
    expect(String(errorOf(() => validateTopicName('x'.repeat(250))))).toMatch(/250 characters; the limit is 249/);
    const bad = errorOf(() => validateTopicName('my topic'));
    expect(isStreamsError(bad, 'INVALID_TOPIC_NAME')).toBe(true);
    expect(String(bad)).toMatch(/character " " at position 2/);
    expect(String(errorOf(() => validateTopicName('a/b')))).toMatch(/"\/" at position 1/);
    expect(String(errorOf(() => validateTopicName('é')))).toMatch(/position 0/);
  });
});

describe('topic config', () => {
  it('fills in Kafka\'s defaults', () => {
    const config = parseTopicConfig({});
    expect(config['retention.ms']).toBe(604_800_000);
    expect(config['segment.bytes']).toBe(1_073_741_824);
    expect(config['max.message.bytes']).toBe(1_048_588);
    expect(config['delete.retention.ms']).toBe(86_400_000);
    expect(config['cleanup.policy']).toEqual({ delete: true, compact: false });
    expect(config['message.timestamp.type']).toBe('CreateTime');
  });

  it('accepts numbers and numeric strings and both orders of compact,delete', () => {
    const config = parseTopicConfig({ 'segment.bytes': '1048576', 'retention.ms': -1, 'cleanup.policy': 'delete,compact' });
    expect(config['segment.bytes']).toBe(1_048_576);
    expect(config['retention.ms']).toBe(-1);
    expect(config['cleanup.policy']).toEqual({ delete: true, compact: true });
    expect(toConfigEntries(config)).toContainEqual(['cleanup.policy', 'compact,delete']);
  });

  it('refuses unknown keys, non-numbers and out-of-range values, naming key and value', () => {
    const unknown = errorOf(() => parseTopicConfig({ 'retention.hours': 5 }));
    expect(isStreamsError(unknown, 'INVALID_CONFIG')).toBe(true);
    expect(String(unknown)).toMatch(/unknown topic config "retention.hours"/);
    expect(String(errorOf(() => parseTopicConfig({ 'segment.bytes': 'big' })))).toMatch(/"segment.bytes" must be a whole number >= 14, got "big"/);
    expect(String(errorOf(() => parseTopicConfig({ 'retention.ms': -2 })))).toMatch(/>= -1, got -2/);
    expect(String(errorOf(() => parseTopicConfig({ 'cleanup.policy': 'remove' })))).toMatch(/delete, compact or compact,delete; got "remove"/);
    expect(String(errorOf(() => parseTopicConfig({ 'message.timestamp.type': 'createtime' })))).toMatch(/CreateTime or LogAppendTime; got "createtime"/);
  });
});
