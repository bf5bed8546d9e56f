export { TopologyTestDriver } from './topology-test-driver.ts';
export { TestInputTopic } from './test-input-topic.ts';
export type { InputTopicOptions } from './test-input-topic.ts';
export { TestOutputTopic } from './test-output-topic.ts';
export type { TestRecord, TestRecordInput } from './test-record.ts';
