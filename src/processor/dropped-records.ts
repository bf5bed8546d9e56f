/**
 * The key under which the runtime's processor contexts accept "a record was dropped" reports. A
 * processor that drops a record on purpose (late for a closed window, a null key an aggregation
 * cannot take) calls {@link countDroppedRecord}, and the task's `dropped-records-total` and
 * `dropped-records-rate` metrics (Kafka's task-level dropped-records sensor) count it.
 */
export const DROPPED_RECORDS = Symbol.for('kstreams.dropped-records');

/** Counts one dropped record in the metrics of the task `context` belongs to (no-op in contexts without metrics). */
export function countDroppedRecord(context: object): void {
  const sensor = (context as { [DROPPED_RECORDS]?: () => void })[DROPPED_RECORDS];
  if (sensor !== undefined) sensor.call(context);
}
