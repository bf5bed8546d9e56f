import fc from 'fast-check';
import { relative } from 'node:path';

/** How many cases a property runs and from which seed; a failure names both, to replay it. */
export interface PropertyOptions {
  readonly numRuns?: number;
  /** Fixed seed (default: `KSTREAMS_PROPERTY_SEED`, when `KSTREAMS_PROPERTY_NAME` names this property; else random). */
  readonly seed?: number;
  /** Replays exactly one case: the path fast-check printed (default: `KSTREAMS_PROPERTY_PATH`, likewise). */
  readonly path?: string;
}

/** Where a property runs: its name (the test's name and the invariant) and the test file, when known. */
interface PropertyPlace {
  readonly name: string;
  readonly testName: string | undefined;
  readonly testFile: string | undefined;
}

/** A property that did not hold, with the smallest input found and how to run it again. */
export class PropertyFailure extends Error {
  constructor(
    readonly invariant: string,
    readonly counterexample: unknown,
    readonly seed: number,
    readonly path: string | undefined,
    override readonly cause: unknown,
    place: PropertyPlace = { name: invariant, testName: undefined, testFile: undefined },
  ) {
    super([
      `${invariant} does not hold.`,
      `Smallest failing input (after shrinking):`,
      indent(JSON.stringify(counterexample, null, 2)),
      `Why: ${cause instanceof Error ? cause.message : String(cause)}`,
      `Replay it: ${replayCommand(place, seed, path)}`,
    ].join('\n'));
    this.name = 'PropertyFailure';
  }
}

/** The shell command that runs this one property again with the failing seed and path. */
function replayCommand(place: PropertyPlace, seed: number, path: string | undefined): string {
  const env = [`KSTREAMS_PROPERTY_NAME=${shellQuote(place.name)}`, `KSTREAMS_PROPERTY_SEED=${seed}`, ...(path === undefined ? [] : [`KSTREAMS_PROPERTY_PATH=${path}`])];
  const file = place.testFile === undefined ? '<test file>' : shellQuote(place.testFile);
  const test = place.testName === undefined ? '' : ` -t ${shellQuote(`^${escapeRegExp(place.testName)}$`)}`;
  return `${env.join(' ')} npx vitest run ${file}${test}`;
}

function shellQuote(text: string): string {
  return /^[\w./:@=-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n');
}

/** The running vitest test's name and file, when the property runs inside vitest. */
async function currentPlace(invariant: string): Promise<PropertyPlace> {
  if (process.env['VITEST'] === undefined) return { name: invariant, testName: undefined, testFile: undefined };
  try {
    const { expect } = await import('vitest');
    const state = expect.getState();
    const testName = state.currentTestName;
    const testFile = state.testPath === undefined ? undefined : relative(process.cwd(), state.testPath);
    return { name: testName === undefined ? invariant : `${testName} / ${invariant}`, testName, testFile };
  } catch {
    return { name: invariant, testName: undefined, testFile: undefined };
  }
}

/**
 * Checks an async property with fast-check and, when it fails, throws a {@link PropertyFailure}
 * that prints the shrunk input, the seed and a replay command, instead of fast-check's raw report.
 * The replay variables (`KSTREAMS_PROPERTY_SEED`, `KSTREAMS_PROPERTY_PATH`) apply only to the
 * property that `KSTREAMS_PROPERTY_NAME` names, so replaying one property leaves the others random.
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
  const place = await currentPlace(invariant);
  const replaying = process.env['KSTREAMS_PROPERTY_NAME'] === place.name;
  const envSeed = replaying ? process.env['KSTREAMS_PROPERTY_SEED'] : undefined;
  const envPath = replaying ? process.env['KSTREAMS_PROPERTY_PATH'] : undefined;
  const seed = options.seed ?? (envSeed === undefined ? undefined : Number(envSeed));
  const path = options.path ?? envPath;
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), {
    numRuns: options.numRuns ?? 100,
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path, endOnFailure: true }),
  });
  if (!details.failed) return;
  throw new PropertyFailure(invariant, details.counterexample?.[0], details.seed, details.counterexamplePath ?? undefined,
    details.errorInstance ?? 'fast-check gave up before finding a failing input', place);
}
