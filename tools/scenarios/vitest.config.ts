import { defineWorkspaceConfig } from '@shipshape/vitest-config';

// The scenario runs start real processes and check rates and latencies: files run one at a
// time so that two runs never compete for the CPU.
export default defineWorkspaceConfig({ test: { fileParallelism: false } });
