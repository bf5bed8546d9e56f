import type { Processor, ProcessorContext, Record } from '../../../src/processor/index.ts';
import type { Change } from '../../../src/dsl/change.ts';

/** KTable.toStream: forwards each change's new value. */
export const toStream = <K, V>(): Processor<K, Change<V>, K, V | null> => {
  let context: ProcessorContext<K, V | null>;
  return {
    init: (c) => { context = c; },
    process: (record: Record<K, Change<V>>) => context.forward(record.withValue(record.value.newValue)),
  };
};

/** Splits a line into lower-case words and forwards each keyed by the word (flatMap + selectKey). */
export const wordsOfLine = (): Processor<string | null, string, string, string> => {
  let context: ProcessorContext<string, string>;
  return {
    init: (c) => { context = c; },
    process: (record) => {
      for (const word of record.value.toLowerCase().split(/\W+/)) {
        if (word.length > 0) context.forward(record.withKey(word).withValue(word));
      }
    },
  };
};

/** A table source with old values enabled: turns each upsert into a change carrying the row's previous value. */
export const tableSource = <K, V>(): Processor<K, V | null, K, Change<V>> => {
  let context: ProcessorContext<K, Change<V>>;
  const rows = new Map<K, V>();
  return {
    init: (c) => { context = c; },
    process: (record) => {
      const oldValue = rows.get(record.key) ?? null;
      if (record.value === null) rows.delete(record.key);
      else rows.set(record.key, record.value);
      context.forward(record.withValue<Change<V>>({ newValue: record.value, oldValue }));
    },
  };
};
