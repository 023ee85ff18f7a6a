import { defineWorkspaceConfig } from '@shipshape/vitest-config';

export default defineWorkspaceConfig({});
