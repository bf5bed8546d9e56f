import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Serdes, setLogSink } from '../../src/index.ts';
import type { LogSink } from '../../src/common/index.ts';
import { parseJavaProperties, readStreamsProperties } from '../../src/runtime/index.ts';
import { resolveConfig } from '../../src/runtime/streams-config.ts';

const base = { 'application.id': 'carry-over' };
let lines: string[] = [];
let previous: LogSink;
beforeEach(() => {
  lines = [];
  previous = setLogSink((level, _component, message) => void lines.push(`${level} ${message}`));
});
afterEach(() => void setLogSink(previous));

describe('Kafka Streams configs carry over', () => {
  it('accepts keys that change nothing in kstreams, named in one warning line', () => {
    resolveConfig({ ...base, 'topology.optimization': 'all', 'replication.factor': '3', 'metric.reporters': 'x.Reporter', 'rocksdb.config.setter': 'x.Setter' });
    const warnings = lines.filter((line) => line.startsWith('warn'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('accepted without effect in kstreams: topology.optimization, replication.factor, metric.reporters, rocksdb.config.setter');
  });

  it('says nothing for a config of keys kstreams reads', () => {
    resolveConfig({ ...base, 'commit.interval.ms': '100', 'request.timeout.ms': 5_000 });
    expect(lines).toEqual([]);
  });

  it('refuses keys whose meaning is not implemented, with the reason', () => {
    expect(() => resolveConfig({ ...base, 'task.assignor.class': 'com.example.MyAssignor' })).toThrow(/"task.assignor.class" is not supported: kstreams assigns tasks/);
    expect(() => resolveConfig({ ...base, 'sasl.kerberos.service.name': 'kafka' })).toThrow(/"sasl.kerberos.service.name" is not supported/);
    expect(() => resolveConfig({ ...base, 'security.protocol': 'SASL_SSL' })).toThrow(/"sasl.mechanism" GSSAPI \(Kafka's default\) is not supported/);
    expect(() => resolveConfig({ ...base, 'max.task.idle.ms': '100' })).toThrow(/"max.task.idle.ms" "100" is not supported/);
    expect(() => resolveConfig({ ...base, 'commit.intervall.ms': 5 })).toThrow(/unknown streams config "commit.intervall.ms"/);
    resolveConfig({ ...base, 'security.protocol': 'PLAINTEXT', 'max.task.idle.ms': 0 });
  });

  it('reads Kafka Streams\' older key names as the current ones, and refuses both at once', () => {
    expect(resolveConfig({ ...base, 'cache.max.bytes.buffering': 0 }).raw['statestore.cache.max.bytes']).toBe(0);
    expect(() => resolveConfig({ ...base, 'cache.max.bytes.buffering': 0, 'statestore.cache.max.bytes': 10 })).toThrow(/are the same setting/);
  });

  it('passes client keys to the clients that have the setting, the more specific prefix winning', () => {
    const { clients } = resolveConfig({
      ...base, 'request.timeout.ms': '20000', 'consumer.request.timeout.ms': 30_000, 'main.consumer.request.timeout.ms': 40_000,
      'producer.compression.type': 'zstd', 'admin.retries': '7', 'retry.backoff.ms': 300,
    });
    expect(clients).toEqual({
      admin: { requestTimeout: 20_000, retries: 7, retryDelay: 300 },
      producer: { requestTimeout: 20_000, compression: 'zstd', retryDelay: 300 },
      consumer: { requestTimeout: 40_000, retryDelay: 300 },
    });
  });

  it('warns about client keys that apply to nothing here, and refuses bad client values', () => {
    resolveConfig({ ...base, 'consumer.retries': 3, 'restore.consumer.max.poll.records': 10, 'producer.linger.ms': 5 });
    expect(lines.join('\n')).toContain('accepted without effect in kstreams: producer.linger.ms, consumer.retries, restore.consumer.max.poll.records');
    expect(() => resolveConfig({ ...base, 'producer.compression.type': 'brotli' })).toThrow(/"producer.compression.type" must be one of none, gzip, snappy, lz4, zstd/);
    expect(() => resolveConfig({ ...base, 'request.timeout.ms': 'soon' })).toThrow(/"request.timeout.ms" must be a whole number/);
  });
});

describe('high-availability assignment keys (KIP-441)', () => {
  it('default as in Kafka Streams and take Kafka\'s values, as numbers or strings', () => {
    expect(resolveConfig(base).assignment).toEqual({ standbyReplicas: 0, acceptableRecoveryLag: 10_000, maxWarmupReplicas: 2, probingRebalanceIntervalMs: 600_000 });
    expect(resolveConfig({ ...base, 'acceptable.recovery.lag': '0', 'max.warmup.replicas': 5, 'probing.rebalance.interval.ms': '60000', 'num.standby.replicas': 1 }).assignment)
      .toEqual({ standbyReplicas: 1, acceptableRecoveryLag: 0, maxWarmupReplicas: 5, probingRebalanceIntervalMs: 60_000 });
    expect(lines).toEqual([]);
  });

  it('refuse values Kafka refuses, naming the key and its minimum; only the internal key goes below a minute', () => {
    expect(() => resolveConfig({ ...base, 'acceptable.recovery.lag': -1 })).toThrow(/"acceptable.recovery.lag" must be a whole number >= 0, got -1/);
    expect(() => resolveConfig({ ...base, 'max.warmup.replicas': 0 })).toThrow(/"max.warmup.replicas" must be a whole number >= 1, got 0/);
    expect(() => resolveConfig({ ...base, 'probing.rebalance.interval.ms': 1_000 })).toThrow(/"probing.rebalance.interval.ms" must be a whole number >= 60000, got 1000; Kafka Streams' minimum is one minute/);
    expect(() => resolveConfig({ ...base, 'num.standby.replicas': 'two' })).toThrow(/"num.standby.replicas" must be a whole number >= 0/);
    expect(resolveConfig({ ...base, 'internal.probing.rebalance.interval.ms': 1_000 }).assignment.probingRebalanceIntervalMs).toBe(1_000);
  });
});

describe('Java properties files', () => {
  it('parse as java.util.Properties does', () => {
    const text = [
      '# a comment', '! another', '   application.id = orders-app', 'commit.interval.ms:1000', 'state.dir /var/lib/app',
      'long.value = first \\', '    second', 'escaped\\=key = tab\\there', 'unicode = caf\\u00e9', 'empty', 'application.id=final',
    ].join('\n');
    expect(Object.fromEntries(parseJavaProperties(text))).toEqual({
      'application.id': 'final', 'commit.interval.ms': '1000', 'state.dir': '/var/lib/app', 'long.value': 'first second',
      'escaped=key': 'tab\there', unicode: 'café', empty: '',
    });
    expect(() => parseJavaProperties('bad = \\u12', 'app.properties')).toThrow(/app.properties:1: malformed \\u escape/);
  });

  it('become a streams config, with Kafka\'s serde classes as kstreams serdes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kstreams-properties-'));
    const file = join(dir, 'app.properties');
    writeFileSync(file, 'application.id=orders\ndefault.key.serde=org.apache.kafka.common.serialization.Serdes$StringSerde\ndefault.value.serde=org.apache.kafka.common.serialization.Serdes$LongSerde\nnum.standby.replicas=1\n');
    const config = readStreamsProperties(file);
    expect(config['default.key.serde']).toBe(Serdes.String());
    expect(config['default.value.serde']).toBe(Serdes.Long());
    expect(resolveConfig(config).applicationId).toBe('orders');
    writeFileSync(file, 'default.value.serde=io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde\n');
    expect(() => readStreamsProperties(file)).toThrow(/SpecificAvroSerde, which has no kstreams equal/);
    expect(() => readStreamsProperties(join(dir, 'missing.properties'))).toThrow(/cannot read the properties file/);
  });
});
