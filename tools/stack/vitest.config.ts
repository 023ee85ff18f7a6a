import { defineWorkspaceConfig } from '@shipshape/vitest-config';

// One file at a time: every end-to-end file starts three service processes and a Redis, and the
// machine has two cores.
export default defineWorkspaceConfig({ test: { fileParallelism: false } });
