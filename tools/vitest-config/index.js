// Plain JavaScript on purpose: vitest loads its config before any TypeScript transform of
// workspace packages is in place, so the shared config must be runnable as-is.
import { defineConfig, mergeConfig } from 'vitest/config';

/**
 * The settings every workspace shares. Tests sit beside the code (`src/**\/*.test.ts`);
 * cross-process and end-to-end tests live in `test/`. Forked workers because tests spawn and
 * signal real processes (redis-server, services), which worker threads handle poorly.
 */
export const sharedConfig = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    teardownTimeout: 10_000,
    restoreMocks: true,
    unstubEnvs: true,
    unstubGlobals: true,
    reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
  },
});

/**
 * Builds a workspace's vitest config from the shared one.
 * @param {import('vitest/config').ViteUserConfig} [overrides] settings of this workspace only
 * @returns {import('vitest/config').ViteUserConfig}
 */
export function defineWorkspaceConfig(overrides = {}) {
  return mergeConfig(sharedConfig, overrides);
}
