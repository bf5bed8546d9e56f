import { afterAll, beforeAll, inject } from 'vitest';
import { startKafka } from './kit.ts';
import type { ReferenceBuild, ReferenceKafka } from './kit.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The reference kit's build, or why the reference tests cannot run on this machine. */
    reference: { build: ReferenceBuild } | { missing: string };
  }
}

/** The reference build the global set-up made, or undefined when Java or Maven is missing. */
export function referenceBuild(): ReferenceBuild | undefined {
  const reference = inject('reference');
  return 'build' in reference ? reference.build : undefined;
}

/**
 * One Apache Kafka broker from the reference kit for a whole test file: started before its tests
 * and stopped after them, or never when Java or Maven is missing (`available` false: skip the
 * Kafka cases). Call at the file's top level.
 */
export function referenceKafkaForFile(): { readonly available: boolean; readonly bootstrap: string } {
  const build = referenceBuild();
  let kafka: ReferenceKafka | undefined;
  beforeAll(async () => {
    if (build !== undefined) kafka = await startKafka(build);
  }, 90_000);
  afterAll(async () => {
    await kafka?.stop();
  });
  return {
    available: build !== undefined,
    get bootstrap(): string {
      if (kafka === undefined) throw new Error('the reference Kafka broker is not running (no Java or Maven, or its start failed)');
      return kafka.bootstrap;
    },
  };
}
