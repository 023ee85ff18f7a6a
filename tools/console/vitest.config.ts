import { defineWorkspaceConfig } from '@shipshape/vitest-config';

// One file at a time: the end-to-end file starts three service processes, a Redis and a browser.
export default defineWorkspaceConfig({ test: { fileParallelism: false } });
