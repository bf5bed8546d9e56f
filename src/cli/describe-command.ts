import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StreamsError } from '../common/index.ts';
import { importUserModule } from '../runtime/index.ts';
import { Topology } from '../topology/index.ts';
import { parseCommandArgs } from './cli-args.ts';

const usage = `usage: kstreams describe <app.ts|app.js> [--mermaid]

Prints the topology an application module builds, in Kafka Streams' describe() text (or as a
Mermaid flowchart). The module must export its Topology: as the default export, as \`topology\`,
from a function named build…Topology() that takes no arguments, or in the shape \`kstreams run\`
takes (a default export { applicationId, topology } or a function returning it).

options:
  --mermaid    print a Mermaid flowchart instead of the text
  -h, --help   show this help

example:
  kstreams describe topology-examples/word-count.ts --mermaid`;

export async function describeCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals, help } = parseCommandArgs('describe', argv, { mermaid: { type: 'boolean' } }, { min: 1, max: 1 });
  if (help) {
    out(usage);
    return 0;
  }
  const file = resolve(positionals[0]!);
  let module: { [name: string]: unknown };
  try {
    module = await importUserModule(pathToFileURL(file).href);
  } catch (cause) {
    throw new StreamsError('INVALID_ARGUMENT', `could not load ${file}: ${(cause as Error).message}`, { cause });
  }
  const description = (await findTopology(module, file)).describe();
  out(values.mermaid === true ? description.toMermaid().trimEnd() : description.toString().trimEnd());
  return 0;
}

async function findTopology(module: { [name: string]: unknown }, file: string): Promise<Topology> {
  const candidates = [
    module.default,
    module.topology,
    ...Object.entries(module).filter(([name, value]) => /^build\w*Topology$/.test(name) && typeof value === 'function').map(([, value]) => value),
  ];
  for (const candidate of candidates) {
    const value: unknown = typeof candidate === 'function' && candidate.length === 0 ? await (candidate as () => unknown)() : candidate;
    if (value instanceof Topology) return value;
    // The module shape `kstreams run` takes: { applicationId, topology, config? }.
    const app = value as { topology?: unknown } | null | undefined;
    if (typeof app === 'object' && app !== null && app.topology instanceof Topology) return app.topology;
  }
  throw new StreamsError(
    'INVALID_ARGUMENT',
    `${file} exports no Topology; export one as the default export, as \`topology\`, from a function build…Topology(), or as { applicationId, topology }`,
  );
}
