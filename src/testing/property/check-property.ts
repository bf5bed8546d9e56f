import fc from 'fast-check';

/** How many cases a property runs and from which seed; a failure names both, to replay it. */
export interface PropertyOptions {
  readonly numRuns?: number;
  /** Fixed seed (default: `KSTREAMS_PROPERTY_SEED` from the environment, else random). */
  readonly seed?: number;
  /** Replays exactly one case: the path fast-check printed (default: `KSTREAMS_PROPERTY_PATH`). */
  readonly path?: string;
}

/** A property that did not hold, with the smallest input found and how to run it again. */
export class PropertyFailure extends Error {
  constructor(
    readonly invariant: string,
    readonly counterexample: unknown,
    readonly seed: number,
    readonly path: string | undefined,
    override readonly cause: unknown,
  ) {
    super([
      `${invariant} does not hold.`,
      `Smallest failing input (after shrinking):`,
      indent(JSON.stringify(counterexample, null, 2)),
      `Why: ${cause instanceof Error ? cause.message : String(cause)}`,
      `Replay it: KSTREAMS_PROPERTY_SEED=${seed}${path === undefined ? '' : ` KSTREAMS_PROPERTY_PATH=${path}`} npx vitest run <this test file>`,
    ].join('\n'));
    this.name = 'PropertyFailure';
  }
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n');
}

/**
 * Checks an async property with fast-check and, when it fails, throws a {@link PropertyFailure}
 * that prints the shrunk input, the seed and a replay command, instead of fast-check's raw report.
 *
 * @example
 * await checkProperty('totals match the model', keyedEvents({ ... }), async (input) => { ... }, { numRuns: 100 });
 */
export async function checkProperty<T>(
  invariant: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
  options: PropertyOptions = {},
): Promise<void> {
  const envSeed = process.env['KSTREAMS_PROPERTY_SEED'];
  const envPath = process.env['KSTREAMS_PROPERTY_PATH'];
  const seed = options.seed ?? (envSeed === undefined ? undefined : Number(envSeed));
  const path = options.path ?? envPath;
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), {
    numRuns: options.numRuns ?? 100,
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path, endOnFailure: true }),
  });
  if (!details.failed) return;
  throw new PropertyFailure(invariant, details.counterexample?.[0], details.seed, details.counterexamplePath ?? undefined, details.errorInstance ?? 'fast-check gave up before finding a failing input');
}
