import { defineWorkspaceConfig } from '@shipshape/vitest-config';

export default defineWorkspaceConfig({ test: { include: ['test/**/*.test.ts'] } });
