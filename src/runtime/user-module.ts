import { StreamsError } from '../common/index.ts';

/**
 * Imports an application's module: the file `kstreams run` and `kstreams describe` are given, and
 * the topology module worker threads rebuild the topology from.
 *
 * A TypeScript file in a package without `"type": "module"` (what `npm init` makes) loads as
 * CommonJS, and Node then refuses to load it while kstreams, an ES module, loads it
 * (ERR_REQUIRE_CYCLE_MODULE, a message about cycles that names no way out): that case gets a
 * coded error saying what to change.
 *
 * @example
 * const module = await importUserModule(pathToFileURL('app.ts').href);
 * const app = module.default;
 */
export async function importUserModule(url: string): Promise<{ [name: string]: unknown }> {
  try {
    return (await import(url)) as { [name: string]: unknown };
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_REQUIRE_CYCLE_MODULE') throw error;
    throw new StreamsError('INVALID_ARGUMENT', `${new URL(url).pathname} loads as CommonJS (its package.json has no "type": "module"), ` +
      'and kstreams loads applications as ES modules: add "type": "module" to the package.json, or rename the file to .mts', { cause: error });
  }
}
