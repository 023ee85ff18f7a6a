import { defineWorkspaceConfig } from '@shipshape/vitest-config';

// One file at a time: every end-to-end file starts three service processes and a Redis, and the
// machine has two cores. The bench helpers' tests sit beside them in bench/ (added to the shared
// src/ and test/ patterns).
export default defineWorkspaceConfig({
  test: { fileParallelism: false, include: ['bench/**/*.test.ts'] },
});
