/**
 * A name for the processor a DSL operation adds, replacing the generated `KSTREAM-FILTER-0000000003`
 * style name, so `describe()` output, logs and metrics stay stable as the program changes.
 *
 * @example
 * stream.filter((_key, v) => v > 0, Named.as('positive-amounts'));
 */
export class Named {
  private constructor(readonly name: string) {}

  static as(name: string): Named {
    return new Named(name);
  }
}
