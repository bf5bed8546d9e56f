/**
 * What a KTable processor forwards for one key: the value after the update and, when downstream
 * asked for it (`enableSendingOldValues`), the value before. `null` means "no value" (a delete, or
 * the old value was not requested).
 *
 * @example
 * context.forward(record.withValue<Change<number>>({ newValue: 3, oldValue: 2 }));
 */
export interface Change<V> {
  readonly newValue: V | null;
  readonly oldValue: V | null;
}
