import { sharedConfig } from '@shipshape/vitest-config';
import { defineConfig } from 'vitest/config';

// `npm run test:compose`: the real-engine compose test, on its own (it is not part of
// `npm test`: it needs root or a running Docker engine, and takes minutes). The shared settings
// with this file's tests only (a merge would add to the shared `include`, not replace it).
export default defineConfig({
  ...sharedConfig,
  test: {
    ...sharedConfig.test,
    include: ['compose-test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 1_500_000,
    teardownTimeout: 300_000,
    reporters: ['default', ['json', { outputFile: '.test-results/compose/vitest.json' }]],
  },
});
