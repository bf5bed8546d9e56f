import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Files in the repository that import 'kstreams' (topology-examples/, bench/) get the TypeScript
  // sources, not the compiled dist/ an installed package has: "kstreams-source" in package.json.
  ssr: { resolve: { conditions: ['kstreams-source', ...defaultServerConditions] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/log-capture.ts'],
  },
});
