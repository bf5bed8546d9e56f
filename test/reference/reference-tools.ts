import { inject } from 'vitest';
import type { ReferenceBuild } from './kit.ts';

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
