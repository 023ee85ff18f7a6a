import { defineWorkspaceConfig } from '@shipshape/vitest-config';

// npm install and tsc in temp projects: minutes, not the shared 20 s. One file at a time: the pack
// test's prepack rebuilds the packages' dist/, which the README check reads.
export default defineWorkspaceConfig({
  test: { testTimeout: 180_000, hookTimeout: 180_000, fileParallelism: false },
});
