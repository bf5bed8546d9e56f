/**
 * A Vitest configuration for projects that test their topologies with kstreams, exported as
 * `kstreams/vitest`. Without a config file of its own a project's `npx vitest run <dir>` may find
 * nothing (a parent config that includes only its own folders) or time out in property tests
 * (Vitest's 5 s default is short for thousands of generated runs); this preset finds `*.test.ts`,
 * `*.spec.ts` and `*.prop.test.ts` files anywhere but in `node_modules`, `dist` and the data
 * directories the command line creates, gives each test a minute, and runs test files in child
 * processes, which is what the LevelDB stores need.
 *
 * It is a plain object, so kstreams does not depend on Vitest; pass it to `defineConfig` or export
 * it as it is.
 *
 * @example
 * // vitest.config.ts
 * import kstreamsPreset from 'kstreams/vitest';
 * export default kstreamsPreset;
 *
 * @example
 * // vitest.config.ts, with your own settings on top
 * import { defineConfig, mergeConfig } from 'vitest/config';
 * import kstreamsPreset from 'kstreams/vitest';
 * export default mergeConfig(kstreamsPreset, defineConfig({ test: { setupFiles: ['./test/setup.ts'] } }));
 */
export interface KstreamsVitestPreset {
  readonly test: {
    readonly include: string[];
    readonly exclude: string[];
    readonly testTimeout: number;
    readonly hookTimeout: number;
    readonly pool: 'forks';
  };
}

const kstreamsPreset: KstreamsVitestPreset = {
  test: {
    include: ['**/*.{test,spec}.?(c|m)[jt]s?(x)'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/kstreams-data/**', '**/kstreams-state/**', '**/.git/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
};

export default kstreamsPreset;
