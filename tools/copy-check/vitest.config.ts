import { defineWorkspaceConfig } from '@shipshape/vitest-config';

// npm install and tsc in temp projects: minutes, not the shared 20 s.
export default defineWorkspaceConfig({ test: { testTimeout: 180_000, hookTimeout: 180_000 } });
