import { expect, it } from 'vitest';
import { Consumed, Materialized, StreamsBuilder } from '../../src/dsl/index.ts';
import { Serdes } from '../../src/serde/index.ts';
import { TopologyTestDriver } from '../../src/testing/index.ts';

it('KTable.groupBy skips the rows its selector maps to null, as Kafka Streams does', async () => {
  const builder = new StreamsBuilder();
  builder.table('user-regions', Consumed.with(Serdes.String(), Serdes.String()))
    .groupBy((user, region) => (region === 'unknown' ? null : [region, user] as const))
    .count(Materialized.as<string, number>('users-per-region').withCachingDisabled())
    .toStream()
    .to('output');
  const driver = new TopologyTestDriver(builder.build(), { 'application.id': 'group-by-null', 'default.key.serde': Serdes.String(), 'default.value.serde': Serdes.String() });
  try {
    const input = driver.createInputTopic('user-regions', Serdes.String(), Serdes.String());
    await input.pipeInput('u1', 'eu', 1);
    await input.pipeInput('u2', 'unknown', 2);
    await input.pipeInput('u1', 'unknown', 3); // leaves "eu" without adding anywhere
    await input.pipeInput('u2', 'eu', 4);
    const counts = await driver.createOutputTopic('output', Serdes.String(), Serdes.Long()).readRecordsToList();
    expect(counts.map((r) => `${r.key}=${r.value}@${r.timestamp}`)).toEqual(['eu=1@1', 'eu=0@3', 'eu=1@4']);
  } finally {
    await driver.close();
  }
});
